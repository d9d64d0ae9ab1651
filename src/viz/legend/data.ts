// Legend data: the gradient stops and tick positions of a colour scale (pure).
import type { ColourScale } from '../common/scales';

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
