// The `bands` prop of the heatmap wrappers: true (default) = the result's own phase bands,
// false = none, or an explicit list (e.g. from another result in the compare view).
import type { AnalysisResult } from '../../engine/result';
import { phaseBands, type PhaseBand } from '../../viz/phase-bands/data';

export type BandsProp = boolean | PhaseBand[] | undefined;

export function resolveBands(result: AnalysisResult, bands: BandsProp): PhaseBand[] | undefined {
  if (bands === false) return undefined;
  if (Array.isArray(bands)) return bands;
  return phaseBands(result);
}
