// SVG export of the compare view: for every kind both models side by side (or the difference),
// stacked vertically in one document.
import { isolateName } from '../../state/text-safety';
import type { AnalysisResult } from '../../engine/result';
import { modelName } from '../common/model-name';
import { h, svgDocument, t, type SNode } from '../common/svg';
import { fitText } from '../common/text-width';
import { layoutHeatmap, type HeatmapModel } from '../layer-heatmap/data';
import { heatmapScene } from '../layer-heatmap/draw';
import { COMPARE_KINDS, diffModel, KIND_TITLE, sideBySide } from './data';

function block(m: HeatmapModel, x: number, y: number, width: number, gridHeight?: number): { node: SNode; w: number; h: number } {
  const l = layoutHeatmap(m, width, { gridHeight });
  return { node: h('g', { transform: `translate(${x},${y})` }, heatmapScene(m, l, { cells: true })), w: l.width, h: l.height };
}

export function renderSVG(a: AnalysisResult, b: AnalysisResult, diff: boolean, opts: { width?: number } = {}): string {
  const width = opts.width ?? 1200;
  const heading = `A: ${isolateName(modelName(a.model.id))} (${a.model.numLayers} layers)   B: ${isolateName(modelName(b.model.id))} (${b.model.numLayers} layers)${diff ? '   — showing B − A' : ''}`;
  const nodes: SNode[] = [t('text', { x: 12, y: 20, 'font-size': 14, 'font-weight': 600 }, fitText(heading, width - 24, 14, 600))];
  let y = 34;
  let maxW = width;
  for (const kind of COMPARE_KINDS) {
    nodes.push(t('text', { x: 12, y: y + 14, 'font-size': 13, 'font-weight': 600 }, KIND_TITLE[kind]));
    y += 22;
    if (diff) {
      const d = diffModel(a, b, kind);
      if (!d.model) {
        nodes.push(t('text', { x: 12, y: y + 12, 'font-size': 11 }, d.reason));
        y += 24;
        continue;
      }
      const bl = block(d.model, 0, y, width);
      nodes.push(bl.node);
      y += bl.h + 8;
      maxW = Math.max(maxW, bl.w);
    } else {
      const p = sideBySide(a, b, kind);
      if (!p) {
        nodes.push(t('text', { x: 12, y: y + 12, 'font-size': 11 }, 'Not in both results.'));
        y += 24;
        continue;
      }
      const gh = 14 * Math.max(p.a.rows.length, p.b.rows.length);
      const half = Math.floor(width / 2);
      const ba = block({ ...p.a, id: `${p.a.id}-a`, title: `A: ${p.a.title}` }, 0, y, half, gh);
      const bb = block({ ...p.b, id: `${p.b.id}-b`, title: `B: ${p.b.title}` }, ba.w, y, half, gh);
      nodes.push(ba.node, bb.node);
      y += Math.max(ba.h, bb.h) + 8;
      maxW = Math.max(maxW, ba.w + bb.w);
    }
  }
  return svgDocument(maxW, y + 8, nodes, `Comparison of ${isolateName(modelName(a.model.id))} and ${isolateName(modelName(b.model.id))}`);
}
