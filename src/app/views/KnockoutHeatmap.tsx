// Knockout heatmap: layers x blocked source sets, change of the target probability (%),
// diverging colours centred on 0.
import { useMemo } from 'react';
import type { AnalysisResult } from '../../engine/result';
import { knockoutModel } from '../../viz/knockout-heatmap/data';
import { resolveBands, type BandsProp } from './bands';
import { HeatmapFrame } from './HeatmapFrame';
import type { Highlight } from './highlight';
import './views.css';

export interface KnockoutHeatmapProps {
  result: AnalysisResult;
  highlight: Highlight;
  onHighlight(h: Highlight): void;
  bands?: BandsProp;
}

export function KnockoutHeatmap({ result, highlight, onHighlight, bands }: KnockoutHeatmapProps) {
  const model = useMemo(() => knockoutModel(result, resolveBands(result, bands)), [result, bands]);
  if (!model) {
    return (
      <p className="xv-empty" data-testid="knockout-heatmap" data-rows={0}>
        No knockout sweep in this result.
      </p>
    );
  }
  return (
    <figure className="xv-figure" aria-label="Attention knockout">
      <HeatmapFrame model={model} testId="knockout-heatmap" highlight={highlight} onHighlight={onHighlight} />
      <figcaption className="xv-caption">
        Each cell cuts the last token off from one part of the prompt in a few layers around that row and shows how the answer's probability changes. Orange:
        the model needed that part there.
      </figcaption>
    </figure>
  );
}
