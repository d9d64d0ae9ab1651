// MRD chart scene: cumulative relevance lines per group, the 95% line, and a marker at each MRD.
import { line, scaleLinear } from 'd3';
import { mount } from '../common/mount';
import { SEGMENT_COLOUR } from '../common/segments';
import { h, t, type SNode } from '../common/svg';
import { fitText, textWidth } from '../common/text-width';
import { swatchKey, swatchKeyLayout } from '../legend/draw';
import { MRD_THRESHOLD, type MrdChartData } from './data';

const M = { left: 46, right: 60, top: 28, bottom: 44 };
const LABEL_ROW = 13;
const COLOUR: Record<string, string> = { question: SEGMENT_COLOUR.question, answer: SEGMENT_COLOUR.answer, context: SEGMENT_COLOUR.context, template: '#6e7781' };
const DASH: Record<string, string | null> = { question: null, answer: null, context: '1.5 2.5', template: '5 3' };

export function mrdScene(d: MrdChartData, width: number): { nodes: SNode[]; width: number; height: number } {
  const plotW = Math.max(200, Math.min(width - M.left - M.right, 520));
  const plotH = 170;
  // the MRD labels sit in a band above the plot, one row per part, so they never cover a line
  const labelled = d.series.filter((s) => s.mrd !== null);
  const top = M.top + labelled.length * LABEL_ROW + (labelled.length ? 6 : 0);
  const x = scaleLinear().domain([0, Math.max(1, d.numLayers)]).range([M.left, M.left + plotW]);
  const y = scaleLinear().domain([0, 1]).range([top + plotH, top]);
  const full = M.left + plotW + M.right;
  const nodes: SNode[] = [t('text', { x: M.left, y: 14, 'font-size': 13, 'font-weight': 600, fill: 'currentColor' }, fitText('Cumulative relevance and Major Relevance Depth', full - M.left - 4, 13, 600))];
  nodes.push(h('rect', { class: 'mrd-plot', x: M.left, y: top, width: plotW, height: plotH, fill: 'none' }));
  for (const v of [0, 0.5, 1]) {
    nodes.push(h('line', { x1: M.left, x2: M.left + plotW, y1: y(v), y2: y(v), stroke: '#8c959f', 'stroke-width': 0.5, opacity: 0.5 }));
    nodes.push(t('text', { x: M.left - 5, y: y(v), dy: '0.35em', 'text-anchor': 'end', 'font-size': 10, fill: 'currentColor' }, `${v * 100}%`));
  }
  nodes.push(h('line', { class: 'mrd-threshold', x1: M.left, x2: M.left + plotW, y1: y(MRD_THRESHOLD), y2: y(MRD_THRESHOLD), stroke: 'currentColor', 'stroke-dasharray': '4 3', 'stroke-width': 1 }));
  // right of the plot, level with the 95% line (the 100% tick is too close for a label on the axis)
  nodes.push(t('text', { x: M.left + plotW + 6, y: y(MRD_THRESHOLD) + 8, 'font-size': 10, fill: 'currentColor' }, '95% line'));
  const step = Math.max(1, Math.ceil(d.numLayers / 12));
  for (let l = 0; l <= d.numLayers; l += step) {
    nodes.push(h('g', { 'data-layer': l }, t('text', { x: x(l), y: top + plotH + 14, 'text-anchor': 'middle', 'font-size': 10, fill: 'currentColor' }, l === 0 ? 'emb' : String(l))));
  }
  nodes.push(t('text', { x: M.left + plotW, y: top + plotH + 28, 'text-anchor': 'end', 'font-size': 10, fill: 'currentColor', opacity: 0.8 }, 'layer →'));
  let row = 0;
  d.series.forEach((s) => {
    const path = line<{ layer: number; c: number }>().x((p) => x(p.layer)).y((p) => y(p.c))(s.points) ?? '';
    const kids: SNode[] = [h('path', { d: path, fill: 'none', stroke: COLOUR[s.group] ?? '#555', 'stroke-width': 2, 'stroke-dasharray': DASH[s.group] ?? null })];
    if (s.mrd !== null) {
      const mx = x(s.mrd);
      const ly = M.top + row * LABEL_ROW + 9;
      row++;
      const label = `MRD ${s.label}: ${s.mrd}`;
      const lw = textWidth(label, 10, 600);
      // anchored at the MRD's layer, kept inside the chart
      const lx = Math.max(2, Math.min(full - lw - 2, mx - lw / 2));
      kids.push(h('circle', { cx: mx, cy: y(s.points[s.mrd]?.c ?? 1), r: 4.5, fill: COLOUR[s.group], stroke: '#fff', 'stroke-width': 1 }, t('title', {}, `MRD of the ${s.label}: layer ${s.mrd}`)));
      kids.push(h('line', { x1: mx, x2: mx, y1: ly + 3, y2: top, stroke: COLOUR[s.group], 'stroke-width': 1, opacity: 0.6 }));
      kids.push(t('text', { x: lx, y: ly, 'font-size': 10, fill: COLOUR[s.group], 'font-weight': 600 }, label));
    }
    nodes.push(h('g', { class: 'mrd-series', 'data-group': s.group, 'data-mrd': s.mrd ?? '' }, kids));
  });
  const key = d.series.map((s) => ({ label: s.label, colour: COLOUR[s.group] }));
  const keyH = swatchKeyLayout(key, full - M.left - 4).height;
  nodes.push(swatchKey(key, M.left, top + plotH + 36, full - M.left - 4));
  return { nodes, width: full, height: top + plotH + 36 + keyH + 8 };
}

export function drawMrdChart(svg: SVGSVGElement, d: MrdChartData, width: number): void {
  const s = mrdScene(d, width);
  svg.setAttribute('width', String(s.width));
  svg.setAttribute('height', String(s.height));
  svg.setAttribute('viewBox', `0 0 ${s.width} ${s.height}`);
  mount(svg, s.nodes);
}
