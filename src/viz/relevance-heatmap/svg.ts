// SVG export of the relevance heatmap ('' when the result has no relevance section).
import type { AnalysisResult } from '../../engine/result';
import type { TokenGroup } from '../common/token-groups';
import { renderHeatmapSVG } from '../layer-heatmap/svg';
import { phaseBands } from '../phase-bands/data';
import { relevanceModel } from './data';

export function renderSVG(result: AnalysisResult, opts: { bands?: boolean; width?: number; groups?: TokenGroup[] } = {}): string {
  const m = relevanceModel(result, opts.bands === false ? undefined : phaseBands(result), opts.groups);
  return m ? renderHeatmapSVG(m, opts.width) : '';
}
