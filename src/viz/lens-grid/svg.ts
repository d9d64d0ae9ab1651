// SVG export of the logit-lens grid.
import type { AnalysisResult } from '../../engine/result';
import type { TokenGroup } from '../common/token-groups';
import { renderHeatmapSVG } from '../layer-heatmap/svg';
import { phaseBands } from '../phase-bands/data';
import { lensGridModel, type LensMetric } from './data';

export function renderSVG(result: AnalysisResult, metric: LensMetric = 'prob', opts: { bands?: boolean; width?: number; groups?: TokenGroup[] } = {}): string {
  return renderHeatmapSVG(lensGridModel(result, metric, opts.bands === false ? undefined : phaseBands(result), opts.groups), opts.width);
}
