// Hover and keyboard for the token strip: pointer over a token or arrow keys pick a token,
// the tooltip names it and the shared highlight gets its position.
import { markToken } from './draw';
import { listen } from '../common/listen';

export interface StripHoverHandle {
  destroy(): void;
}

export function attachStripHover(
  root: HTMLElement,
  strip: HTMLElement,
  tooltip: HTMLElement,
  count: number,
  tooltipText: (t: number) => string,
  onToken: (t: number | null) => void,
): StripHoverHandle {
  let active: number | null = null;
  const show = (t: number | null) => {
    active = t;
    markToken(strip, t);
    if (t === null) {
      tooltip.hidden = true;
      onToken(null);
      return;
    }
    const el = strip.querySelector<HTMLElement>(`.xv-tok[data-token="${t}"]`);
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
  const onKey = (ev: KeyboardEvent) => {
    const cur = active ?? count - 1;
    let next: number | null = null;
    // logical order: Right = next token (for Arabic runs that is visually to the left)
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') next = Math.min(count - 1, cur + 1);
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') next = Math.max(0, cur - 1);
    else if (ev.key === 'Home') next = 0;
    else if (ev.key === 'End') next = count - 1;
    else if (ev.key === 'Escape') return show(null);
    if (next !== null) {
      ev.preventDefault();
      show(next);
    }
  };
  const onFocus = () => show(active ?? count - 1);
  const unlisten = listen([[strip, 'pointerover', onOver], [strip, 'pointerleave', onLeave], [root, 'keydown', onKey], [root, 'focus', onFocus], [root, 'blur', onLeave]]);
  return {
    destroy() {
      unlisten();
      tooltip.hidden = true;
    },
  };
}
