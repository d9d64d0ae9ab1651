export { LessonPanel, type LessonPanelProps } from './LessonPanel';
