// SVG export of the attention heatmap.
import type { AnalysisResult } from '../../engine/result';
import type { TokenGroup } from '../common/token-groups';
import { renderHeatmapSVG } from '../layer-heatmap/svg';
import { phaseBands } from '../phase-bands/data';
import { attentionModel } from './data';

export function renderSVG(result: AnalysisResult, head: number | null = null, opts: { bands?: boolean; width?: number; groups?: TokenGroup[] } = {}): string {
  return renderHeatmapSVG(attentionModel(result, head, opts.bands === false ? undefined : phaseBands(result), opts.groups), opts.width);
}
