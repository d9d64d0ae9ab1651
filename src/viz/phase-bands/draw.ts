// Phase-band overlay for layer heatmaps: an outline around each marked row and a tag beside it.
import { h, t, type SNode } from '../common/svg';
import { bandsByLayer, type PhaseBand } from './data';

/**
 * Scene nodes for the bands. `rowTop(layer)` is the top y of that layer's row (null if the
 * heatmap has no such row), the row spans x..x+width, tags go right of x+width.
 */
export function bandsScene(bands: PhaseBand[], rowTop: (layer: number) => number | null, rowH: number, x: number, width: number): SNode {
  const nodes: SNode[] = [];
  for (const [layer, list] of bandsByLayer(bands)) {
    const y = rowTop(layer);
    if (y === null) continue;
    list.forEach((b, i) => {
      const inset = i * 2;
      nodes.push(
        h(
          'rect',
          { class: 'phase-band', 'data-band': `${b.kind}-${b.source}`, x: x - 0.5 + inset, y: y + inset, width: width + 1 - 2 * inset, height: Math.max(1, rowH - 2 * inset), fill: 'none', stroke: b.colour, 'stroke-width': 2, 'stroke-dasharray': b.dashed ? '4 3' : null, 'pointer-events': 'none' },
          t('title', {}, b.text),
        ),
      );
    });
    // all tags of the row side by side, each in its band's colour
    nodes.push(
      h(
        'text',
        { class: 'phase-band-tag', x: x + width + 4, y: y + rowH / 2, dy: '0.35em', 'font-size': 10, 'font-weight': 600 },
        list.map((b, i) => t('tspan', { fill: b.colour, dx: i ? 5 : null }, b.tag)),
      ),
    );
  }
  return h('g', { class: 'phase-bands', 'pointer-events': 'none' }, nodes);
}
