// Data provider for the relevance heatmap: layers 0..L x prompt positions, AttnLRP relevance
// R_l(t) of every token's residual state for the target logit, diverging scale centred on 0.
import type { AnalysisResult } from '../../engine/result';
import { divergingScale } from '../common/scales';
import { showToken } from '../common/tokens';
import { aggregateRow, isPlain, type TokenGroup } from '../common/token-groups';
import { columnLine, fmtProb, groupColumns, layerName, layerRows, tokenColumns } from '../layer-heatmap/columns';
import { absQuantile, type HeatmapModel } from '../layer-heatmap/data';
import type { PhaseBand } from '../phase-bands/data';

/**
 * Colour limit: the 98th percentile of |R|. In a causal LM the last position holds the
 * whole logit at the top layer; a max-based scale would leave every other cell white.
 */
export function relevanceColourMax(values: number[][]): number {
  return absQuantile(values, 0.98);
}

/** `groups` (long contexts by sentence): a group's cell is the relevance of its positions together (relevance adds up) */
export function relevanceModel(result: AnalysisResult, bands?: PhaseBand[], groups?: TokenGroup[]): HeatmapModel | null {
  const rel = result.relevance;
  if (!rel) return null;
  const L = result.model.numLayers;
  const plain = isPlain(groups, result.prompt.tokens.length);
  const values = plain ? rel.relevance : rel.relevance.map((row) => aggregateRow(row, groups!, 'sum'));
  const m = relevanceColourMax(values);
  return {
    id: 'relevance',
    title: `Relevance (AttnLRP) of each position's residual state for the logit of “${showToken(result.prompt.target.text)}”`,
    rows: layerRows(0, L),
    cols: plain ? tokenColumns(result) : groupColumns(result, groups!),
    values,
    scale: divergingScale([], 'relevance R (clipped at the 98th percentile)', { fixedMax: m }),
    legendSides: ['against the answer', 'for the answer'],
    columnKind: 'token',
    rowAxis: 'layer',
    colAxis: 'prompt position',
    bands,
    summary: `Relevance of ${result.prompt.tokens.length} positions at ${L + 1} depths for the target logit ${rel.targetLogit.toFixed(3)}.`,
    tooltip(r, c) {
      const together = !plain && groups![c].first !== groups![c].last ? ' (these positions together)' : '';
      return [layerName(r, L), columnLine(result, groups, c), `relevance R${together} = ${fmtProb(values[r][c])}`, `row sum ${rel.relevance[r].reduce((a, b) => a + b, 0).toFixed(3)} (logit ${rel.targetLogit.toFixed(3)})`].join('\n');
    },
  };
}
