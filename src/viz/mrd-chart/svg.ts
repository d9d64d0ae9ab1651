// SVG export of the MRD chart ('' when the result has no relevance).
import type { AnalysisResult } from '../../engine/result';
import { svgDocument } from '../common/svg';
import { mrdChartData } from './data';
import { mrdScene } from './draw';

export function renderSVG(result: AnalysisResult, opts: { width?: number } = {}): string {
  const d = mrdChartData(result);
  if (!d) return '';
  const s = mrdScene(d, opts.width ?? 620);
  return svgDocument(s.width, s.height, s.nodes, d.summary);
}
