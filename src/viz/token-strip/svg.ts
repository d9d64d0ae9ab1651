// SVG export of the token strip. SVG has no line breaking or bidi layout of its own, so tokens
// are placed here: left to right, wrapping at the width, and every right-to-left run (one line
// piece at a time) placed from its right edge leftwards, as the browser's bidi algorithm would.
import type { AnalysisResult } from '../../engine/result';
import { SEGMENT_COLOUR, SEGMENT_LABEL, SEGMENT_TINT } from '../common/segments';
import { h, svgDocument, t, type SNode } from '../common/svg';
import { swatchKey } from '../legend/draw';
import type { TokenGroup } from '../common/token-groups';
import { tokenStripData, type StripToken } from './data';

const FS = 13;
const LINE = 26;
const PAD = 3;

/** approximate advance of a string at font size FS (wide for CJK and full-width forms) */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xff00 && c <= 0xffef)) w += FS;
    else if (c >= 0x0300 && c <= 0x036f) w += 0; // combining marks
    else if ((c >= 0x064b && c <= 0x065f) || (c >= 0x0e31 && c <= 0x0e3a && c !== 0x0e32 && c !== 0x0e33) || (c >= 0x0e47 && c <= 0x0e4e)) w += 0; // Arabic harakat, Thai marks
    else w += FS * 0.6;
  }
  return Math.max(FS * 0.5, w);
}

export interface PlacedToken {
  tok: StripToken;
  x: number;
  line: number;
  w: number;
}

/** place tokens in lines of `width`; rtl runs are mirrored inside each line piece */
export function placeTokens(result: Pick<AnalysisResult, 'prompt'>, width: number, groups?: TokenGroup[]): PlacedToken[] {
  const data = tokenStripData(result, groups);
  const out: PlacedToken[] = [];
  let x = 0;
  let line = 0;
  for (const seg of data.segments) {
    for (const run of seg.runs) {
      let piece: PlacedToken[] = [];
      const flush = () => {
        if (run.dir === 'rtl' && piece.length) {
          const lo = piece[0].x;
          const hi = piece[piece.length - 1].x + piece[piece.length - 1].w;
          for (const p of piece) p.x = lo + hi - (p.x + p.w);
        }
        piece = [];
      };
      for (const tok of run.tokens) {
        const w = textWidth(tok.display) + 2 * PAD;
        if (x + w > width && x > 0) {
          flush();
          x = 0;
          line++;
        }
        const p = { tok, x, line, w };
        out.push(p);
        piece.push(p);
        x += w;
        if (tok.breakAfter) {
          flush();
          x = 0;
          line++;
        }
      }
      flush();
    }
  }
  return out;
}

export function renderSVG(result: AnalysisResult, opts: { width?: number; groups?: TokenGroup[] } = {}): string {
  const width = opts.width ?? 900;
  const inner = width - 24;
  const placed = placeTokens(result, inner, opts.groups);
  const lines = placed.length ? placed[placed.length - 1].line + 1 : 1;
  const top = 30;
  const nodes: SNode[] = [t('text', { x: 12, y: 18, 'font-size': 13, 'font-weight': 600 }, `Prompt tokens (${result.prompt.tokens.length})`)];
  nodes.push(
    h(
      'g',
      { transform: `translate(12,${top})`, 'font-size': FS },
      placed.map((p) =>
        h(
          'g',
          { 'data-token': p.tok.index, transform: `translate(${p.x},${p.line * LINE})` },
          h('rect', { width: p.w - 1, height: LINE - 6, fill: SEGMENT_TINT[p.tok.segment], rx: 3 }),
          h('rect', { y: LINE - 8, width: p.w - 1, height: 2.5, fill: SEGMENT_COLOUR[p.tok.segment] }),
          t('text', { x: p.w / 2, y: (LINE - 6) / 2, dy: '0.35em', 'text-anchor': 'middle', fill: p.tok.continuation || p.tok.whitespace ? '#57606a' : '#1b1f24' }, p.tok.display),
        ),
      ),
    ),
  );
  const keyY = top + lines * LINE + 8;
  const segs = [...new Set(placed.map((p) => p.tok.segment))];
  nodes.push(swatchKey(segs.map((s) => ({ label: SEGMENT_LABEL[s], colour: SEGMENT_COLOUR[s] })), 12, keyY));
  nodes.push(t('text', { x: 12, y: keyY + 28, 'font-size': 10.5, opacity: 0.8 }, '␣ = space, ↵ = new line, · = byte piece of the character before it'));
  return svgDocument(width, keyY + 40, nodes, tokenStripData(result, opts.groups).summary);
}
