// Attention heatmap: layers 1..L x prompt positions, attention of the last position (mean of
// heads or one head), segment boundaries marked.
import { useMemo } from 'react';
import type { AnalysisResult } from '../../engine/result';
import type { TokenGroup } from '../../viz/common/token-groups';
import { attentionModel } from '../../viz/attention-heatmap/data';
import { resolveBands, type BandsProp } from './bands';
import { HeatmapFrame } from './HeatmapFrame';
import type { Highlight } from './highlight';
import './views.css';

export interface AttentionHeatmapProps {
  result: AnalysisResult;
  /** query head, null = mean over heads */
  head: number | null;
  highlight: Highlight;
  onHighlight(h: Highlight): void;
  bands?: BandsProp;
  /** long contexts by sentence (token-groups.ts); absent = every token */
  groups?: TokenGroup[];
}

export function AttentionHeatmap({ result, head, highlight, onHighlight, bands, groups }: AttentionHeatmapProps) {
  const model = useMemo(() => attentionModel(result, head, resolveBands(result, bands), groups), [result, head, bands, groups]);
  return (
    <figure className="xv-figure" aria-label="Attention of the last position">
      <HeatmapFrame model={model} testId="attention-heatmap" highlight={highlight} onHighlight={onHighlight} />
      <figcaption className="xv-caption">
        Where the last token (the one that must produce the answer) looks in each layer. Dashed white lines separate the prompt's parts; the coloured strip on
        top names them.
      </figcaption>
    </figure>
  );
}
