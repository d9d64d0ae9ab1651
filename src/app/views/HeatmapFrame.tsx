// React frame around the generic layer heatmap (src/viz/layer-heatmap): canvas for cells,
// SVG overlay for axes / labels / bands, a tooltip, keyboard focus and the shared highlight.
import { useEffect, useId, useMemo, useRef } from 'react';
import { layoutHeatmap, type HeatmapModel } from '../../viz/layer-heatmap/data';
import { drawHeatmap } from '../../viz/layer-heatmap/draw';
import { attachHeatmapHover, type HeatmapHoverHandle } from '../../viz/layer-heatmap/hover';
import type { Highlight } from './highlight';
import { queueDraw } from './frame-queue';
import { useWidth } from './useWidth';

export interface HeatmapFrameProps {
  model: HeatmapModel;
  testId: string;
  highlight: Highlight;
  onHighlight(h: Highlight): void;
  /** fixed grid height (compare view: align two models by relative depth) */
  gridHeight?: number;
  /** map the shared highlight onto this heatmap's layers (compare view) */
  mapLayer?(layer: number | null): number | null;
  /** map this heatmap's layers back to the shared highlight */
  unmapLayer?(layer: number | null): number | null;
}

export function HeatmapFrame({ model: given, testId, highlight, onHighlight, gridHeight, mapLayer, unmapLayer }: HeatmapFrameProps) {
  // gradient ids must be unique in the page (several heatmaps share a model id)
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const model = useMemo(() => ({ ...given, id: `${given.id}-${uid}` }), [given, uid]);
  const wrapRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const handleRef = useRef<HeatmapHoverHandle | null>(null);
  const onHighlightRef = useRef(onHighlight);
  onHighlightRef.current = onHighlight;
  const unmapRef = useRef(unmapLayer);
  unmapRef.current = unmapLayer;
  const layer = mapLayer ? mapLayer(highlight.layer) : highlight.layer;
  /** the highlight to show once a queued draw has run */
  const shownRef = useRef({ layer, token: highlight.token });
  shownRef.current = { layer, token: highlight.token };
  const width = useWidth(wrapRef);
  const layout = layoutHeatmap(model, width, { gridHeight });

  useEffect(() => {
    const root = rootRef.current;
    const canvas = canvasRef.current;
    const svg = svgRef.current;
    const tip = tipRef.current;
    if (!root || !canvas || !svg || !tip) return;
    // drawn in an animation frame of its own (frame-queue.ts), not in the task that delivered the result
    let handle: HeatmapHoverHandle | null = null;
    const cancel = queueDraw(root, () => {
      const l = layoutHeatmap(model, width, { gridHeight });
      drawHeatmap(canvas, svg, model, l);
      handle = attachHeatmapHover(root, svg, tip, model, l, (h) => {
        const un = unmapRef.current;
        onHighlightRef.current(un ? { layer: un(h.layer), token: h.token } : h);
      });
      handleRef.current = handle;
      handle.setHighlight(shownRef.current);
    });
    return () => {
      cancel();
      handle?.destroy();
      handleRef.current = null;
    };
  }, [model, width, gridHeight]);

  useEffect(() => {
    handleRef.current?.setHighlight({ layer, token: highlight.token });
  }, [layer, highlight.token, model, width, gridHeight]);

  return (
    <div className="xv-scroll" ref={wrapRef}>
      <div
        className="xv-heatmap"
        ref={rootRef}
        data-testid={testId}
        data-rows={model.rows.length}
        data-cols={model.cols.length}
        role="img"
        aria-label={model.summary}
        tabIndex={0}
        style={{ position: 'relative', width: layout.width, height: layout.height }}
      >
        <canvas ref={canvasRef} aria-hidden="true" style={{ position: 'absolute', left: 0, top: 0 }} />
        <svg ref={svgRef} style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible' }} />
        <div className="tooltip" ref={tipRef} hidden aria-live="polite" />
      </div>
    </div>
  );
}
