// The analysis views (React wrappers around src/viz/*), their shared highlight, and the registry
// of every view (export names, SVG builders, what the Explore tab draws).
export { TokenStrip } from './TokenStrip';
export { LensHeatmap } from './LensHeatmap';
export { LensCoverage } from './LensCoverage';
export { AttentionHeatmap } from './AttentionHeatmap';
export { SegmentChart } from './SegmentChart';
export { PhaseSummary } from './PhaseSummary';
export { KnockoutHeatmap } from './KnockoutHeatmap';
export { RelevanceHeatmap } from './RelevanceHeatmap';
export { MrdChart } from './MrdChart';
export { PhaseBands } from './PhaseBands';
export { PairMatrix } from './PairMatrix';
export { CompareView } from './CompareView';
export { type Highlight, NO_HIGHLIGHT, mergeHighlight, sameHighlight } from './highlight';
export { ExploreViews, exportableViews } from './registry';
