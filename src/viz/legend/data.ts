// Legend data: the gradient stops and tick positions of a colour scale (pure).
import type { ColourScale } from '../common/scales';
import { textWidth } from '../common/text-width';

export interface LegendData {
  title: string;
  stops: { offset: number; colour: string }[];
  ticks: { x: number; label: string }[];
  /** caption under a diverging legend saying what each side means */
  sides?: [string, string];
}

export function legendData(scale: ColourScale, width: number, sides?: [string, string]): LegendData {
  const [lo, hi] = scale.domain;
  const stops = Array.from({ length: 11 }, (_, i) => {
    const v = lo + ((hi - lo) * i) / 10;
    return { offset: i / 10, colour: scale.colour(v) };
  });
  const ticks = scale.ticks.filter((v) => v >= lo - 1e-9 && v <= hi + 1e-9).map((v) => ({ x: scale.position(v) * width, label: scale.format(v) }));
  return { title: scale.label, stops, ticks, sides };
}

export interface KeyItem {
  label: string;
  colour: string;
}

/** where each item of a categorical key goes: one row, wrapped into more when wider than `maxWidth` */
export function swatchKeyLayout(items: KeyItem[], maxWidth = Infinity): { at: { x: number; y: number }[]; width: number; height: number } {
  const ROW = 16;
  let x = 0;
  let y = 0;
  let width = 0;
  const at = items.map((it) => {
    const w = 15 + textWidth(it.label, 11);
    if (x > 0 && x + w > maxWidth) {
      x = 0;
      y += ROW;
    }
    const p = { x, y };
    width = Math.max(width, x + w);
    x += w + 14;
    return p;
  });
  return { at, width, height: items.length ? y + 12 : 0 };
}
