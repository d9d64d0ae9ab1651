// Segment chart: per layer, the attention mass of the last position on context, answer span,
// question and template, as stacked bars or lines.
import { useEffect, useMemo, useRef } from 'react';
import type { AnalysisResult } from '../../engine/result';
import { segmentChartData } from '../../viz/segment-chart/data';
import { drawSegmentChart, layoutSegmentChart, type SegmentMode } from '../../viz/segment-chart/draw';
import { attachSegmentHover, type SegmentHoverHandle } from '../../viz/segment-chart/hover';
import type { Highlight } from './highlight';
import { useWidth } from './useWidth';
import './views.css';

export interface SegmentChartProps {
  result: AnalysisResult;
  mode: SegmentMode;
  highlight: Highlight;
  onHighlight(h: Highlight): void;
}

export function SegmentChart({ result, mode, highlight, onHighlight }: SegmentChartProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const handle = useRef<SegmentHoverHandle | null>(null);
  const cb = useRef(onHighlight);
  cb.current = onHighlight;
  const width = useWidth(wrapRef, 560);
  const data = useMemo(() => segmentChartData(result), [result]);
  const layout = layoutSegmentChart(data, width);

  useEffect(() => {
    const root = rootRef.current;
    const svg = svgRef.current;
    const tip = tipRef.current;
    if (!root || !svg || !tip) return;
    const l = drawSegmentChart(svg, data, mode, width);
    handle.current = attachSegmentHover(root, svg, tip, data, l, (layer) => cb.current({ layer, token: null }));
    return () => {
      handle.current?.destroy();
      handle.current = null;
    };
  }, [data, mode, width]);

  useEffect(() => {
    handle.current?.setLayer(highlight.layer);
  }, [highlight.layer, data, mode, width]);

  return (
    <figure className="xv-figure" aria-label="Attention by prompt part">
      <div className="xv-scroll" ref={wrapRef}>
        <div ref={rootRef} className="xv-chart" data-testid="segment-chart" data-rows={data.layers.length} role="img" aria-label={data.summary} tabIndex={0} style={{ width: layout.width, height: layout.height }}>
          <svg ref={svgRef} />
          <div className="tooltip" ref={tipRef} hidden aria-live="polite" />
        </div>
      </div>
      <figcaption className="xv-caption">For each layer, how the last token splits its attention between the parts of the prompt (mean over heads).</figcaption>
    </figure>
  );
}
