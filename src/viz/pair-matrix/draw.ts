// Pair-matrix scene (SVG: at most 12 x 12 cells): one <g data-context-lang> per row, one
// focusable <g role=button data-question-lang> per cell, values printed, legend and overall line.
import { mount } from '../common/mount';
import { textOn } from '../common/scales';
import { h, t, type SNode } from '../common/svg';
import { wrapText } from '../common/text-width';
import { legendScene } from '../legend/draw';
import type { PairMatrixData } from './data';

export interface MatrixLayout {
  width: number;
  height: number;
  x0: number;
  y0: number;
  cell: number;
  /** the overall line, wrapped to the width */
  overallLines: string[];
}

export function layoutMatrix(d: PairMatrixData, width: number): MatrixLayout {
  const x0 = 190;
  const y0 = 64;
  const cell = Math.max(30, Math.min(56, Math.floor((width - x0 - 20) / Math.max(1, d.cols.length))));
  const full = Math.max(width, x0 + cell * d.cols.length + 20);
  const overallLines = wrapText(d.overall, full - 20, 11);
  return { width: full, height: y0 + cell * d.rows.length + 100 + Math.max(0, overallLines.length - 1) * 15, x0, y0, cell, overallLines };
}

export function matrixScene(d: PairMatrixData, l: MatrixLayout, opts: { interactive: boolean; langName?: (c: string) => string }): SNode[] {
  const name = opts.langName ?? ((c: string) => c);
  const nodes: SNode[] = [t('text', { x: 10, y: 16, 'font-size': 13, 'font-weight': 600, fill: 'currentColor' }, `${d.scale.label}${d.complete ? '' : ' (running…)'}`)];
  nodes.push(t('text', { x: l.x0 + (l.cell * d.cols.length) / 2, y: 34, 'text-anchor': 'middle', 'font-size': 11, fill: 'currentColor', opacity: 0.8 }, 'question language →'));
  nodes.push(t('text', { x: 10, y: l.y0 - 8, 'font-size': 11, fill: 'currentColor', opacity: 0.8 }, 'context language ↓'));
  d.cols.forEach((c, j) => nodes.push(t('text', { x: l.x0 + (j + 0.5) * l.cell, y: l.y0 - 8, 'text-anchor': 'middle', 'font-size': 11, 'font-weight': 600, fill: 'currentColor' }, c)));
  d.rows.forEach((r, i) => {
    const y = l.y0 + i * l.cell;
    const kids: SNode[] = [t('text', { x: l.x0 - 8, y: y + l.cell / 2, dy: '0.35em', 'text-anchor': 'end', 'font-size': 11, fill: 'currentColor' }, `${name(r)} (${r})`)];
    d.cells[i].forEach((c, j) => {
      const fill = d.scale.colour(c.value);
      const x = l.x0 + j * l.cell;
      kids.push(
        h(
          'g',
          {
            class: 'pm-cell',
            'data-question-lang': c.questionLang,
            'data-context-lang': c.contextLang,
            'data-computed': c.computed ? 'true' : 'false',
            role: opts.interactive ? 'button' : null,
            tabindex: opts.interactive ? 0 : null,
            'aria-label': opts.interactive ? `context ${name(c.contextLang)}, question ${name(c.questionLang)}: ${c.text}` : null,
          },
          h('rect', { class: 'cell', x: x + 1, y: y + 1, width: l.cell - 2, height: l.cell - 2, fill: c.computed ? fill : '#f6f8fa', stroke: c.computed ? 'none' : '#d0d7de', rx: 3 }),
          t('text', { x: x + l.cell / 2, y: y + l.cell / 2, dy: '0.35em', 'text-anchor': 'middle', 'font-size': 11, fill: c.computed ? textOn(fill) : '#57606a', 'pointer-events': 'none' }, c.text),
          opts.interactive ? null : t('title', {}, c.tooltip),
        ),
      );
    });
    nodes.push(h('g', { class: 'pm-row', 'data-context-lang': r }, kids));
  });
  const by = l.y0 + l.cell * d.rows.length + 16;
  nodes.push(legendScene(d.scale, l.x0, by, Math.min(240, Math.max(150, l.cell * d.cols.length)), `pm-${d.metric}`));
  l.overallLines.forEach((line, i) => nodes.push(t('text', { class: 'pm-overall', x: 10, y: by + 66 + i * 15, 'font-size': 11, fill: 'currentColor' }, line)));
  return nodes;
}

export function drawPairMatrix(svg: SVGSVGElement, d: PairMatrixData, width: number, langName?: (c: string) => string): MatrixLayout {
  const l = layoutMatrix(d, width);
  svg.setAttribute('width', String(l.width));
  svg.setAttribute('height', String(l.height));
  svg.setAttribute('viewBox', `0 0 ${l.width} ${l.height}`);
  mount(svg, matrixScene(d, l, { interactive: true, langName }));
  return l;
}
