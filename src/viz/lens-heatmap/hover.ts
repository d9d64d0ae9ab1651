// Hover and keyboard focus for the logit-lens heatmap: highlights a row and shows a tooltip.
// Arrow keys move between layers when the chart has focus.
import { pointer, select } from 'd3';
import type { LensCell, LensHeatmapData } from './data';
import type { LensLayout } from './draw';

export interface HoverHandle {
  destroy(): void;
}

function tooltipText(c: LensCell, numLayers: number): string {
  const where = c.layer === 0 ? 'Embeddings (layer 0)' : `Layer ${c.layer} of ${numLayers}`;
  return `${where}\ntop-1: ${c.tokenDisplay}  (id ${c.tokenId})\np = ${c.prob.toFixed(4)}`;
}

export function attachHover(svgEl: SVGSVGElement, tooltipEl: HTMLElement, data: LensHeatmapData, layout: LensLayout): HoverHandle {
  const svg = select(svgEl);
  const highlight = svg.select<SVGRectElement>('rect.lens-highlight');
  let active: number | null = null;

  const show = (layer: number | null, at?: [number, number]) => {
    active = layer;
    const cell = layer === null ? undefined : data.cells.find((c) => c.layer === layer);
    if (!cell) {
      highlight.attr('visibility', 'hidden');
      tooltipEl.hidden = true;
      return;
    }
    const y = layout.rowY(cell.layer);
    highlight.attr('y', y).attr('visibility', 'visible');
    tooltipEl.textContent = tooltipText(cell, data.numLayers);
    tooltipEl.hidden = false;
    const [x, ty] = at ?? [layout.cellX + layout.cellWidth / 2, y];
    tooltipEl.style.left = `${Math.min(x + 14, layout.width - 180)}px`;
    tooltipEl.style.top = `${ty + layout.rowHeight + 4}px`;
  };

  const layerAt = (y: number): number | null => {
    for (const c of data.cells) {
      const top = layout.rowY(c.layer);
      if (y >= top && y < top + layout.rowHeight) return c.layer;
    }
    return null;
  };

  svg
    .on('pointermove.hover', (ev: PointerEvent) => {
      const [x, y] = pointer(ev, svgEl);
      show(x >= layout.cellX - 60 ? layerAt(y) : null, [x, y]);
    })
    .on('pointerleave.hover', () => show(null))
    .on('focus.hover', () => show(active ?? data.numLayers))
    .on('blur.hover', () => show(null))
    .on('keydown.hover', (ev: KeyboardEvent) => {
      const cur = active ?? data.numLayers;
      let next: number | null = null;
      if (ev.key === 'ArrowUp') next = Math.min(data.numLayers, cur + 1);
      else if (ev.key === 'ArrowDown') next = Math.max(0, cur - 1);
      else if (ev.key === 'Home') next = data.numLayers;
      else if (ev.key === 'End') next = 0;
      else if (ev.key === 'Escape') return show(null);
      if (next !== null) {
        ev.preventDefault();
        show(next);
      }
    });

  return {
    destroy() {
      svg.on('.hover', null);
      tooltipEl.hidden = true;
    },
  };
}
