// A generic layers x columns heatmap (lens, attention, relevance, knockout and their diffs):
// the model every specific view's data provider fills, and the pure layout computed from it.
import type { Segment } from '../../engine/text/prompt';
import type { ColourScale } from '../common/scales';
import { SEGMENT_COLOUR, SEGMENT_LABEL } from '../common/segments';
import { textWidth, wrapText } from '../common/text-width';
import { swatchKeyLayout, type KeyItem } from '../legend/data';
import { bandsByLayer, bandsExplanation, type PhaseBand } from '../phase-bands/data';

export interface HeatmapRow {
  /** the model's layer number (0 = embeddings) */
  layer: number;
  label: string;
}

export interface HeatmapCol {
  /** prompt position for token columns, else the column index */
  index: number;
  /** short axis label (whitespace made visible) */
  label: string;
  segment?: Segment;
  /** a column standing for several prompt positions (a run of context tokens), inclusive */
  span?: [number, number];
}

export interface HeatmapModel {
  /** stable id, used for gradient ids and test ids */
  id: string;
  title: string;
  /** rows from the lowest layer up; drawn with the last row at the top (the residual stream flows upward) */
  rows: HeatmapRow[];
  cols: HeatmapCol[];
  /** values[row][col], null = no data */
  values: (number | null)[][];
  scale: ColourScale;
  /** what the two ends of a diverging legend mean */
  legendSides?: [string, string];
  /** columns are prompt positions (data-token) or named categories (data-col) */
  columnKind: 'token' | 'category';
  rowAxis: string;
  colAxis: string;
  /** multi-line tooltip text of one cell */
  tooltip(row: number, col: number): string;
  /** one-sentence summary for screen readers */
  summary: string;
  bands?: PhaseBand[];
  bandsNote?: string;
}

export interface HeatmapLayout {
  width: number;
  height: number;
  gridX: number;
  gridY: number;
  gridW: number;
  gridH: number;
  cellW: number;
  cellH: number;
  /** label every k-th column (1 = all) */
  labelEvery: number;
  colLabelHeight: number;
  /** font size of the column labels */
  colFontSize: number;
  /** the title, wrapped to the width */
  titleLines: string[];
  legendY: number;
  legendW: number;
  /** the segment key: right of the legend when it fits, else under it, wrapped to the width */
  key: KeyItem[];
  keyX: number;
  keyY: number;
  keyMaxW: number;
  noteY: number;
  /** footnotes (phase-band explanation, band note), wrapped to the width */
  noteLines: { text: string; muted: boolean }[];
}

const MARGIN = { left: 52, right: 150, top: 40 };

/** indices c > 0 where cols[c] starts a new segment */
export function segmentBoundaries(cols: HeatmapCol[]): number[] {
  const out: number[] = [];
  for (let c = 1; c < cols.length; c++) if (cols[c].segment !== cols[c - 1].segment) out.push(c);
  return out;
}

/** maximal runs of one segment: [segment, first col, last col] */
export function segmentRuns(cols: HeatmapCol[]): { segment: Segment; start: number; end: number }[] {
  const runs: { segment: Segment; start: number; end: number }[] = [];
  cols.forEach((c, i) => {
    if (!c.segment) return;
    const last = runs[runs.length - 1];
    if (last && last.segment === c.segment && last.end === i - 1) last.end = i;
    else runs.push({ segment: c.segment, start: i, end: i });
  });
  return runs;
}

/**
 * Layout for a width. Token columns share the width (at least 2 px; the chart scrolls sideways
 * beyond that); category columns too. `gridHeight` fixes the grid height (the
 * compare view uses it so two models of different depth align by relative depth).
 */
export function layoutHeatmap(m: HeatmapModel, width: number, opts: { gridHeight?: number } = {}): HeatmapLayout {
  const nCols = Math.max(1, m.cols.length);
  const nRows = Math.max(1, m.rows.length);
  // the phase-band tags right of the grid need their room
  let tagsW = 0;
  for (const list of bandsByLayer(m.bands ?? []).values()) tagsW = Math.max(tagsW, list.reduce((a, b) => a + textWidth(b.tag, 10, 600) + 5, 4));
  const right = Math.max(MARGIN.right, tagsW + 8);
  const avail = Math.max(80, width - MARGIN.left - right);
  // token columns shrink (down to 2 px) so the whole prompt fits the width; labels thin out
  const cellW = m.columnKind === 'token' ? Math.max(2, Math.min(28, avail / nCols)) : Math.max(24, Math.min(110, Math.floor(avail / nCols)));
  const gridW = cellW * nCols;
  const cellH = opts.gridHeight ? opts.gridHeight / nRows : nRows > 40 ? 8 : nRows > 24 ? 12 : nRows > 12 ? 16 : 22;
  const gridH = cellH * nRows;
  const labelEvery = m.columnKind === 'token' ? Math.max(1, Math.ceil(11 / cellW)) : 1;
  const gridX = MARGIN.left;
  const full = Math.max(width, gridX + gridW + right);
  const textW = full - gridX - 8;
  const titleLines = wrapText(m.title, textW, 13, 600);
  const gridY = MARGIN.top + (titleLines.length - 1) * 16;
  // room for the vertical token labels (clipped to 9 characters), as wide as the longest is long
  const colFontSize = m.columnKind === 'token' ? Math.min(11, Math.max(8, cellW - 2)) : 11;
  let longest = 0;
  if (m.columnKind === 'token') m.cols.forEach((c, i) => i % labelEvery === 0 && (longest = Math.max(longest, textWidth(clip(c.label, 9), colFontSize))));
  const colLabelHeight = m.columnKind === 'token' ? Math.min(110, 10 + Math.ceil(longest)) : 22;
  const legendY = gridY + gridH + colLabelHeight + 18;
  const legendW = Math.min(260, Math.max(160, gridW * 0.6));
  const legendBottom = legendY + (m.legendSides ? 54 : 42);
  const key = [...new Set(segmentRuns(m.cols).map((r) => r.segment))].map((s) => ({ label: SEGMENT_LABEL[s], colour: SEGMENT_COLOUR[s] }));
  let keyX = gridX + legendW + 24;
  let keyY = legendY + 14;
  let keyMaxW = full - keyX - 8;
  let below = legendBottom;
  if (key.length && swatchKeyLayout(key, keyMaxW).height > 12) {
    keyX = gridX;
    keyY = legendBottom + 6;
    keyMaxW = textW;
    below = keyY + swatchKeyLayout(key, keyMaxW).height;
  }
  const noteY = Math.max(legendY + 68, below + 20);
  const noteLines = [
    ...wrapText(m.bands?.length ? bandsExplanation(m.bands) : '', textW, 10.5).map((text) => ({ text, muted: false })),
    ...wrapText(m.bandsNote ?? '', textW, 10.5).map((text) => ({ text, muted: true })),
  ];
  const height = noteLines.length ? noteY + (noteLines.length - 1) * 14 + 8 : noteY - 8;
  return { width: full, height, gridX, gridY, gridW, gridH, cellW, cellH, labelEvery, colLabelHeight, colFontSize, titleLines, legendY, legendW, key, keyX, keyY, keyMaxW, noteY, noteLines };
}

/** top y of row index r (row 0 = lowest layer, drawn at the bottom) */
export function rowTop(l: HeatmapLayout, nRows: number, r: number): number {
  return l.gridY + (nRows - 1 - r) * l.cellH;
}

/**
 * The cell under a point, or null. Over the column labels (or the segment strip) the nearest
 * row is taken, so hovering a token label still shows its column.
 */
export function cellAt(m: HeatmapModel, l: HeatmapLayout, x: number, y: number): { row: number; col: number } | null {
  if (x < l.gridX || x >= l.gridX + l.gridW || y < l.gridY - 10 || y >= l.gridY + l.gridH + l.colLabelHeight) return null;
  const col = Math.min(m.cols.length - 1, Math.floor((x - l.gridX) / l.cellW));
  const fromTop = Math.max(0, Math.min(m.rows.length - 1, Math.floor((y - l.gridY) / l.cellH)));
  return { row: m.rows.length - 1 - fromTop, col };
}

export function rowOfLayer(m: HeatmapModel, layer: number | null): number {
  if (layer === null) return -1;
  return m.rows.findIndex((r) => r.layer === layer);
}

export function colOfIndex(m: HeatmapModel, index: number | null): number {
  if (index === null) return -1;
  return m.cols.findIndex((c) => c.index === index || (c.span !== undefined && index >= c.span[0] && index <= c.span[1]));
}

/** shorten an axis label to n characters */
export function clip(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : s;
}

/** q-quantile of |v| (robust colour limit when a few cells dominate, e.g. relevance at the last position) */
export function absQuantile(values: (number | null)[][], q: number): number {
  let n = 0;
  for (const row of values) n += row.length;
  // a typed array sorts numerically and several times faster than an array with a comparator
  const a = new Float64Array(n);
  n = 0;
  for (const row of values) for (const v of row) if (v !== null && Number.isFinite(v)) a[n++] = Math.abs(v);
  if (!n) return 1;
  const b = a.subarray(0, n).sort();
  return b[Math.min(n - 1, Math.floor(q * (n - 1)))] || b[n - 1] || 1;
}
