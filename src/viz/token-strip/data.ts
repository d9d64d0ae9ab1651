// Data provider for the token strip: every prompt token as text, grouped by segment and, inside
// a segment, into runs of one direction (so an Arabic context reads right to left inside its
// own segment while the template around it stays left to right).
import type { AnalysisResult } from '../../engine/result';
import type { Segment } from '../../engine/text/prompt';
import { SEGMENT_LABEL } from '../common/segments';
import { groupLine, sentenceCount, type TokenGroup } from '../common/token-groups';
import { CONTINUATION, directionRuns, showToken } from '../common/tokens';

export interface StripToken {
  /** prompt position (a group's first) */
  index: number;
  /** a group's last position (= index for a single token) */
  lastIndex: number;
  /** a run of context tokens drawn as one chip (long contexts by sentence) */
  group: boolean;
  id: number;
  /** text as drawn: whitespace visible, "·" for byte continuations */
  display: string;
  segment: Segment;
  /** a byte piece merged into the previous token's character */
  continuation: boolean;
  /** only whitespace (drawn muted) */
  whitespace: boolean;
  /** the token ends a line of the prompt */
  breakAfter: boolean;
  /** this is (or holds) the last position (the one that predicts the answer) */
  last: boolean;
  /** position of this item in the strip's list (grouped strips) */
  item?: number;
}

export interface StripRun {
  dir: 'ltr' | 'rtl';
  tokens: StripToken[];
}

/** a block of the prompt laid out as one piece: the template, the passage (context with its
 * answer span inside), or the question */
export type StripBlockKind = 'template' | 'passage' | 'question';

export interface StripSegment {
  block: StripBlockKind;
  runs: StripRun[];
}

function blockOf(segment: string): StripBlockKind {
  return segment === 'context' || segment === 'answer' ? 'passage' : segment === 'question' ? 'question' : 'template';
}

export interface TokenStripData {
  segments: StripSegment[];
  tokens: StripToken[];
  summary: string;
}

/** a group's chip text: its label and the start of its text */
function groupDisplay(g: TokenGroup): string {
  const chars = [...g.text.trim()];
  const head = chars.length > 18 ? `${chars.slice(0, 17).join('')}…` : chars.join('');
  return `${g.label} ${head} (${g.last - g.first + 1})`;
}

export function tokenStripData(result: Pick<AnalysisResult, 'prompt'>, groups?: TokenGroup[]): TokenStripData {
  if (groups && groups.length !== result.prompt.tokens.length) return groupedStripData(result, groups);
  const toks = result.prompt.tokens;
  const tokens: StripToken[] = toks.map((t, i) => ({
    index: i,
    lastIndex: i,
    group: false,
    id: t.id,
    display: t.text === '' ? CONTINUATION : showToken(t.text),
    segment: t.segment,
    continuation: t.text === '',
    whitespace: t.text !== '' && t.text.trim() === '',
    breakAfter: t.text.endsWith('\n'),
    last: i === toks.length - 1,
  }));
  return { segments: stripSegments(toks, tokens), tokens, summary: stripSummary(result) };
}

function stripSummary(result: Pick<AnalysisResult, 'prompt'>, groups?: TokenGroup[]): string {
  const counts = new Map<Segment, number>();
  for (const t of result.prompt.tokens) counts.set(t.segment, (counts.get(t.segment) ?? 0) + 1);
  const by = groups ? ` The context is shown by sentence: ${sentenceCount(groups)} sentences in ${groups.filter((g) => g.sentence !== null).length} chips.` : '';
  return `Prompt of ${result.prompt.tokens.length} tokens: ` + [...counts].map(([s, n]) => `${n} ${SEGMENT_LABEL[s]}`).join(', ') + '.' + by;
}

/** long contexts: every context run of a group is one chip; answer span, question and template stay token by token */
function groupedStripData(result: Pick<AnalysisResult, 'prompt'>, groups: TokenGroup[]): TokenStripData {
  const toks = result.prompt.tokens;
  const T = toks.length;
  const items = groups.map((g) => ({ text: g.sentence === null ? toks[g.first].text : g.text, segment: g.segment }));
  const tokens: StripToken[] = groups.map((g, k) => {
    const t = toks[g.first];
    const single = g.sentence === null;
    return {
      index: g.first,
      lastIndex: g.last,
      group: !single,
      id: t.id,
      display: single ? (t.text === '' ? CONTINUATION : showToken(t.text)) : groupDisplay(g),
      segment: g.segment,
      continuation: single && t.text === '',
      whitespace: single && t.text !== '' && t.text.trim() === '',
      breakAfter: single && t.text.endsWith('\n'),
      last: g.last === T - 1,
      item: k,
    };
  });
  return { segments: stripSegments(items, tokens), tokens, summary: stripSummary(result, groups) };
}

/** items (tokens or groups) split into blocks and, inside a block, into direction runs */
function stripSegments(items: { text: string; segment: Segment }[], tokens: StripToken[]): StripSegment[] {
  const toks = items;
  const segments: StripSegment[] = [];
  for (const run of directionRuns(toks, blockOf)) {
    const blk = blockOf(toks[run.start].segment);
    let group = segments[segments.length - 1];
    // a new block starts where the block changes
    if (!group || group.block !== blk) {
      group = { block: blk, runs: [] };
      segments.push(group);
    }
    group.runs.push({ dir: run.dir, tokens: tokens.slice(run.start, run.end + 1) });
  }
  return segments;
}

/** tooltip text of one token, or of the group starting at position t */
export function tokenTooltip(result: Pick<AnalysisResult, 'prompt'>, t: number, groups?: TokenGroup[]): string {
  const tok = result.prompt.tokens[t];
  if (!tok) return '';
  const g = groups && groups.length !== result.prompt.tokens.length ? groups.find((x) => x.first === t) : undefined;
  if (g && g.sentence !== null) return `${groupLine(g, sentenceCount(groups!))}\ncontext tokens shown as one chip; choose “every token” to see them one by one`;
  const raw = result.prompt.text.slice(tok.start, tok.end);
  const lines = [`position ${t} · ${SEGMENT_LABEL[tok.segment]}`, `token id ${tok.id}`];
  if (tok.text === '') lines.push('byte piece of the character before it');
  else lines.push(`text “${showToken(tok.text)}”`);
  if (raw && raw !== tok.text) lines.push(`characters “${showToken(raw)}”`);
  if (t === result.prompt.tokens.length - 1) lines.push('last position: it predicts the answer');
  return lines.join('\n');
}
