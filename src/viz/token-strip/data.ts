// Data provider for the token strip: every prompt token as text, grouped by segment and, inside
// a segment, into runs of one direction (so an Arabic context reads right to left inside its
// own segment while the template around it stays left to right).
import type { AnalysisResult } from '../../engine/result';
import type { Segment } from '../../engine/text/prompt';
import { SEGMENT_LABEL } from '../common/segments';
import { CONTINUATION, directionRuns, showToken } from '../common/tokens';

export interface StripToken {
  index: number;
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
  /** this is the last position (the one that predicts the answer) */
  last: boolean;
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

export function blockOf(segment: string): StripBlockKind {
  return segment === 'context' || segment === 'answer' ? 'passage' : segment === 'question' ? 'question' : 'template';
}

export interface TokenStripData {
  segments: StripSegment[];
  tokens: StripToken[];
  summary: string;
}

export function tokenStripData(result: Pick<AnalysisResult, 'prompt'>): TokenStripData {
  const toks = result.prompt.tokens;
  const tokens: StripToken[] = toks.map((t, i) => ({
    index: i,
    id: t.id,
    display: t.text === '' ? CONTINUATION : showToken(t.text),
    segment: t.segment,
    continuation: t.text === '',
    whitespace: t.text !== '' && t.text.trim() === '',
    breakAfter: t.text.endsWith('\n'),
    last: i === toks.length - 1,
  }));
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
  const counts = new Map<Segment, number>();
  for (const t of tokens) counts.set(t.segment, (counts.get(t.segment) ?? 0) + 1);
  const summary = `Prompt of ${tokens.length} tokens: ` + [...counts].map(([s, n]) => `${n} ${SEGMENT_LABEL[s]}`).join(', ') + '.';
  return { segments, tokens, summary };
}

/** tooltip text of one token */
export function tokenTooltip(result: Pick<AnalysisResult, 'prompt'>, t: number): string {
  const tok = result.prompt.tokens[t];
  if (!tok) return '';
  const raw = result.prompt.text.slice(tok.start, tok.end);
  const lines = [`position ${t} · ${SEGMENT_LABEL[tok.segment]}`, `token id ${tok.id}`];
  if (tok.text === '') lines.push('byte piece of the character before it');
  else lines.push(`text “${showToken(tok.text)}”`);
  if (raw && raw !== tok.text) lines.push(`characters “${showToken(raw)}”`);
  if (t === result.prompt.tokens.length - 1) lines.push('last position: it predicts the answer');
  return lines.join('\n');
}
