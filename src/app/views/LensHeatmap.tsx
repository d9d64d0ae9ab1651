// Logit-lens grid: layers 0..L x prompt positions, probability / log-probability / rank of the
// target token; top-1 token in the tooltip. data-testid "lens-heatmap" (the contract's id; the
// older single-column lens view, src/viz/lens-heatmap, is no longer on the page).
import { useMemo } from 'react';
import type { AnalysisResult } from '../../engine/result';
import type { TokenGroup } from '../../viz/common/token-groups';
import { lensGridModel, type LensMetric } from '../../viz/lens-grid/data';
import { resolveBands, type BandsProp } from './bands';
import { HeatmapFrame } from './HeatmapFrame';
import type { Highlight } from './highlight';
import './views.css';

export interface LensHeatmapProps {
  result: AnalysisResult;
  metric: LensMetric;
  highlight: Highlight;
  onHighlight(h: Highlight): void;
  bands?: BandsProp;
  /** long contexts by sentence (token-groups.ts); absent = every token */
  groups?: TokenGroup[];
}

export function LensHeatmap({ result, metric, highlight, onHighlight, bands, groups }: LensHeatmapProps) {
  const model = useMemo(() => lensGridModel(result, metric, resolveBands(result, bands), groups), [result, metric, bands, groups]);
  return (
    <figure className="xv-figure" aria-label="Logit lens">
      <HeatmapFrame model={model} testId="lens-heatmap" highlight={highlight} onHighlight={onHighlight} />
      <figcaption className="xv-caption">
        Each row reads the residual stream after one layer through the model's final norm and output matrix: how likely the answer's first token would be
        if the model stopped there. Hover a cell for the top-1 token; focus the chart and use the arrow keys.
      </figcaption>
    </figure>
  );
}
