// Hover and keyboard for the token strip: pointer over a token or arrow keys pick a token,
// the tooltip names it and the shared highlight gets its position.
import { markToken, tokenElement } from './draw';
import { listen } from '../common/listen';

export interface StripHoverHandle {
  destroy(): void;
}

export function attachStripHover(
  root: HTMLElement,
  strip: HTMLElement,
  tooltip: HTMLElement,
  /** the positions the strip's items start at, in order (every position, or one per group) */
  items: readonly number[],
  tooltipText: (t: number) => string,
  onToken: (t: number | null) => void,
): StripHoverHandle {
  const count = items.length;
  let active: number | null = null;
  const show = (t: number | null) => {
    active = t;
    markToken(strip, t);
    if (t === null) {
      tooltip.hidden = true;
      onToken(null);
      return;
    }
    const el = tokenElement(strip, t);
    tooltip.textContent = tooltipText(t);
    tooltip.hidden = false;
    if (el) {
      const rr = root.getBoundingClientRect();
      const er = el.getBoundingClientRect();
      tooltip.style.left = `${Math.max(0, Math.min(er.left - rr.left, rr.width - 260))}px`;
      tooltip.style.top = `${er.bottom - rr.top + 6}px`;
    }
    onToken(t);
  };
  const tokenOf = (target: EventTarget | null): number | null => {
    const el = (target as Element | null)?.closest?.('.xv-tok');
    const v = el?.getAttribute('data-token');
    return v === null || v === undefined ? null : Number(v);
  };
  const onOver = (ev: PointerEvent) => {
    const t = tokenOf(ev.target);
    if (t !== null && t !== active) show(t);
  };
  const onLeave = () => show(null);
  /** index in `items` of the item holding position t */
  const itemOf = (t: number) => {
    let k = 0;
    while (k + 1 < count && items[k + 1] <= t) k++;
    return k;
  };
  const onKey = (ev: KeyboardEvent) => {
    const cur = active === null ? count - 1 : itemOf(active);
    let next: number | null = null;
    // logical order: Right = next token (for Arabic runs that is visually to the left)
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') next = Math.min(count - 1, cur + 1);
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') next = Math.max(0, cur - 1);
    else if (ev.key === 'Home') next = 0;
    else if (ev.key === 'End') next = count - 1;
    else if (ev.key === 'Escape') return show(null);
    if (next !== null) {
      ev.preventDefault();
      show(items[next]);
    }
  };
  const onFocus = () => show(active ?? items[count - 1]);
  const unlisten = listen([[strip, 'pointerover', onOver], [strip, 'pointerleave', onLeave], [root, 'keydown', onKey], [root, 'focus', onFocus], [root, 'blur', onLeave]]);
  return {
    destroy() {
      unlisten();
      tooltip.hidden = true;
    },
  };
}
