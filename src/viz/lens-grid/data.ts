// Data provider for the logit-lens grid: layers 0..L x prompt positions, the target token's
// probability, log-probability or rank at every (layer, position), top-1 token in the tooltip.
import type { AnalysisResult } from '../../engine/result';
import { sequentialScale } from '../common/scales';
import { showToken } from '../common/tokens';
import { fmtProb, layerName, layerRows, positionLine, tokenColumns } from '../layer-heatmap/columns';
import type { HeatmapModel } from '../layer-heatmap/data';
import type { PhaseBand } from '../phase-bands/data';

export type LensMetric = 'prob' | 'logprob' | 'rank';

/** lowest log10 p shown; smaller values are clamped to it */
export const LOGPROB_FLOOR = -8;

export function lensValue(metric: LensMetric, prob: number, rank: number): number {
  if (metric === 'prob') return prob;
  if (metric === 'logprob') return Math.max(LOGPROB_FLOOR, Math.log10(Math.max(prob, 1e-30)));
  return Math.log10(Math.max(1, rank));
}

export function lensGridModel(result: AnalysisResult, metric: LensMetric, bands?: PhaseBand[]): HeatmapModel {
  const L = result.model.numLayers;
  const lens = result.lens;
  // a null cell: that position's lens was not computed (yet): see lensCoverageNote
  const values = lens.targetProb.map((row, l) => row.map((p, t) => (p === null ? null : lensValue(metric, p, lens.targetRank[l][t] ?? 1))));
  const target = showToken(result.prompt.target.text);
  let scale;
  if (metric === 'prob') scale = sequentialScale(0, 1, `p(target “${target}”)`);
  else if (metric === 'logprob') {
    let lo = 0;
    for (const row of values) for (const v of row) if (v !== null) lo = Math.min(lo, v);
    lo = Math.min(-1, Math.floor(lo));
    scale = sequentialScale(lo, 0, `log₁₀ p(target “${target}”)`);
  } else {
    const hi = Math.log10(Math.max(10, result.model.vocabSize));
    const ticks = [0, 1, 2, 3, 4, 5, 6].filter((x) => x <= hi);
    // rank 1 (the target is the top token) is the bright end
    scale = sequentialScale(0, hi, `rank of “${target}” (1 = top token)`, { reverse: true, ticks, format: (v) => (v <= 3 ? String(Math.round(10 ** v)) : `1e${Math.round(v)}`) });
  }
  const last = result.prompt.tokens.length - 1;
  const top = result.summary.answerTopLayer;
  const summary =
    `Logit lens: ${L + 1} rows (embeddings and ${L} layers) by ${result.prompt.tokens.length} prompt positions; ` +
    `colour = ${metric === 'prob' ? 'probability' : metric === 'logprob' ? 'log-probability' : 'rank'} of the target “${target}”. ` +
    (top === null ? 'The target never becomes the top token at the last position.' : `At the last position it becomes the top token at ${top === 0 ? 'the embeddings' : `layer ${top}`}.`) +
    (lensCoverageNote(result) ? ` ${lensCoverageNote(result)}` : '');
  return {
    id: `lens-${metric}`,
    title: `Logit lens: ${metric === 'prob' ? 'probability' : metric === 'logprob' ? 'log-probability' : 'rank'} of “${target}” at every layer and position`,
    rows: layerRows(0, L),
    cols: tokenColumns(result),
    values,
    scale,
    columnKind: 'token',
    rowAxis: 'layer',
    colAxis: 'prompt position',
    bands,
    summary,
    tooltip(r, c) {
      const p = lens.targetProb[r][c];
      const rank = lens.targetRank[r][c];
      const topId = lens.topId[r][c];
      if (p === null || topId === null) {
        return [layerName(r, L), positionLine(result, c), result.pending?.includes('lens') ? 'the lens at this position is still being computed' : 'the lens was not computed at this position'].join('\n');
      }
      const topText = lens.tokenText[String(topId)] ?? `#${topId}`;
      return [
        layerName(r, L),
        positionLine(result, c) + (c === last ? ' — last position' : ''),
        `target “${target}”: p = ${fmtProb(p)}, rank ${rank}`,
        `top-1: “${showToken(topText)}” p = ${fmtProb(lens.topProb[r][c] ?? NaN)}`,
      ].join('\n');
    },
  };
}

/** what the lens grid does not show yet, in words (null when every position is computed) */
export function lensCoverageNote(result: AnalysisResult): string | null {
  const coverage = result.lens.coverage ?? 'all';
  const computing = result.pending?.includes('lens');
  if (coverage === 'all') return null;
  const T = result.prompt.tokens.length;
  const done = result.lens.targetProb[0].filter((p) => p !== null).length;
  if (computing) return `Computing the lens: ${done} of ${T} positions so far.`;
  return coverage === 'last'
    ? 'The lens was computed at the last position only.'
    : `The lens was computed at the ${done} positions that carry the phases (the question, the answer span, the template after the question and the last position); the other ${T - done} context positions are blank until you compute them.`;
}
