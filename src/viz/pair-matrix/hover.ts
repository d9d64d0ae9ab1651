// Hover, click and keyboard for the pair matrix: tooltip on hover / focus, click or Enter opens
// the pair, arrow keys move between cells.
import type { PairMatrixData } from './data';
import { listen } from '../common/listen';

export function attachMatrixHover(root: HTMLElement, svg: SVGSVGElement, tip: HTMLElement, d: PairMatrixData, onOpen: (cl: string, ql: string) => void): () => void {
  const cellOf = (el: EventTarget | null) => (el as Element | null)?.closest?.('g.pm-cell') as SVGGElement | null;
  const find = (cl: string, ql: string) => d.cells.flat().find((c) => c.contextLang === cl && c.questionLang === ql);
  const show = (g: SVGGElement | null) => {
    if (!g) return void (tip.hidden = true);
    const c = find(g.getAttribute('data-context-lang')!, g.getAttribute('data-question-lang')!);
    if (!c) return void (tip.hidden = true);
    tip.textContent = c.tooltip;
    tip.hidden = false;
    const rr = root.getBoundingClientRect();
    const gr = g.getBoundingClientRect();
    tip.style.left = `${Math.max(0, Math.min(gr.right - rr.left + 6, rr.width - 320))}px`;
    tip.style.top = `${gr.top - rr.top}px`;
  };
  const onOver = (ev: PointerEvent) => show(cellOf(ev.target));
  const onLeave = () => show(null);
  const onClick = (ev: MouseEvent) => {
    const g = cellOf(ev.target);
    if (g && g.getAttribute('data-computed') === 'true') onOpen(g.getAttribute('data-context-lang')!, g.getAttribute('data-question-lang')!);
  };
  const onFocusIn = (ev: FocusEvent) => show(cellOf(ev.target));
  const onKey = (ev: KeyboardEvent) => {
    const g = cellOf(ev.target);
    if (!g) return;
    const cl = g.getAttribute('data-context-lang')!;
    const ql = g.getAttribute('data-question-lang')!;
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      if (g.getAttribute('data-computed') === 'true') onOpen(cl, ql);
      return;
    }
    let i = d.rows.indexOf(cl);
    let j = d.cols.indexOf(ql);
    if (ev.key === 'ArrowUp') i = Math.max(0, i - 1);
    else if (ev.key === 'ArrowDown') i = Math.min(d.rows.length - 1, i + 1);
    else if (ev.key === 'ArrowLeft') j = Math.max(0, j - 1);
    else if (ev.key === 'ArrowRight') j = Math.min(d.cols.length - 1, j + 1);
    else return;
    ev.preventDefault();
    svg.querySelector<SVGGElement>(`g.pm-cell[data-context-lang="${d.rows[i]}"][data-question-lang="${d.cols[j]}"]`)?.focus();
  };
  const unlisten = listen([[svg, 'pointerover', onOver], [svg, 'pointerleave', onLeave], [svg, 'click', onClick], [svg, 'focusin', onFocusIn], [svg, 'focusout', onLeave], [svg, 'keydown', onKey]]);
  return () => {
    unlisten();
    tip.hidden = true;
  };
}
