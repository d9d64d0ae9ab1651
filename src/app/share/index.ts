export { ShareMenu, type ShareMenuProps, type ExportEntry } from './ShareMenu';
export { RecordedBanner, type RecordedBannerProps } from './RecordedBanner';
export { type ImportResultProps } from './ImportResult';

