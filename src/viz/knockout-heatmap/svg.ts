// SVG export of the knockout heatmap ('' when the result has no knockout sweep).
import type { AnalysisResult } from '../../engine/result';
import { renderHeatmapSVG } from '../layer-heatmap/svg';
import { phaseBands } from '../phase-bands/data';
import { knockoutModel } from './data';

export function renderSVG(result: AnalysisResult, opts: { bands?: boolean; width?: number } = {}): string {
  const m = knockoutModel(result, opts.bands === false ? undefined : phaseBands(result));
  return m ? renderHeatmapSVG(m, opts.width ?? 560) : '';
}
