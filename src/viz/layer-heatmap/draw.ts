// Drawing of the generic layer heatmap. Cells go on a canvas when drawn live (prompts have
// hundreds of positions x dozens of layers) and as <rect>s in the exported SVG; axes, labels,
// segment marks, phase bands and the legend are one SVG scene used by both.
import { SEGMENT_COLOUR, SEGMENT_LABEL } from '../common/segments';
import { mount } from '../common/mount';
import type { ColourScale } from '../common/scales';
import { h, t, type SNode } from '../common/svg';
import { legendScene, swatchKey } from '../legend/draw';
import { bandsScene } from '../phase-bands/draw';
import { clip, rowTop, segmentBoundaries, segmentRuns, type HeatmapLayout, type HeatmapModel } from './data';

/** the overlay scene; with `cells` the cells are included as rects (for export) */
export function heatmapScene(m: HeatmapModel, l: HeatmapLayout, opts: { cells: boolean }): SNode[] {
  const nRows = m.rows.length;
  const nodes: SNode[] = [];
  l.titleLines.forEach((line, i) => nodes.push(t('text', { class: 'hm-title', x: l.gridX, y: 14 + i * 16, 'font-size': 13, 'font-weight': 600, fill: 'currentColor' }, line)));

  // segment strip above the grid: which part of the prompt each column belongs to
  const runs = segmentRuns(m.cols);
  if (runs.length) {
    nodes.push(
      h(
        'g',
        { class: 'hm-segments' },
        runs.map((r) =>
          h('rect', { x: l.gridX + r.start * l.cellW, y: l.gridY - 9, width: (r.end - r.start + 1) * l.cellW, height: 6, fill: SEGMENT_COLOUR[r.segment] }, t('title', {}, SEGMENT_LABEL[r.segment])),
        ),
      ),
    );
  }

  // rows: a label, a hit/cell area, one <g data-layer> each
  nodes.push(
    t('text', { x: 10, y: l.gridY - 6, 'font-size': 10, fill: 'currentColor', opacity: 0.75 }, `${m.rowAxis} ↑`),
  );
  const rowNodes: SNode[] = m.rows.map((row, r) => {
    const y = rowTop(l, nRows, r);
    const showLabel = l.cellH >= 9 || row.layer % 2 === 0 || r === nRows - 1;
    const kids: SNode[] = [
      showLabel ? t('text', { x: l.gridX - 6, y: y + l.cellH / 2, dy: '0.35em', 'text-anchor': 'end', 'font-size': Math.min(11, Math.max(8, l.cellH - 2)), fill: 'currentColor' }, row.label) : null,
    ].filter(Boolean) as SNode[];
    if (opts.cells) {
      m.values[r].forEach((v, c) => kids.push(h('rect', { x: l.gridX + c * l.cellW, y, width: l.cellW + 0.02, height: l.cellH + 0.02, fill: m.scale.colour(v) })));
    } else {
      kids.push(h('rect', { class: 'hm-hit', x: l.gridX, y, width: l.gridW, height: l.cellH, fill: 'transparent' }));
    }
    return h('g', { class: 'hm-row', 'data-layer': row.layer }, kids);
  });
  nodes.push(h('g', { class: 'hm-rows' }, rowNodes));

  // segment boundaries across the grid
  nodes.push(
    h(
      'g',
      { class: 'hm-boundaries', 'pointer-events': 'none' },
      segmentBoundaries(m.cols).map((c) => h('line', { x1: l.gridX + c * l.cellW, x2: l.gridX + c * l.cellW, y1: l.gridY - 10, y2: l.gridY + l.gridH, stroke: '#ffffff', 'stroke-width': 1.5, 'stroke-dasharray': '3 2' })),
    ),
  );
  nodes.push(h('rect', { x: l.gridX, y: l.gridY, width: l.gridW, height: l.gridH, fill: 'none', stroke: '#8c959f', 'stroke-width': 0.5, 'pointer-events': 'none' }));

  // column labels (vertical for tokens); every column has an element so tests can count
  const labelAttr = m.columnKind === 'token' ? 'data-token' : 'data-col';
  const fs = l.colFontSize;
  const last = m.cols.length - 1;
  const colNodes = m.cols.flatMap((c, i) => {
    const x = l.gridX + (i + 0.5) * l.cellW;
    const y = l.gridY + l.gridH + 4;
    const visible = i % l.labelEvery === 0;
    // live, an unlabelled column needs no element (a long prompt has a thousand); the answer
    // span, the question, context groups and the last position keep theirs
    if (!opts.cells && !visible && i !== last && c.segment !== 'answer' && c.segment !== 'question' && !c.span) return [];
    const label =
      m.columnKind === 'token'
        ? t('text', { transform: `translate(${x},${y}) rotate(-90)`, dy: '0.35em', 'text-anchor': 'end', 'font-size': fs, fill: c.segment ? SEGMENT_COLOUR[c.segment] === '#999999' ? '#57606a' : 'currentColor' : 'currentColor', 'unicode-bidi': 'plaintext' }, clip(c.label, 9))
        : t('text', { x, y: y + 10, 'text-anchor': 'middle', 'font-size': fs, fill: 'currentColor' }, clip(c.label, Math.max(4, Math.floor(l.cellW / 6.5))));
    const span = c.span ? { 'data-last': c.span[1] } : {};
    return [h('g', { class: 'hm-col', [labelAttr]: c.index, ...(c.segment ? { 'data-segment': c.segment } : {}), ...span }, visible ? label : null)];
  });
  nodes.push(h('g', { class: 'hm-cols' }, colNodes));
  nodes.push(t('text', { x: l.gridX + l.gridW, y: l.gridY + l.gridH + l.colLabelHeight + 10, 'text-anchor': 'end', 'font-size': 10, fill: 'currentColor', opacity: 0.75 }, `${m.colAxis} →`));

  // phase bands
  if (m.bands?.length) {
    nodes.push(
      bandsScene(
        m.bands,
        (layer) => {
          const r = m.rows.findIndex((x) => x.layer === layer);
          return r < 0 ? null : rowTop(l, nRows, r);
        },
        l.cellH,
        l.gridX,
        l.gridW,
      ),
    );
  }

  // highlight marks, moved by hover.ts / setHighlight
  nodes.push(h('rect', { class: 'hm-hl-row', x: l.gridX - 1, y: l.gridY, width: l.gridW + 2, height: l.cellH, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5, visibility: 'hidden', 'pointer-events': 'none' }));
  nodes.push(h('rect', { class: 'hm-hl-col', x: l.gridX, y: l.gridY - 1, width: l.cellW, height: l.gridH + 2, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5, visibility: 'hidden', 'pointer-events': 'none' }));
  nodes.push(h('rect', { class: 'hm-hl-cell', x: l.gridX, y: l.gridY, width: l.cellW, height: l.cellH, fill: 'none', stroke: '#ff2d95', 'stroke-width': 2, visibility: 'hidden', 'pointer-events': 'none' }));

  // legend + keys + band note
  nodes.push(legendScene(m.scale, l.gridX, l.legendY, l.legendW, m.id, m.legendSides));
  if (l.key.length) nodes.push(swatchKey(l.key, l.keyX, l.keyY, l.keyMaxW));
  l.noteLines.forEach((n, i) =>
    nodes.push(t('text', { class: n.muted ? undefined : 'hm-bands-note', x: l.gridX, y: l.noteY + i * 14, 'font-size': 10.5, fill: 'currentColor', opacity: n.muted ? 0.8 : undefined }, n.text)),
  );
  return nodes;
}

/** a css colour as packed RGBA bytes (little-endian ABGR, the layout of ImageData on every browser we target) */
function packColour(css: string, ctx: CanvasRenderingContext2D, cache: Map<string, number>): number {
  let v = cache.get(css);
  if (v !== undefined) return v;
  let rgb: number[] | null = null;
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) rgb = [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
  else {
    const m = /^rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)$/.exec(css);
    if (m) rgb = [+m[1], +m[2], +m[3]];
  }
  if (!rgb) {
    // anything else: let the canvas normalise it to #rrggbb
    ctx.fillStyle = '#000000';
    ctx.fillStyle = css;
    const n = String(ctx.fillStyle);
    rgb = /^#[0-9a-f]{6}$/i.test(n) ? [1, 3, 5].map((i) => parseInt(n.slice(i, i + 2), 16)) : [0, 0, 0];
  }
  v = ((255 << 24) | (rgb[2] << 16) | (rgb[1] << 8) | rgb[0]) >>> 0;
  cache.set(css, v);
  return v;
}

/** steps of the colour table: finer than a legend's gradient can show */
const TABLE_STEPS = 1024;

/**
 * The scale as a lookup: value -> packed colour, through its position on the legend (both
 * kinds of scale map the domain linearly onto 0..1), sampled in TABLE_STEPS steps. Calling
 * the d3 interpolator and parsing its css string per cell cost a third of a long prompt's paint.
 */
function colourTable(scale: ColourScale, ctx: CanvasRenderingContext2D): (v: number | null) => number {
  const cache = new Map<string, number>();
  const [lo, hi] = scale.domain;
  const table = new Uint32Array(TABLE_STEPS + 1);
  for (let k = 0; k <= TABLE_STEPS; k++) table[k] = packColour(scale.colour(lo + ((hi - lo) * k) / TABLE_STEPS), ctx, cache);
  const none = packColour(scale.colour(null), ctx, cache);
  return (v) => (v === null || !Number.isFinite(v) ? none : table[Math.round(scale.position(v) * TABLE_STEPS)]);
}

/**
 * Paint the cells on a canvas sized to the layout (device-pixel aware). The cells go into an
 * image of one pixel per cell, scaled onto the grid in one drawImage: a fillRect per cell cost
 * about 2 µs, 200 ms for the 37 x 1,024 cells of a long prompt on a deep model, in one frame.
 */
function paintCells(canvas: HTMLCanvasElement, m: HeatmapModel, l: HeatmapLayout): void {
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  canvas.width = Math.ceil(l.width * dpr);
  canvas.height = Math.ceil(l.height * dpr);
  canvas.style.width = `${l.width}px`;
  canvas.style.height = `${l.height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, l.width, l.height);
  const nRows = m.rows.length;
  const nCols = m.cols.length;
  if (!nRows || !nCols) return;
  const cells = new ImageData(nCols, nRows);
  const px = new Uint32Array(cells.data.buffer);
  const colourOf = colourTable(m.scale, ctx);
  for (let r = 0; r < nRows; r++) {
    const row = m.values[r];
    // image row 0 is the top of the grid: the last model row
    const base = (nRows - 1 - r) * nCols;
    for (let c = 0; c < nCols; c++) px[base + c] = colourOf(row[c] ?? null);
  }
  const img = document.createElement('canvas');
  img.width = nCols;
  img.height = nRows;
  img.getContext('2d')!.putImageData(cells, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(img, l.gridX, rowTop(l, nRows, nRows - 1), l.gridW, l.cellH * nRows);
}

/** draw live: cells on the canvas, the scene in the svg laid over it */
export function drawHeatmap(canvas: HTMLCanvasElement, svg: SVGSVGElement, m: HeatmapModel, l: HeatmapLayout): void {
  paintCells(canvas, m, l);
  svg.setAttribute('width', String(l.width));
  svg.setAttribute('height', String(l.height));
  svg.setAttribute('viewBox', `0 0 ${l.width} ${l.height}`);
  mount(svg, heatmapScene(m, l, { cells: false }));
}
