// How prompt tokens are shown: whitespace made visible, byte-piece continuations as "·",
// and the text direction of each token (Arabic / Hebrew script -> rtl).
import { FORMAT_CHARS, visibleControls } from '../../state/text-safety';

/** continuation mark for tokens whose bytes were merged into the previous token's text */
export const CONTINUATION = '·';

const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const STRONG_LTR = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u0900-\u097F\u0E00-\u0E7F\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]/u;

/**
 * token text with whitespace made visible; "" (byte continuation) -> "·". Bidirectional controls
 * and invisible format characters are shown as their code (⟨U+202E⟩), never obeyed, so a
 * token cannot reorder the label or tooltip around it; other control characters as their
 * symbols (␀, ␛); half a character (a lone surrogate) as U+FFFD.
 */
export function showToken(text: string): string {
  if (text.length === 0) return CONTINUATION;
  return visibleControls(text.replace(/\r/g, ''))
    .replace(/ /g, '␣')
    .replace(/\n/g, '↵')
    .replace(/\t/g, '⇥')
    .replace(FORMAT_CHARS, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** direction of a token's own text by its first strong character; null if it has none */
export function tokenDir(text: string): 'rtl' | 'ltr' | null {
  for (const ch of text) {
    if (RTL_CHAR.test(ch)) return 'rtl';
    if (STRONG_LTR.test(ch)) return 'ltr';
  }
  return null;
}

export interface DirRun {
  dir: 'rtl' | 'ltr';
  /** first and last token index (inclusive) */
  start: number;
  end: number;
}

/**
 * Split tokens into maximal runs of one direction inside a block (`blockOf(segment)`: by default
 * the segment itself; the token strip passes context and answer span as one block, the passage,
 * so an Arabic sentence keeps its order across the answer span). Neutral tokens (spaces, digits, punctuation)
 * take the direction of their strong neighbours inside the same segment when those agree,
 * the page's ltr when they disagree, the only neighbour's at a segment edge; a byte
 * continuation ("") always goes with the token it continues. Runs never cross a block boundary, so
 * an Arabic context is laid out right-to-left inside its own block.
 */
export function directionRuns(tokens: { text: string; segment: string }[], blockOf: (segment: string) => string = (s) => s): DirRun[] {
  const n = tokens.length;
  const block = tokens.map((t) => blockOf(t.segment));
  const dirs: ('rtl' | 'ltr' | null)[] = tokens.map((t) => tokenDir(t.text));
  // resolve neutrals
  const resolved: ('rtl' | 'ltr')[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (dirs[i]) {
      resolved[i] = dirs[i]!;
      continue;
    }
    let prev: 'rtl' | 'ltr' | null = null;
    for (let j = i - 1; j >= 0 && block[j] === block[i]; j--) if (dirs[j]) { prev = dirs[j]; break; }
    let next: 'rtl' | 'ltr' | null = null;
    for (let j = i + 1; j < n && block[j] === block[i]; j++) if (dirs[j]) { next = dirs[j]; break; }
    // a neutral between two rtl tokens (e.g. the space between two Arabic words) is rtl
    resolved[i] = prev && next ? (prev === next ? prev : 'ltr') : (prev ?? next ?? 'ltr');
    // a byte continuation always belongs to the token it continues
    if (tokens[i].text === '' && i > 0 && block[i - 1] === block[i]) resolved[i] = resolved[i - 1];
  }
  const runs: DirRun[] = [];
  for (let i = 0; i < n; i++) {
    const last = runs[runs.length - 1];
    if (last && last.dir === resolved[i] && block[last.end] === block[i]) last.end = i;
    else runs.push({ dir: resolved[i], start: i, end: i });
  }
  return runs;
}
