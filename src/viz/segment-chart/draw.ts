// Drawing of the segment chart (SVG: few elements): stacked bars or lines, one <g data-layer>
// per layer, a y axis in percent and a segment key.
import { line, scaleBand, scaleLinear } from 'd3';
import { mount } from '../common/mount';
import { SEGMENT_COLOUR, SEGMENT_LABEL, SEGMENT_ORDER } from '../common/segments';
import { h, t, type SNode } from '../common/svg';
import { swatchKey, swatchKeyLayout } from '../legend/draw';
import type { SegmentChartData } from './data';

export type SegmentMode = 'stacked' | 'lines';

export interface SegmentLayout {
  width: number;
  height: number;
  plotX: number;
  plotY: number;
  plotW: number;
  plotH: number;
  /** left edge and width of a layer's slot */
  slotX(layer: number): number;
  slotW: number;
}

const M = { left: 46, right: 12, top: 28, bottom: 62 };

const KEY = SEGMENT_ORDER.map((s) => ({ label: SEGMENT_LABEL[s], colour: SEGMENT_COLOUR[s] }));

export function layoutSegmentChart(d: SegmentChartData, width: number): SegmentLayout {
  const plotW = Math.max(220, Math.min(width - M.left - M.right, Math.max(340, d.layers.length * 44)));
  const plotH = 180;
  // the key wraps under the plot on narrow screens
  const keyH = swatchKeyLayout(KEY, plotW + M.right - 4).height;
  const x = scaleBand<number>().domain(d.layers.map((l) => l.layer)).range([0, plotW]).paddingInner(0.15).paddingOuter(0.08);
  const step = x.step();
  return { width: M.left + plotW + M.right, height: M.top + plotH + M.bottom + Math.max(0, keyH - 12), plotX: M.left, plotY: M.top, plotW, plotH, slotX: (l) => M.left + (x(l) ?? 0) - (step - x.bandwidth()) / 2, slotW: step };
}

export function segmentScene(d: SegmentChartData, mode: SegmentMode, l: SegmentLayout): SNode[] {
  const y = scaleLinear().domain([0, 1]).range([l.plotY + l.plotH, l.plotY]);
  const barW = l.slotW * 0.8;
  const nodes: SNode[] = [];
  nodes.push(t('text', { x: l.plotX, y: 14, 'font-size': 13, 'font-weight': 600, fill: 'currentColor' }, 'Attention of the last position by prompt part'));
  // y axis
  nodes.push(
    h(
      'g',
      { class: 'axis-y', 'font-size': 10, fill: 'currentColor' },
      [0, 0.25, 0.5, 0.75, 1].map((v) =>
        h('g', {}, h('line', { x1: l.plotX, x2: l.plotX + l.plotW, y1: y(v), y2: y(v), stroke: '#8c959f', 'stroke-width': 0.5, opacity: 0.5 }), t('text', { x: l.plotX - 5, y: y(v), dy: '0.35em', 'text-anchor': 'end' }, `${v * 100}%`)),
      ),
    ),
  );
  nodes.push(t('text', { transform: `translate(11,${l.plotY + l.plotH / 2}) rotate(-90)`, 'text-anchor': 'middle', 'font-size': 10, fill: 'currentColor', opacity: 0.8 }, 'share of attention'));
  // one group per layer: bars (stacked) or a hit area (lines), and the x label
  nodes.push(
    h(
      'g',
      { class: 'sc-layers' },
      d.layers.map((ld) => {
        const sx = l.slotX(ld.layer);
        const kids: SNode[] = [h('rect', { class: 'sc-hit', x: sx, y: l.plotY, width: l.slotW, height: l.plotH, fill: 'transparent' })];
        if (mode === 'stacked') {
          for (const s of ld.stack) {
            if (s.y1 - s.y0 <= 0) continue;
            kids.push(h('rect', { class: 'sc-bar', 'data-segment': s.segment, x: sx + (l.slotW - barW) / 2, y: y(s.y1), width: barW, height: Math.max(0, y(s.y0) - y(s.y1)), fill: SEGMENT_COLOUR[s.segment] }));
          }
        }
        kids.push(t('text', { x: sx + l.slotW / 2, y: l.plotY + l.plotH + 14, 'text-anchor': 'middle', 'font-size': 10, fill: 'currentColor' }, String(ld.layer)));
        return h('g', { class: 'sc-layer', 'data-layer': ld.layer }, kids);
      }),
    ),
  );
  if (mode === 'lines') {
    const cx = (layer: number) => l.slotX(layer) + l.slotW / 2;
    for (const s of SEGMENT_ORDER) {
      const path = line<{ layer: number; v: number }>()
        .x((p) => cx(p.layer))
        .y((p) => y(p.v))(d.layers.map((ld) => ({ layer: ld.layer, v: ld.mass[s] })));
      nodes.push(
        h(
          'g',
          { class: 'sc-line', 'data-segment': s, 'pointer-events': 'none' },
          h('path', { d: path ?? '', fill: 'none', stroke: SEGMENT_COLOUR[s], 'stroke-width': 2.2, 'stroke-dasharray': s === 'template' ? '5 3' : s === 'context' ? '1.5 2.5' : null }),
          d.layers.map((ld) => h('circle', { cx: cx(ld.layer), cy: y(ld.mass[s]), r: 3, fill: SEGMENT_COLOUR[s] })),
        ),
      );
    }
  }
  nodes.push(t('text', { x: l.plotX + l.plotW, y: l.plotY + l.plotH + 28, 'text-anchor': 'end', 'font-size': 10, fill: 'currentColor', opacity: 0.8 }, 'layer →'));
  nodes.push(swatchKey(KEY, l.plotX, l.plotY + l.plotH + 38, l.plotW + M.right - 4));
  nodes.push(h('rect', { class: 'sc-hl', x: 0, y: l.plotY - 2, width: l.slotW, height: l.plotH + 4, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5, visibility: 'hidden', 'pointer-events': 'none' }));
  return nodes;
}

export function drawSegmentChart(svg: SVGSVGElement, d: SegmentChartData, mode: SegmentMode, width: number): SegmentLayout {
  const l = layoutSegmentChart(d, width);
  svg.setAttribute('width', String(l.width));
  svg.setAttribute('height', String(l.height));
  svg.setAttribute('viewBox', `0 0 ${l.width} ${l.height}`);
  mount(svg, segmentScene(d, mode, l));
  return l;
}
