// One entry point for the export feature: the vector SVG of any view, from the same data the
// page draws (each src/viz/<view>/svg.ts).
import type { AnalysisResult, MatrixResult } from '../../engine/result';
import type { TokenGroup } from '../../viz/common/token-groups';
import { renderSVG as attentionSVG } from '../../viz/attention-heatmap/svg';
import { renderSVG as compareSVG } from '../../viz/compare/svg';
import { renderSVG as knockoutSVG } from '../../viz/knockout-heatmap/svg';
import { renderSVG as lensSVG } from '../../viz/lens-grid/svg';
import type { LensMetric } from '../../viz/lens-grid/data';
import { renderSVG as mrdSVG } from '../../viz/mrd-chart/svg';
import { renderSVG as pairSVG } from '../../viz/pair-matrix/svg';
import type { PairMetric } from '../../viz/pair-matrix/data';
import { renderSVG as bandsSVG } from '../../viz/phase-bands/svg';
import { renderSVG as phaseSVG } from '../../viz/phase-summary/svg';
import { renderSVG as segmentSVG } from '../../viz/segment-chart/svg';
import { renderSVG as relevanceSVG } from '../../viz/relevance-heatmap/svg';
import { renderSVG as tokensSVG } from '../../viz/token-strip/svg';
import { langName } from './PairMatrix';

export type ExportView =
  | { view: 'token-strip'; result: AnalysisResult; groups?: TokenGroup[] }
  | { view: 'lens'; result: AnalysisResult; metric?: LensMetric; groups?: TokenGroup[] }
  | { view: 'attention'; result: AnalysisResult; head?: number | null; groups?: TokenGroup[] }
  | { view: 'segment-chart'; result: AnalysisResult; mode?: 'stacked' | 'lines' }
  | { view: 'phase-summary'; result: AnalysisResult }
  | { view: 'phase-bands'; result: AnalysisResult }
  | { view: 'knockout'; result: AnalysisResult }
  | { view: 'relevance'; result: AnalysisResult; groups?: TokenGroup[] }
  | { view: 'mrd-chart'; result: AnalysisResult }
  | { view: 'pair-matrix'; matrix: MatrixResult; metric?: PairMetric }
  | { view: 'compare'; a: AnalysisResult; b: AnalysisResult; diff?: boolean };

/** the SVG document of a view ('' when the result lacks that analysis) */
export function exportSVG(v: ExportView): string {
  switch (v.view) {
    case 'token-strip':
      return tokensSVG(v.result, { groups: v.groups });
    case 'lens':
      return lensSVG(v.result, v.metric ?? 'prob', { groups: v.groups });
    case 'attention':
      return attentionSVG(v.result, v.head ?? null, { groups: v.groups });
    case 'segment-chart':
      return segmentSVG(v.result, v.mode ?? 'stacked');
    case 'phase-summary':
      return phaseSVG(v.result);
    case 'phase-bands':
      return bandsSVG(v.result);
    case 'knockout':
      return knockoutSVG(v.result);
    case 'relevance':
      return relevanceSVG(v.result, { groups: v.groups });
    case 'mrd-chart':
      return mrdSVG(v.result);
    case 'pair-matrix':
      return pairSVG(v.matrix, v.metric ?? 'exactMatch', { langName });
    case 'compare':
      return compareSVG(v.a, v.b, v.diff ?? false);
  }
}
