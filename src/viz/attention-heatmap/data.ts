// Data provider for the attention heatmap: layers 1..L x prompt positions, the attention of
// the last position to every position (mean over heads, or one head), segment boundaries marked.
import type { AnalysisResult } from '../../engine/result';
import { sequentialScale } from '../common/scales';
import { SEGMENT_LABEL, SEGMENT_ORDER } from '../common/segments';
import { aggregateRow, isPlain, type TokenGroup } from '../common/token-groups';
import { columnLine, fmtProb, groupColumns, layerName, layerRows, tokenColumns } from '../layer-heatmap/columns';
import type { HeatmapModel } from '../layer-heatmap/data';
import type { PhaseBand } from '../phase-bands/data';

/** attention rows [L][T] of the chosen head (null = mean over heads) */
function attentionRows(result: AnalysisResult, head: number | null): number[][] {
  const a = result.attention;
  if (head === null || head < 0 || head >= result.model.numHeads) return a.lastRowMean;
  return a.lastRowHeads.map((layer) => layer[head]);
}

/**
 * Colour limit: the largest weight outside position 0. The first position is often an
 * "attention sink" that takes most weight and would leave every other cell dark; it is
 * clamped to the top colour (its exact value is in the tooltip).
 */
export function attentionColourMax(rows: number[][]): number {
  let m = 0;
  for (const row of rows) for (let t = 1; t < row.length; t++) m = Math.max(m, row[t]);
  if (!(m > 0)) for (const row of rows) m = Math.max(m, row[0] ?? 0);
  return m > 0 ? m : 1;
}

/** `groups` (long contexts by sentence): a group's cell is the attention to all its positions together */
export function attentionModel(result: AnalysisResult, head: number | null, bands?: PhaseBand[], groups?: TokenGroup[]): HeatmapModel {
  const L = result.model.numLayers;
  const plain = isPlain(groups, result.prompt.tokens.length);
  const rows = plain ? attentionRows(result, head) : attentionRows(result, head).map((row) => aggregateRow(row, groups!, 'sum'));
  const hi = attentionColourMax(rows);
  const h = head === null || head < 0 || head >= result.model.numHeads ? null : head;
  const who = h === null ? `mean of ${result.model.numHeads} heads` : `head ${h}`;
  const mass = result.attention.segmentMass;
  return {
    id: `attention-${h ?? 'mean'}`,
    title: `Attention of the last position (${who})`,
    rows: layerRows(1, L),
    cols: plain ? tokenColumns(result) : groupColumns(result, groups!),
    values: rows,
    scale: sequentialScale(0, hi, `attention weight${rows.some((r) => (r[0] ?? 0) > hi) ? ' (position 0 clipped)' : ''}`, { scheme: 'cividis' }),
    columnKind: 'token',
    rowAxis: 'layer',
    colAxis: 'prompt position attended to',
    bands,
    summary: `Attention from the last position to each of ${result.prompt.tokens.length} positions in ${L} layers (${who}); the question gets the most attention in layer ${result.summary.questionAttentionPeakLayer}, the answer span in layer ${result.summary.answerAttentionPeakLayer}.`,
    tooltip(r, c) {
      const segs = SEGMENT_ORDER.map((s) => {
        const perHead = mass[s]?.[r] ?? [];
        const v = h === null ? perHead.reduce((a, b) => a + b, 0) / Math.max(1, perHead.length) : perHead[h] ?? 0;
        return `${SEGMENT_LABEL[s]} ${(100 * v).toFixed(0)}%`;
      }).join(' · ');
      const together = !plain && groups![c].first !== groups![c].last ? ' to these positions together' : '';
      return [layerName(r + 1, L), columnLine(result, groups, c), `attention${together} = ${fmtProb(rows[r][c])} (${who})`, `this layer: ${segs}`].join('\n');
    },
  };
}
