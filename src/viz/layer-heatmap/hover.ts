// Hover, keyboard and shared highlight for the generic layer heatmap. Pointer or arrow keys
// pick a cell: its row and column are outlined, the tooltip shows its numbers and the shared
// highlight ({layer, token}) is reported; an external highlight outlines row / column only.
import { cellAt, colOfIndex, rowOfLayer, rowTop, type HeatmapLayout, type HeatmapModel } from './data';
import { listen } from '../common/listen';

export interface HeatmapHighlight {
  layer: number | null;
  token: number | null;
}

export interface HeatmapHoverHandle {
  /** outline the row of `layer` and column of `token` (from another view) */
  setHighlight(h: HeatmapHighlight): void;
  destroy(): void;
}

export function attachHeatmapHover(
  root: HTMLElement,
  svg: SVGSVGElement,
  tooltip: HTMLElement,
  m: HeatmapModel,
  l: HeatmapLayout,
  onHighlight: (h: HeatmapHighlight) => void,
): HeatmapHoverHandle {
  const q = (cls: string) => svg.querySelector<SVGRectElement>(`rect.${cls}`);
  const hlRow = q('hm-hl-row');
  const hlCol = q('hm-hl-col');
  const hlCell = q('hm-hl-cell');
  const nRows = m.rows.length;
  let active: { row: number; col: number } | null = null;

  const outline = (row: number, col: number) => {
    if (hlRow) {
      if (row >= 0) hlRow.setAttribute('y', String(rowTop(l, nRows, row)));
      hlRow.setAttribute('visibility', row >= 0 ? 'visible' : 'hidden');
    }
    if (hlCol) {
      if (col >= 0) hlCol.setAttribute('x', String(l.gridX + col * l.cellW));
      hlCol.setAttribute('visibility', col >= 0 && m.columnKind === 'token' ? 'visible' : 'hidden');
    }
  };

  const show = (cell: { row: number; col: number } | null, at?: [number, number]) => {
    active = cell;
    if (!cell) {
      tooltip.hidden = true;
      hlCell?.setAttribute('visibility', 'hidden');
      onHighlight({ layer: null, token: null });
      return;
    }
    const x = l.gridX + cell.col * l.cellW;
    const y = rowTop(l, nRows, cell.row);
    hlCell?.setAttribute('x', String(x));
    hlCell?.setAttribute('y', String(y));
    hlCell?.setAttribute('visibility', 'visible');
    tooltip.textContent = m.tooltip(cell.row, cell.col);
    tooltip.hidden = false;
    const [px, py] = at ?? [x + l.cellW / 2, y + l.cellH / 2];
    const left = Math.max(0, Math.min(px + 14, l.width - 240));
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${py + 16}px`;
    onHighlight({ layer: m.rows[cell.row].layer, token: m.columnKind === 'token' ? m.cols[cell.col].index : null });
  };

  const local = (ev: PointerEvent): [number, number] => {
    const r = svg.getBoundingClientRect();
    // the svg may be scaled down by CSS (max-width: 100%)
    const sx = r.width ? l.width / r.width : 1;
    const sy = r.height ? l.height / r.height : 1;
    return [(ev.clientX - r.left) * sx, (ev.clientY - r.top) * sy];
  };
  const onMove = (ev: PointerEvent) => {
    const p = local(ev);
    const cell = cellAt(m, l, p[0], p[1]);
    if (!cell && !active) return;
    if (cell && active && cell.row === active.row && cell.col === active.col) return;
    show(cell, p);
  };
  const onLeave = () => show(null);
  const onKey = (ev: KeyboardEvent) => {
    const cur = active ?? { row: nRows - 1, col: m.cols.length - 1 };
    let next: { row: number; col: number } | null = null;
    if (ev.key === 'ArrowUp') next = { row: Math.min(nRows - 1, cur.row + 1), col: cur.col };
    else if (ev.key === 'ArrowDown') next = { row: Math.max(0, cur.row - 1), col: cur.col };
    else if (ev.key === 'ArrowLeft') next = { row: cur.row, col: Math.max(0, cur.col - 1) };
    else if (ev.key === 'ArrowRight') next = { row: cur.row, col: Math.min(m.cols.length - 1, cur.col + 1) };
    else if (ev.key === 'Home') next = { row: cur.row, col: 0 };
    else if (ev.key === 'End') next = { row: cur.row, col: m.cols.length - 1 };
    else if (ev.key === 'Escape') return show(null);
    if (next) {
      ev.preventDefault();
      show(next);
    }
  };
  const onFocus = () => show(active ?? { row: nRows - 1, col: m.cols.length - 1 });
  const onBlur = () => show(null);

  const unlisten = listen([[svg, 'pointermove', onMove], [svg, 'pointerleave', onLeave], [root, 'keydown', onKey], [root, 'focus', onFocus], [root, 'blur', onBlur]]);

  return {
    setHighlight(hl) {
      outline(rowOfLayer(m, hl.layer), colOfIndex(m, hl.token));
    },
    destroy() {
      unlisten();
      tooltip.hidden = true;
    },
  };
}
