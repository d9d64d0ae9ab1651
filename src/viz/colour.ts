// Colour scales shared by xlens charts. Viridis: perceptually uniform and colour-blind safe.
import { interpolateViridis, rgb, scaleSequential, type ScaleSequential } from 'd3';

/** probability in [0, 1] -> viridis colour */
export function probabilityScale(): ScaleSequential<string> {
  return scaleSequential(interpolateViridis).domain([0, 1]).clamp(true);
}

/** black or white, whichever reads better on `fill` (WCAG relative luminance) */
export function textColourOn(fill: string): string {
  const c = rgb(fill);
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const L = 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  return L > 0.22 ? '#111' : '#fff';
}
