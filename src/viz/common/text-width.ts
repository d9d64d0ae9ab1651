// Text widths for chart layout, so titles, keys and footnotes wrap inside the canvas instead of
// running off it. In a browser the width is measured on a canvas with the font stack the page
// and the exported SVG use; in Node (unit tests) it is estimated from character classes, on the
// generous side. A small margin covers a viewer that substitutes a slightly wider font.
import { FONT_STACK } from './svg';

type Ctx = { font: string; measureText(s: string): { width: number } };
let ctx: Ctx | null | undefined;
const cache = new Map<string, number>();

function context(): Ctx | null {
  if (ctx !== undefined) return ctx;
  ctx = null;
  try {
    if (typeof OffscreenCanvas !== 'undefined') ctx = new OffscreenCanvas(1, 1).getContext('2d') as Ctx | null;
    else if (typeof document !== 'undefined') ctx = document.createElement('canvas').getContext('2d');
  } catch {
    ctx = null;
  }
  return ctx;
}

const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;
const ZERO = /[\p{Mn}\p{Me}\u200B-\u200F\u2066-\u2069]/u;

/** estimated width without a canvas: CJK 1 em, combining marks 0, everything else 0.62 em */
export function estimateWidth(text: string, fontSize: number, weight = 400): number {
  let em = 0;
  for (const ch of text) em += ZERO.test(ch) ? 0 : WIDE.test(ch) ? 1 : ch === ' ' ? 0.3 : 0.62;
  return em * fontSize * (weight >= 600 ? 1.06 : 1);
}

/** width of `text` in px at `fontSize` (and weight), drawn in the charts' font stack */
export function textWidth(text: string, fontSize: number, weight = 400): number {
  const key = `${weight}|${fontSize}|${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const c = context();
  let w: number;
  if (c) {
    c.font = `${weight} ${fontSize}px ${FONT_STACK}`;
    w = c.measureText(text).width * 1.04 + 1;
  } else w = estimateWidth(text, fontSize, weight);
  if (cache.size > 5000) cache.clear();
  cache.set(key, w);
  return w;
}

/** greedy word wrap into lines no wider than `maxWidth`; a single over-long word is cut with "…" */
export function wrapText(text: string, maxWidth: number, fontSize: number, weight = 400): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (!cur || textWidth(next, fontSize, weight) <= maxWidth) {
      cur = next;
      continue;
    }
    lines.push(cur);
    cur = w;
  }
  if (cur) lines.push(cur);
  return lines.map((l) => fitText(l, maxWidth, fontSize, weight));
}

/** `text`, shortened with "…" until it fits `maxWidth` */
export function fitText(text: string, maxWidth: number, fontSize: number, weight = 400): string {
  if (textWidth(text, fontSize, weight) <= maxWidth) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(chars.slice(0, mid).join('') + '…', fontSize, weight) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('') + '…';
}
