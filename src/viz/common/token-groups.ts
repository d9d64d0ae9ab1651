// Long contexts shown by sentence. An XQuAD paragraph is 100-1,000 tokens: one column per token
// makes the token views too wide to read. Grouped, every run of context tokens inside one
// sentence (cut where the answer span interrupts it, and into pieces of at most
// MAX_GROUP_TOKENS) is one column or chip, while the answer span, the question, the template
// and the last position keep a column per token, so they stay visible at any length.
import type { AnalysisResult } from '../../engine/result';
import type { Segment } from '../../engine/text/prompt';
import type { ContextView } from '../../state/view-choices';

export type { ContextView };

/** contexts longer than this (tokens) are shown by sentence unless the reader asks for every token */
const LONG_CONTEXT_TOKENS = 120;
/** longest group; a longer sentence (or a text without sentence marks, such as Thai) is cut */
export const MAX_GROUP_TOKENS = 48;

export interface TokenGroup {
  /** first and last prompt position, inclusive */
  first: number;
  last: number;
  segment: Segment;
  /** context runs: 1-based sentence number and the label of the column ("S3", or "S3.2" for a sentence's second piece); null for single tokens */
  sentence: number | null;
  label: string;
  /** the characters the group covers */
  text: string;
}

type Tokens = Pick<AnalysisResult, 'prompt' | 'input'>;

export function contextTokenCount(r: Pick<AnalysisResult, 'prompt'>): number {
  let n = 0;
  for (const t of r.prompt.tokens) if (t.segment === 'context' || t.segment === 'answer') n++;
  return n;
}

/** what "auto" means for this result */
export function autoContextView(r: Pick<AnalysisResult, 'prompt'>): ContextView {
  return contextTokenCount(r) > LONG_CONTEXT_TOKENS ? 'sentences' : 'tokens';
}

/** sentence start offsets in `text` (always includes 0) */
export function sentenceStarts(text: string, lang: string | null): number[] {
  const starts = [0];
  const Seg = (Intl as unknown as { Segmenter?: new (l?: string, o?: { granularity: string }) => { segment(s: string): Iterable<{ index: number }> } }).Segmenter;
  if (Seg) {
    let seg;
    try {
      seg = new Seg(lang ?? undefined, { granularity: 'sentence' });
    } catch {
      seg = new Seg(undefined, { granularity: 'sentence' });
    }
    for (const s of seg.segment(text)) if (s.index > 0) starts.push(s.index);
    return starts;
  }
  // no Intl.Segmenter: after . ! ? and their CJK / Arabic / Devanagari forms
  for (const m of text.matchAll(/[.!?。！？؟।]+\s*/gu)) {
    const at = m.index! + m[0].length;
    if (at < text.length) starts.push(at);
  }
  return starts;
}

/** one group per token: the plain view */
function singleGroups(r: Tokens): TokenGroup[] {
  return r.prompt.tokens.map((t, i) => ({ first: i, last: i, segment: t.segment, sentence: null, label: '', text: t.text }));
}

export function tokenGroups(r: Tokens, view: ContextView): TokenGroup[] {
  const toks = r.prompt.tokens;
  if (view === 'tokens') return singleGroups(r);
  const ctx = toks.filter((t) => t.segment === 'context' || t.segment === 'answer');
  if (!ctx.length) return singleGroups(r);
  const cStart = Math.min(...ctx.map((t) => t.start));
  const cEnd = Math.max(...ctx.map((t) => t.end));
  const starts = sentenceStarts(r.prompt.text.slice(cStart, cEnd), r.input.contextLang).map((s) => s + cStart);
  const sentenceOf = (pos: number) => {
    // binary search: the last start <= pos
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const groups: TokenGroup[] = [];
  let open: TokenGroup | null = null;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.segment !== 'context') {
      open = null;
      groups.push({ first: i, last: i, segment: t.segment, sentence: null, label: '', text: t.text });
      continue;
    }
    const s = sentenceOf(t.start);
    const size = open ? i - open.first : 0;
    // a piece that is long enough ends before a word (a token starting with a space) or at the cap
    const cut = open && (size >= MAX_GROUP_TOKENS || (size >= (MAX_GROUP_TOKENS * 3) / 4 && /^\s/.test(t.text)));
    if (open && open.sentence === s && !cut && open.last === i - 1) {
      open.last = i;
      continue;
    }
    open = { first: i, last: i, segment: 'context', sentence: s, label: '', text: '' };
    groups.push(open);
  }
  // labels: S<n>, and S<n>.<k> for the pieces of a sentence cut in several
  const pieces = new Map<number, TokenGroup[]>();
  for (const g of groups) if (g.sentence !== null) pieces.set(g.sentence, [...(pieces.get(g.sentence) ?? []), g]);
  for (const [s, list] of pieces) list.forEach((g, k) => (g.label = list.length > 1 ? `S${s}.${k + 1}` : `S${s}`));
  for (const g of groups) {
    if (g.sentence === null) continue;
    g.text = r.prompt.text.slice(toks[g.first].start, toks[g.last].end);
  }
  return groups;
}

/** the group holding prompt position t (binary search; groups are in order and cover every position) */
export function groupOf(groups: TokenGroup[], t: number): number {
  let lo = 0;
  let hi = groups.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (groups[mid].first <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** a row of per-position values reduced per group */
export function aggregateRow(row: readonly number[], groups: readonly TokenGroup[], how: 'sum' | 'max' | 'min'): number[];
/** null cells (a lens position not computed) are left out; a group of nulls only is null */
export function aggregateRow(row: readonly (number | null)[], groups: readonly TokenGroup[], how: 'sum' | 'max' | 'min'): (number | null)[];
export function aggregateRow(row: readonly (number | null)[], groups: readonly TokenGroup[], how: 'sum' | 'max' | 'min'): (number | null)[] {
  return groups.map((g) => {
    let v: number | null = null;
    for (let t = g.first; t <= g.last; t++) {
      const x = row[t];
      if (x === null) continue;
      v = v === null ? x : how === 'sum' ? v + x : how === 'max' ? Math.max(v, x) : Math.min(v, x);
    }
    return v;
  });
}

/** the position in a group where the row is largest (smallest for 'min') */
export function argBest(row: readonly (number | null)[], g: TokenGroup, how: 'max' | 'min'): number {
  let best = g.first;
  for (let t = g.first + 1; t <= g.last; t++) {
    const x = row[t];
    if (x === null) continue;
    const b = row[best];
    if (b === null || (how === 'max' ? x > b : x < b)) best = t;
  }
  return best;
}

/** the groups are one per token (nothing to aggregate) */
export function isPlain(groups: readonly TokenGroup[] | undefined, T: number): boolean {
  return !groups || groups.length === T;
}

/** "sentence 3 (positions 40–75, 36 tokens): “Denver’s defense …”" */
export function groupLine(g: TokenGroup, sentences: number): string {
  const n = g.last - g.first + 1;
  const text = [...g.text.trim()];
  const shown = text.length > 60 ? `${text.slice(0, 59).join('')}…` : text.join('');
  return `${g.label === `S${g.sentence}` ? `sentence ${g.sentence}` : `sentence ${g.sentence}, piece ${g.label.split('.')[1]}`} of ${sentences} (positions ${g.first}–${g.last}, ${n} token${n === 1 ? '' : 's'}): “${shown}”`;
}

/** number of sentences in the grouped context */
export function sentenceCount(groups: readonly TokenGroup[]): number {
  let n = 0;
  for (const g of groups) if (g.sentence !== null && g.sentence > n) n = g.sentence;
  return n;
}
