// SVG export of the segment chart.
import type { AnalysisResult } from '../../engine/result';
import { svgDocument } from '../common/svg';
import { segmentChartData } from './data';
import { layoutSegmentChart, segmentScene, type SegmentMode } from './draw';

export function renderSVG(result: AnalysisResult, mode: SegmentMode = 'stacked', opts: { width?: number } = {}): string {
  const d = segmentChartData(result);
  const l = layoutSegmentChart(d, opts.width ?? 640);
  return svgDocument(l.width, l.height, segmentScene(d, mode, l), d.summary);
}
