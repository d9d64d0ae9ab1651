// Pair-matrix data: context language (rows) x question language (columns), one metric per
// cell: exact match, F1, target probability, phase depths (mean) or their spread (std).
import type { MatrixCell, MatrixResult, MeanStd } from '../../engine/result';
import type { PairMetric } from '../../state/view-choices';
import { sequentialScale, type ColourScale } from '../common/scales';

export type { PairMetric };

const METRIC_LABEL: Record<PairMetric, string> = {
  exactMatch: 'exact match',
  f1: 'F1',
  targetProb: 'probability of the answer token',
  questionDepth: 'question-encoding depth (knockout, mean layer)',
  answerDepth: 'answer-retrieval depth (knockout, mean layer)',
  questionMrd: 'question MRD (relevance, mean layer)',
  answerMrd: 'answer MRD (relevance, mean layer)',
  questionDepthStd: 'spread of the question-encoding depth (std, layers)',
  answerDepthStd: 'spread of the answer-retrieval depth (std, layers)',
  questionMrdStd: 'spread of the question MRD (std, layers)',
  answerMrdStd: 'spread of the answer MRD (std, layers)',
};

/** which analyses a matrix result ran: knockout depths (it records a window) and relevance (every cell then has MRDs) */
export function matrixComputed(m: MatrixResult): { depths: boolean; mrd: boolean } {
  return { depths: m.window !== null, mrd: m.cells.some((c) => c.questionMrd.n > 0 || c.answerMrd.n > 0) };
}

/** whether a metric needs knockout depths or MRDs */
export function metricNeeds(m: PairMetric): 'depths' | 'mrd' | null {
  if (m.startsWith('question') || m.startsWith('answer')) return m.includes('Mrd') ? 'mrd' : 'depths';
  return null;
}

export interface PairCell {
  contextLang: string;
  questionLang: string;
  value: number | null;
  /** short text drawn in the cell */
  text: string;
  /** multi-line tooltip */
  tooltip: string;
  n: number;
  computed: boolean;
}

export interface PairMatrixData {
  rows: string[];
  cols: string[];
  /** cells[r][c] */
  cells: PairCell[][];
  scale: ColourScale;
  metric: PairMetric;
  /** overall line (phasing stability over every example) */
  overall: string;
  summary: string;
  complete: boolean;
}

function depthOf(c: MatrixCell, m: PairMetric): MeanStd | null {
  if (m === 'questionDepth' || m === 'questionDepthStd') return c.questionDepth;
  if (m === 'answerDepth' || m === 'answerDepthStd') return c.answerDepth;
  if (m === 'questionMrd' || m === 'questionMrdStd') return c.questionMrd;
  if (m === 'answerMrd' || m === 'answerMrdStd') return c.answerMrd;
  return null;
}

function cellValue(c: MatrixCell, m: PairMetric): number | null {
  if (m === 'exactMatch') return c.exactMatch;
  if (m === 'f1') return c.f1;
  if (m === 'targetProb') return c.targetProb;
  const d = depthOf(c, m)!;
  return m.endsWith('Std') ? d.std : d.mean;
}

const ms = (d: MeanStd) => (d.mean === null ? 'n/a' : `${d.mean.toFixed(1)} ± ${(d.std ?? 0).toFixed(1)} (n=${d.n})`);

export function pairMatrixData(matrix: MatrixResult, metric: PairMetric, langName: (code: string) => string = (c) => c): PairMatrixData {
  const L = matrix.model.numLayers;
  const byKey = new Map(matrix.cells.map((c) => [`${c.contextLang}|${c.questionLang}`, c]));
  const isDepth = !['exactMatch', 'f1', 'targetProb'].includes(metric);
  const isStd = metric.endsWith('Std');
  const ran = matrixComputed(matrix);
  const needs = metricNeeds(metric);
  const missing = needs === 'mrd' && !ran.mrd ? 'not computed: run with Major Relevance Depths' : needs === 'depths' && !ran.depths ? 'not computed: run with phase depths' : '';
  const cells = matrix.contextLangs.map((cl) =>
    matrix.questionLangs.map((ql): PairCell => {
      const c = byKey.get(`${cl}|${ql}`);
      if (!c) return { contextLang: cl, questionLang: ql, value: null, text: '…', tooltip: `context ${langName(cl)}, question ${langName(ql)}\nnot computed yet`, n: 0, computed: false };
      // no example analysed (all skipped, e.g. too long): no value rather than a 0
      const v = c.n === 0 ? null : cellValue(c, metric);
      const text = v === null ? '–' : isDepth ? (isStd ? `±${v.toFixed(1)}` : v.toFixed(1)) : metric === 'targetProb' ? v.toFixed(2) : v.toFixed(2);
      const tooltip = [
        `context ${langName(cl)}, question ${langName(ql)} (${c.n} example${c.n === 1 ? '' : 's'})`,
        `EM ${c.exactMatch.toFixed(2)} · F1 ${c.f1.toFixed(2)} · p(answer) ${c.targetProb.toFixed(3)}`,
        `question depth ${ms(c.questionDepth)} · answer depth ${ms(c.answerDepth)}`,
        `question MRD ${ms(c.questionMrd)} · answer MRD ${ms(c.answerMrd)}`,
        c.skippedTooLong?.length ? `${c.skippedTooLong.length} skipped: prompt longer than the model accepts` : '',
        missing || (needs === 'depths' && v === null && c.n > 0 ? 'no depth: no window halved the probability' : ''),
        'click to open this pair',
      ]
        .filter(Boolean)
        .join('\n');
      return { contextLang: cl, questionLang: ql, value: v, text, tooltip, n: c.n, computed: true };
    }),
  );
  let scale: ColourScale;
  if (!isDepth) scale = sequentialScale(0, 1, METRIC_LABEL[metric]);
  else if (isStd) {
    let hi = 0;
    for (const row of cells) for (const c of row) if (c.value !== null) hi = Math.max(hi, c.value);
    scale = sequentialScale(0, Math.max(1, hi), METRIC_LABEL[metric], { scheme: 'cividis' });
  } else scale = sequentialScale(0, Math.max(1, L), METRIC_LABEL[metric], { scheme: 'cividis' });
  const o = matrix.overall;
  const stability = [
    ran.depths ? `knockout: question ${ms(o.questionDepth)}, answer ${ms(o.answerDepth)}` : '',
    ran.mrd ? `MRD: question ${ms(o.questionMrd)}, answer ${ms(o.answerMrd)}` : '',
  ].filter(Boolean);
  const overall = `Overall (${matrix.exampleIds.length} example${matrix.exampleIds.length === 1 ? '' : 's'} × ${matrix.cells.length} pair${matrix.cells.length === 1 ? '' : 's'}): EM ${o.exactMatch.toFixed(2)}, F1 ${o.f1.toFixed(2)}${stability.length ? `; phasing stability (mean ± std, layers of ${L}): ${stability.join('; ')}` : ''}.`;
  const done = cells.flat().filter((c) => c.computed).length;
  return {
    rows: matrix.contextLangs,
    cols: matrix.questionLangs,
    cells,
    scale,
    metric,
    overall,
    complete: matrix.complete,
    summary: `Pair matrix of ${matrix.contextLangs.length} context languages by ${matrix.questionLangs.length} question languages, ${METRIC_LABEL[metric]}; ${done} of ${matrix.contextLangs.length * matrix.questionLangs.length} pairs computed.`,
  };
}
