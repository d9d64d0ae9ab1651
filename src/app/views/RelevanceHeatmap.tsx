// Relevance heatmap: layers 0..L x prompt positions, AttnLRP relevance for the target logit,
// diverging colours centred on 0.
import { useMemo } from 'react';
import type { AnalysisResult } from '../../engine/result';
import type { TokenGroup } from '../../viz/common/token-groups';
import { relevanceModel } from '../../viz/relevance-heatmap/data';
import { resolveBands, type BandsProp } from './bands';
import { HeatmapFrame } from './HeatmapFrame';
import type { Highlight } from './highlight';
import './views.css';

export interface RelevanceHeatmapProps {
  result: AnalysisResult;
  highlight: Highlight;
  onHighlight(h: Highlight): void;
  bands?: BandsProp;
  /** long contexts by sentence (token-groups.ts); absent = every token */
  groups?: TokenGroup[];
}

export function RelevanceHeatmap({ result, highlight, onHighlight, bands, groups }: RelevanceHeatmapProps) {
  const model = useMemo(() => relevanceModel(result, resolveBands(result, bands), groups), [result, bands, groups]);
  if (!model) {
    return (
      <p className="xv-empty" data-testid="relevance-heatmap" data-rows={0}>
        No relevance in this result.
      </p>
    );
  }
  return (
    <figure className="xv-figure" aria-label="Relevance">
      <HeatmapFrame model={model} testId="relevance-heatmap" highlight={highlight} onHighlight={onHighlight} />
      <figcaption className="xv-caption">
        How much each token's state at each depth contributes to the answer's score (AttnLRP). Purple pushes towards the answer, orange away from it.
      </figcaption>
    </figure>
  );
}
