// Which scripts of the 12 languages this browser cannot draw. A character no installed font has
// is drawn as the fallback font's ".notdef" box; so is a code point that is not assigned at all.
// Drawing both on a canvas and comparing the pixels tells a missing script from a present one
// (the widths alone can coincide). Runs once, in a few milliseconds.
import type { ScriptCode } from '../../data/languages';
import { SCRIPTS } from '../../data/scripts';

/** unassigned code points: always drawn as the .notdef box */
const NOT_A_CHARACTER = ['\u0378', '\u{10FFFD}'];

type Ctx = CanvasRenderingContext2D;

function fingerprint(ctx: Ctx, ch: string): string {
  const S = 48;
  ctx.clearRect(0, 0, S, S);
  ctx.fillText(ch, 6, S / 2);
  const d = ctx.getImageData(0, 0, S, S).data;
  let h = 0;
  for (let i = 3; i < d.length; i += 4) h = (Math.imul(h, 31) + d[i]) >>> 0;
  return `${Math.round(ctx.measureText(ch).width * 100)}:${h}`;
}

/** the scripts whose sample letters all come out as the .notdef box in `fontFamily`; [] when the browser cannot tell */
export function missingScripts(fontFamily: string, doc: Document = document): ScriptCode[] {
  let ctx: Ctx | null = null;
  try {
    const canvas = doc.createElement('canvas');
    canvas.width = 48;
    canvas.height = 48;
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  } catch {
    return [];
  }
  if (!ctx) return [];
  ctx.font = `32px ${fontFamily}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#000';
  const tofu = new Set(NOT_A_CHARACTER.map((c) => fingerprint(ctx, c)));
  // the reference itself must look like one box, or the test means nothing (an odd fallback font)
  if (tofu.size !== 1) return [];
  const out: ScriptCode[] = [];
  for (const s of Object.values(SCRIPTS)) {
    const boxes = s.sample.filter((ch) => tofu.has(fingerprint(ctx, ch))).length;
    if (boxes * 2 >= s.sample.length) out.push(s.code);
  }
  return out;
}
