// Data provider for the logit-lens grid: layers 0..L x prompt positions, the target token's
// probability, log-probability or rank at every (layer, position), top-1 token in the tooltip.
import type { AnalysisResult } from '../../engine/result';
import { sequentialScale } from '../common/scales';
import { showToken } from '../common/tokens';
import { aggregateRow, argBest, isPlain, type TokenGroup } from '../common/token-groups';
import { columnLine, fmtProb, groupColumns, layerName, layerRows, positionLine, tokenColumns } from '../layer-heatmap/columns';
import type { HeatmapModel } from '../layer-heatmap/data';
import type { PhaseBand } from '../phase-bands/data';

export type LensMetric = 'prob' | 'logprob' | 'rank';

/** lowest log10 p shown; smaller values are clamped to it */
export const LOGPROB_FLOOR = -8;

function lensValue(metric: LensMetric, prob: number, rank: number): number {
  if (metric === 'prob') return prob;
  if (metric === 'logprob') return Math.max(LOGPROB_FLOOR, Math.log10(Math.max(prob, 1e-30)));
  return Math.log10(Math.max(1, rank));
}

/**
 * `groups` (long contexts by sentence): a group's cell shows its best position, the highest
 * probability (lowest rank), so the answer surfacing anywhere in a sentence stays visible.
 */
export function lensGridModel(result: AnalysisResult, metric: LensMetric, bands?: PhaseBand[], groups?: TokenGroup[]): HeatmapModel {
  const L = result.model.numLayers;
  const lens = result.lens;
  const plain = isPlain(groups, result.prompt.tokens.length);
  // the position a cell stands for: itself, or its group's best
  const pos = (r: number, c: number) => (plain ? c : argBest(lens.targetProb[r], groups![c], 'max'));
  // a null cell: that position's lens was not computed (yet): see lensCoverageNote
  const values = plain
    ? lens.targetProb.map((row, l) => row.map((p, t) => (p === null ? null : lensValue(metric, p, lens.targetRank[l][t] ?? 1))))
    : lens.targetProb.map((row, l) => {
        const p = aggregateRow(row, groups!, 'max');
        const rank = aggregateRow(lens.targetRank[l], groups!, 'min');
        return p.map((x, c) => (x === null ? null : lensValue(metric, x, rank[c] ?? 1)));
      });
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
    cols: plain ? tokenColumns(result) : groupColumns(result, groups!),
    values,
    scale,
    columnKind: 'token',
    rowAxis: 'layer',
    colAxis: 'prompt position',
    bands,
    summary,
    tooltip(r, c) {
      const t = pos(r, c);
      const p = lens.targetProb[r][t];
      const rank = lens.targetRank[r][t];
      const topId = lens.topId[r][t];
      if (p === null || topId === null) {
        return [layerName(r, L), columnLine(result, groups, c), result.pending?.includes('lens') ? 'the lens here is still being computed' : 'the lens was not computed here'].join('\n');
      }
      const topText = lens.tokenText[String(topId)] ?? `#${topId}`;
      const grouped = !plain && groups![c].first !== groups![c].last;
      return [
        layerName(r, L),
        columnLine(result, groups, c) + (t === last ? ' — last position' : ''),
        ...(grouped ? [`highest at ${positionLine(result, t)}:`] : []),
        `target “${target}”: p = ${fmtProb(p)}, rank ${rank}`,
        `top-1: “${showToken(topText)}” p = ${fmtProb(lens.topProb[r][t] ?? NaN)}`,
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
