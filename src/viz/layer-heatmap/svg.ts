// Vector SVG export of a layer heatmap: cells as rects, with axes, legend, labels and bands.
import { svgDocument } from '../common/svg';
import { layoutHeatmap, type HeatmapModel } from './data';
import { heatmapScene } from './draw';

export function renderHeatmapSVG(m: HeatmapModel, width = 900): string {
  const l = layoutHeatmap(m, width);
  return svgDocument(l.width, l.height, heatmapScene(m, l, { cells: true }), m.summary);
}
