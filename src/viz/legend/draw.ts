// Legend scene: a gradient bar with ticks and a title; diverging legends say what each side means.
import type { ColourScale } from '../common/scales';
import { h, t, type SNode } from '../common/svg';
import { legendData, swatchKeyLayout, type KeyItem } from './data';

export { swatchKeyLayout, type KeyItem };

/** legend as scene nodes at (x, y); `id` must be unique in the document (gradient id) */
export function legendScene(scale: ColourScale, x: number, y: number, width: number, id: string, sides?: [string, string]): SNode {
  const d = legendData(scale, width, sides);
  const gid = `xlens-legend-${id}`;
  return h(
    'g',
    { class: 'legend', transform: `translate(${x},${y})`, 'data-legend': scale.kind },
    h('defs', {}, h('linearGradient', { id: gid, x1: '0%', x2: '100%', y1: '0%', y2: '0%' }, d.stops.map((s) => h('stop', { offset: `${Math.round(s.offset * 100)}%`, 'stop-color': s.colour })))),
    t('text', { x: 0, y: 9, 'font-size': 11, fill: 'currentColor' }, d.title),
    h('rect', { x: 0, y: 14, width, height: 10, fill: `url(#${gid})`, stroke: '#8c959f', 'stroke-width': 0.5 }),
    d.ticks.map((tk) =>
      h('g', { transform: `translate(${tk.x},24)` }, h('line', { y1: 0, y2: 3, stroke: 'currentColor' }), t('text', { y: 13, 'text-anchor': 'middle', 'font-size': 10, fill: 'currentColor' }, tk.label)),
    ),
    d.sides
      ? h(
          'g',
          {},
          t('text', { x: 0, y: 50, 'font-size': 10, fill: 'currentColor', opacity: 0.8 }, `◀ ${d.sides[0]}`),
          t('text', { x: width, y: 50, 'text-anchor': 'end', 'font-size': 10, fill: 'currentColor', opacity: 0.8 }, `${d.sides[1]} ▶`),
        )
      : null,
  );
}

/** a categorical key (segment colours etc.), in rows no wider than `maxWidth` */
export function swatchKey(items: KeyItem[], x: number, y: number, maxWidth = Infinity): SNode {
  const { at } = swatchKeyLayout(items, maxWidth);
  const nodes: SNode[] = [];
  items.forEach((it, i) => {
    const p = at[i];
    nodes.push(h('rect', { x: p.x, y: p.y, width: 11, height: 11, fill: it.colour, rx: 2 }));
    nodes.push(t('text', { x: p.x + 15, y: p.y + 9.5, 'font-size': 11, fill: 'currentColor' }, it.label));
  });
  return h('g', { class: 'swatch-key', transform: `translate(${x},${y})` }, nodes);
}
