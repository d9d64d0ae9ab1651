// Phase bands: the question-encoding and answer-retrieval depths of one result, from the
// knockout sweep and from the Major Relevance Depth, as marked layers on every heatmap.
import type { AnalysisResult } from '../../engine/result';

export type BandKind = 'question' | 'answer';
export type BandSource = 'knockout' | 'mrd';

export interface PhaseBand {
  layer: number;
  kind: BandKind;
  source: BandSource;
  /** short tag drawn beside the row, e.g. "Q·KO" */
  tag: string;
  /** one sentence for tooltips and the explanation line */
  text: string;
  colour: string;
  dashed: boolean;
}

const BAND_COLOUR: Record<BandKind, string> = { question: '#009E73', answer: '#D55E00' };

export function phaseBands(result: Pick<AnalysisResult, 'phases'>): PhaseBand[] {
  const p = result.phases;
  if (!p) return [];
  const out: PhaseBand[] = [];
  const add = (layer: number | null, kind: BandKind, source: BandSource) => {
    if (layer === null || layer === undefined || !Number.isFinite(layer)) return;
    const what = kind === 'question' ? 'question' : 'answer span';
    const text =
      source === 'knockout'
        ? `Layer ${layer}: the last layer where hiding the ${what} from the last token halves the answer's probability`
        : `Layer ${layer}: by here 95% of the ${what}'s relevance has been used (Major Relevance Depth)`;
    out.push({ layer, kind, source, tag: `${kind === 'question' ? 'Q' : 'A'}·${source === 'knockout' ? 'KO' : 'MRD'}`, text, colour: BAND_COLOUR[kind], dashed: source === 'mrd' });
  };
  add(p.questionEncodingKnockout, 'question', 'knockout');
  add(p.answerRetrievalKnockout, 'answer', 'knockout');
  add(p.questionEncodingMrd, 'question', 'mrd');
  add(p.answerRetrievalMrd, 'answer', 'mrd');
  return out;
}

/** the one-line explanation shown under a heatmap with bands */
export function bandsExplanation(bands: PhaseBand[]): string {
  if (!bands.length) return '';
  const hasQ = bands.some((b) => b.kind === 'question');
  const hasA = bands.some((b) => b.kind === 'answer');
  const parts: string[] = [];
  if (hasQ) parts.push('Q = where the question is still being read (question encoding)');
  if (hasA) parts.push('A = where the answer is fetched from the context (answer retrieval)');
  return `${parts.join('; ')}. KO: from blocking attention; MRD: from relevance.`;
}

/** bands grouped by layer, so several tags on one row can be placed side by side */
export function bandsByLayer(bands: PhaseBand[]): Map<number, PhaseBand[]> {
  const m = new Map<number, PhaseBand[]>();
  for (const b of bands) m.set(b.layer, [...(m.get(b.layer) ?? []), b]);
  return m;
}
