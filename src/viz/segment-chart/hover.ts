// Hover and keyboard for the segment chart: a layer is picked by pointer or arrow keys, its
// slot outlined, its four shares in the tooltip, and the shared highlight gets the layer.
import { segmentTooltip, type SegmentChartData } from './data';
import type { SegmentLayout } from './draw';
import { listen } from '../common/listen';

export interface SegmentHoverHandle {
  setLayer(layer: number | null): void;
  destroy(): void;
}

export function attachSegmentHover(root: HTMLElement, svg: SVGSVGElement, tip: HTMLElement, d: SegmentChartData, l: SegmentLayout, onLayer: (layer: number | null) => void): SegmentHoverHandle {
  const hl = svg.querySelector<SVGRectElement>('rect.sc-hl');
  let active: number | null = null;
  const outline = (layer: number | null) => {
    if (!hl) return;
    if (layer === null || layer < 1 || layer > d.layers.length) return void hl.setAttribute('visibility', 'hidden');
    hl.setAttribute('x', String(l.slotX(layer)));
    hl.setAttribute('visibility', 'visible');
  };
  const show = (layer: number | null) => {
    active = layer;
    outline(layer);
    const ld = layer === null ? undefined : d.layers[layer - 1];
    if (!ld) {
      tip.hidden = true;
      onLayer(null);
      return;
    }
    tip.textContent = segmentTooltip(ld, d.numLayers);
    tip.hidden = false;
    tip.style.left = `${Math.min(l.slotX(ld.layer) + l.slotW + 4, l.width - 150)}px`;
    tip.style.top = `${l.plotY + 10}px`;
    onLayer(ld.layer);
  };
  const onOver = (ev: PointerEvent) => {
    const g = (ev.target as Element | null)?.closest?.('[data-layer]');
    const v = g ? Number(g.getAttribute('data-layer')) : null;
    if (v !== active) show(v);
  };
  const onLeave = () => show(null);
  const onKey = (ev: KeyboardEvent) => {
    const cur = active ?? d.layers.length;
    let next: number | null = null;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowUp') next = Math.min(d.layers.length, cur + 1);
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowDown') next = Math.max(1, cur - 1);
    else if (ev.key === 'Escape') return show(null);
    if (next !== null) {
      ev.preventDefault();
      show(next);
    }
  };
  const onFocus = () => show(active ?? d.layers.length);
  const unlisten = listen([[svg, 'pointerover', onOver], [svg, 'pointerleave', onLeave], [root, 'keydown', onKey], [root, 'focus', onFocus], [root, 'blur', onLeave]]);
  return {
    setLayer: outline,
    destroy() {
      unlisten();
      tip.hidden = true;
    },
  };
}
