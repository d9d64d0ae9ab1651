export { ShareMenu, type ShareMenuProps, type ExportEntry } from './ShareMenu';
export { RecordedBanner, type RecordedBannerProps } from './RecordedBanner';
export { ImportResult, readResultFile, type ImportResultProps } from './ImportResult';
export { stateForResult, modelRefFromId, recordedText, formatSize } from './share-logic';
