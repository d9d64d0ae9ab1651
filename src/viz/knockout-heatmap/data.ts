// Data provider for the knockout heatmap: rows = layers 1..L (the window centred on that layer),
// columns = source sets; value = 100 (p' - p) / p, diverging scale centred on 0.
import type { AnalysisResult, KnockoutResult } from '../../engine/result';
import { divergingScale } from '../common/scales';
import { showToken } from '../common/tokens';
import { layerName, layerRows, fmtProb } from '../layer-heatmap/columns';
import type { HeatmapModel } from '../layer-heatmap/data';
import type { PhaseBand } from '../phase-bands/data';

export const SET_LABEL: Record<string, string> = { question: 'question', answer: 'answer span', context: 'whole context', template: 'template' };

/** values[row = window i][col = set] */
export function knockoutGrid(k: KnockoutResult): (number | null)[][] {
  return k.windows.map((_, i) => k.sets.map((s) => k.effect[s]?.[i] ?? null));
}

/** colour limit: max |effect|, at most 100 (a drop cannot exceed -100%; large gains are clamped) */
export function knockoutColourMax(grid: (number | null)[][]): number {
  let m = 0;
  for (const row of grid) for (const v of row) if (v !== null && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return Math.min(100, m || 1);
}

export function knockoutModel(result: AnalysisResult, bands?: PhaseBand[]): HeatmapModel | null {
  const k = result.knockout;
  if (!k) return null;
  const L = result.model.numLayers;
  const grid = knockoutGrid(k);
  const m = knockoutColourMax(grid);
  return {
    id: 'knockout',
    title: `Knockout: change of p(“${showToken(result.prompt.target.text)}”) when the last position cannot see a set (window ${k.window})`,
    rows: layerRows(1, k.windows.length),
    cols: k.sets.map((s, i) => ({ index: i, label: SET_LABEL[s] ?? s })),
    values: grid,
    scale: divergingScale([], 'change of the target probability (%)', { fixedMax: m, format: (v) => `${v > 0 ? '+' : ''}${Math.round(v)}` }),
    legendSides: ['p drops', 'p rises'],
    columnKind: 'category',
    rowAxis: 'window centre',
    colAxis: 'blocked source',
    bands,
    summary: `Attention knockout over ${k.windows.length} windows of ${k.window} layers and ${k.sets.length} source sets; base probability ${fmtProb(k.baseProb)}.`,
    tooltip(r, c) {
      const [lo, hi] = k.windows[r];
      const v = grid[r][c];
      const set = SET_LABEL[k.sets[c]] ?? k.sets[c];
      const range = lo === hi ? `layer ${lo}` : `layers ${lo}–${hi}`;
      if (v === null) return `${layerName(r + 1, L)}\nblocking ${set}: no such tokens`;
      const p2 = k.baseProb * (1 + v / 100);
      return `${layerName(r + 1, L)}\nblock ${set} in ${range}\np ${fmtProb(k.baseProb)} → ${fmtProb(p2)} (${v > 0 ? '+' : ''}${v.toFixed(1)}%)`;
    },
  };
}
