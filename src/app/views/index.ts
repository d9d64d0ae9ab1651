// The analysis views (React wrappers around src/viz/*), their shared highlight, and the registry
// of every view (export names, SVG builders, what the Explore tab draws).


export { LensCoverage } from './LensCoverage';







export { PairMatrix } from './PairMatrix';
export { CompareView } from './CompareView';
export { type Highlight } from './highlight';
export { ExploreViews, exportableViews } from './registry';
