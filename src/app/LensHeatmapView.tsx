// React wrapper around the d3 logit-lens heatmap (src/viz/lens-heatmap).
import { useEffect, useMemo, useRef, useState } from 'react';
import { lensHeatmapData } from '../viz/lens-heatmap/data';
import { drawLensHeatmap } from '../viz/lens-heatmap/draw';
import { attachHover } from '../viz/lens-heatmap/hover';
import type { RunResult } from '../worker/messages';

export function LensHeatmapView({ result }: { result: RunResult }) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(480);
  const data = useMemo(() => lensHeatmapData(result.lens, result.tokens[result.tokens.length - 1] ?? ''), [result]);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(280, Math.min(640, Math.floor(entry.contentRect.width)))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!svgRef.current || !tipRef.current) return;
    const layout = drawLensHeatmap(svgRef.current, data, width);
    const hover = attachHover(svgRef.current, tipRef.current, data, layout);
    return () => hover.destroy();
  }, [data, width]);

  return (
    <section className="lens" aria-label="Logit lens">
      <h2>Logit lens</h2>
      <p className="hint">
        Each row projects the residual stream after one layer through the final norm and the unembedding: the most likely next token and its
        probability. Hover, or focus the chart and use the arrow keys.
      </p>
      <div className="lens-wrap" ref={wrapRef}>
        <svg
          ref={svgRef}
          role="img"
          aria-label={data.summary}
          tabIndex={0}
          data-testid="lens-heatmap"
          data-layers={data.cells.length}
        />
        <div className="tooltip" ref={tipRef} hidden aria-live="polite" />
      </div>
    </section>
  );
}
