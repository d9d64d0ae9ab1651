// Data provider for the segment chart: per layer, the attention mass of the last position on
// context, answer span, question and template (mean over heads; the four sum to 1).
import type { AnalysisResult } from '../../engine/result';
import type { Segment } from '../../engine/text/prompt';
import { SEGMENT_LABEL, SEGMENT_ORDER } from '../common/segments';

export interface SegmentLayer {
  layer: number;
  mass: Record<Segment, number>;
  /** stacked extents in SEGMENT_ORDER, bottom up */
  stack: { segment: Segment; y0: number; y1: number }[];
}

export interface SegmentChartData {
  layers: SegmentLayer[];
  numLayers: number;
  summary: string;
}

const mean = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0);

export function segmentChartData(result: Pick<AnalysisResult, 'attention' | 'model'>): SegmentChartData {
  const L = result.model.numLayers;
  const sm = result.attention.segmentMass;
  const layers: SegmentLayer[] = [];
  for (let i = 0; i < L; i++) {
    const mass = {} as Record<Segment, number>;
    for (const s of SEGMENT_ORDER) mass[s] = mean(sm[s]?.[i] ?? []);
    let y = 0;
    const stack = SEGMENT_ORDER.map((s) => {
      const y0 = y;
      y += mass[s];
      return { segment: s, y0, y1: y };
    });
    layers.push({ layer: i + 1, mass, stack });
  }
  const peak = (s: Segment) => layers.reduce((best, l) => (l.mass[s] > best.mass[s] ? l : best), layers[0]);
  const summary = layers.length
    ? `Attention mass of the last position per layer on ${SEGMENT_ORDER.map((s) => SEGMENT_LABEL[s]).join(', ')}. The question peaks in layer ${peak('question').layer} (${pct(peak('question').mass.question)}), the answer span in layer ${peak('answer').layer} (${pct(peak('answer').mass.answer)}).`
    : 'No attention data.';
  return { layers, numLayers: L, summary };
}

function pct(v: number): string {
  return `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;
}

export function segmentTooltip(d: SegmentLayer, L: number): string {
  return [`Layer ${d.layer} of ${L}`, ...SEGMENT_ORDER.map((s) => `${SEGMENT_LABEL[s]}: ${pct(d.mass[s])}`)].join('\n');
}
