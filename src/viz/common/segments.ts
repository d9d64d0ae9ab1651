// Segment colours and names shared by every view. Okabe–Ito colours (colour-blind safe).
import type { Segment } from '../../engine/text/prompt';

export const SEGMENT_ORDER: Segment[] = ['context', 'answer', 'question', 'template'];

export const SEGMENT_COLOUR: Record<Segment, string> = {
  context: '#56B4E9', // sky blue
  answer: '#E69F00', // orange
  question: '#009E73', // bluish green
  template: '#999999', // grey
};

/** lighter tints for backgrounds behind text */
export const SEGMENT_TINT: Record<Segment, string> = {
  context: '#dcf0fb',
  answer: '#fbe7bf',
  question: '#c8ecdf',
  template: '#ececec',
};

export const SEGMENT_LABEL: Record<Segment, string> = {
  context: 'context',
  answer: 'answer span',
  question: 'question',
  template: 'template',
};
