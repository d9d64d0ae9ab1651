// Token columns and row labels shared by the layers x tokens views.
import type { AnalysisResult } from '../../engine/result';
import { SEGMENT_LABEL } from '../common/segments';
import { groupLine, sentenceCount, type TokenGroup } from '../common/token-groups';
import { showToken } from '../common/tokens';
import type { HeatmapCol, HeatmapRow } from './data';

export function tokenColumns(result: Pick<AnalysisResult, 'prompt'>): HeatmapCol[] {
  return result.prompt.tokens.map((tok, i) => ({ index: i, label: showToken(tok.text), segment: tok.segment }));
}

/** columns for token groups (long contexts by sentence): a group's column covers its positions */
export function groupColumns(result: Pick<AnalysisResult, 'prompt'>, groups: readonly TokenGroup[]): HeatmapCol[] {
  return groups.map((g) =>
    g.sentence === null ? { index: g.first, label: showToken(result.prompt.tokens[g.first].text), segment: g.segment } : { index: g.first, label: g.label, segment: g.segment, span: [g.first, g.last] as [number, number] },
  );
}

/** the tooltip line naming column c: a position, or a group of context tokens */
export function columnLine(result: Pick<AnalysisResult, 'prompt'>, groups: readonly TokenGroup[] | undefined, c: number): string {
  if (!groups || groups.length === result.prompt.tokens.length) return positionLine(result, c);
  const g = groups[c];
  return g.sentence === null ? positionLine(result, g.first) : groupLine(g, sentenceCount(groups));
}

/** rows for layers from..to; layer 0 is labelled "emb" */
export function layerRows(from: number, to: number): HeatmapRow[] {
  const rows: HeatmapRow[] = [];
  for (let l = from; l <= to; l++) rows.push({ layer: l, label: l === 0 ? 'emb' : String(l) });
  return rows;
}

export function layerName(layer: number, L: number): string {
  return layer === 0 ? 'Embeddings (layer 0)' : `Layer ${layer} of ${L}`;
}

/** "position 12: “␣Lisbon” (answer span)" */
export function positionLine(result: Pick<AnalysisResult, 'prompt'>, t: number): string {
  const tok = result.prompt.tokens[t];
  if (!tok) return `position ${t}`;
  let text = tok.text;
  // a byte continuation: name the character it belongs to
  if (text === '') {
    let j = t;
    while (j > 0 && result.prompt.tokens[j].text === '') j--;
    return `position ${t}: continuation of “${showToken(result.prompt.tokens[j].text)}” (${SEGMENT_LABEL[tok.segment]})`;
  }
  return `position ${t}: “${showToken(text)}” (${SEGMENT_LABEL[tok.segment]})`;
}

export function fmtProb(p: number): string {
  if (!Number.isFinite(p)) return '–';
  if (p === 0) return '0';
  return Math.abs(p) >= 0.001 ? p.toFixed(4) : p.toExponential(2);
}
