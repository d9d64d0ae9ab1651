// MRD chart data: per token group, the cumulative relevance share C_l(G) over layers 0..L and
// its Major Relevance Depth (first layer where C reaches 95%).
import type { AnalysisResult } from '../../engine/result';

export const MRD_THRESHOLD = 0.95;
const GROUPS = ['question', 'answer', 'context', 'template'] as const;
const GROUP_LABEL: Record<string, string> = { question: 'question', answer: 'answer span', context: 'rest of context', template: 'template' };

export interface MrdSeries {
  group: string;
  label: string;
  points: { layer: number; c: number }[];
  mrd: number | null;
}

export interface MrdChartData {
  numLayers: number;
  series: MrdSeries[];
  summary: string;
}

/** first layer whose cumulative share reaches the threshold (the MRD definition, recomputed for checks) */
export function mrdFromCumulative(c: number[], threshold = MRD_THRESHOLD): number | null {
  const i = c.findIndex((v) => v >= threshold - 1e-9);
  return i < 0 ? null : i;
}

export function mrdChartData(result: AnalysisResult): MrdChartData | null {
  const rel = result.relevance;
  if (!rel) return null;
  const L = result.model.numLayers;
  const series: MrdSeries[] = [];
  for (const g of GROUPS) {
    const c = rel.cumulative[g];
    if (!c || !c.length) continue;
    series.push({ group: g, label: GROUP_LABEL[g], points: c.map((v, l) => ({ layer: l, c: v })), mrd: rel.mrd[g] ?? null });
  }
  const summary = `Cumulative relevance of each part of the prompt over ${L + 1} depths; Major Relevance Depth: ` + series.map((s) => `${s.label} ${s.mrd ?? 'none'}`).join(', ') + '.';
  return { numLayers: L, series, summary };
}
