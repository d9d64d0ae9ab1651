// The xMRC prompt of the paper (Gao et al., 2025): `Context: {context}\nQuestion: {question}\nAnswer:` for base
// models, or that text as the user turn of the model's chat template. Every token is
// labelled with the segment it falls in, via character offsets.

import type { TextTokenizer } from './tokenizer';

export type Segment = 'template' | 'context' | 'answer' | 'question';
export const SEGMENTS: Segment[] = ['context', 'answer', 'question', 'template'];
export type TemplateKind = 'plain' | 'chat';

export interface PromptInput {
  context: string;
  question: string;
  /** gold answer, a span of the context */
  answer: string;
  /** where the answer span starts in `context` (UTF-16 offset, as SQuAD's answer_start); default: its first occurrence */
  answerStart?: number;
  template: TemplateKind;
}

export interface PromptToken {
  id: number;
  /** display text (byte pieces merged; special tokens as their text) */
  text: string;
  /** character range in the prompt text ([start, start) for tokens not in the text, e.g. BOS) */
  start: number;
  end: number;
  segment: Segment;
}

export interface BuiltPrompt {
  text: string;
  ids: number[];
  tokens: PromptToken[];
  /** character ranges in `text` */
  ranges: Record<Exclude<Segment, 'template'>, [number, number]>;
  /**
   * The target: the first token of the gold answer's content as the model would emit it after the
   * prompt (leading space joined where the tokenizer joins it), never a whitespace-only token.
   */
  targetId: number;
  /** its display text (a character split into byte tokens shows whole, on its first token) */
  targetText: string;
  /** whitespace-only tokens the tokenizer would emit before the target (e.g. a separate " " before a Chinese word); skipped */
  leadingWhitespace: { id: number; text: string }[];
  /**
   * The target's candidates, one per way of writing the answer after the prompt: with a space (the
   * plain template's convention after "Answer:") and without one (a chat template's; also how some
   * models write a Chinese or Thai answer). The first is the template's convention (= targetId); where
   * they differ, the analysis takes the one the model itself finds more probable (analyses/analyze.ts).
   */
  targetCandidates: TargetCandidate[];
  /** what the model is expected to produce after the prompt (leading space for the plain template) */
  continuation: string;
  template: TemplateKind;
}

export interface TargetCandidate {
  id: number;
  /** display text (whole characters) */
  text: string;
  leadingWhitespace: { id: number; text: string }[];
  /** the continuation it starts: " " + answer, or the answer */
  continuation: string;
}

export class PromptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptError';
  }
}

const EDGE_JUNK = /^[\s\p{Cf}\0]+|[\s\p{Cf}\0]+$/gu;

/** the answer span's start in the trimmed, NFC context: at `start` of the raw context when given, else the first occurrence */
function answerOffset(raw: string, nfc: string, context: string, answer: string, start: number | undefined): number {
  if (start === undefined) {
    const at = context.indexOf(answer);
    if (at < 0) throw new PromptError('The answer must appear verbatim in the context.');
    return at;
  }
  if (!Number.isInteger(start) || start < 0 || start > raw.length) throw new PromptError(`The answer start ${start} is outside the context.`);
  const lead = nfc.length - nfc.trimStart().length;
  const at = raw.slice(0, start).normalize('NFC').length - lead;
  if (at < 0 || !context.startsWith(answer, at)) throw new PromptError(`The answer does not occur at character ${start} of the context.`);
  return at;
}

export function buildPrompt(tok: TextTokenizer, input: PromptInput): BuiltPrompt {
  // NFC, as most tokenizers normalise: the prompt text then equals what the token pieces decode to
  const rawContext = input.context.normalize('NFC');
  const context = rawContext.trim();
  const question = input.question.normalize('NFC').trim();
  // invisible format characters (bidi marks, zero-width spaces, BOM) around a typed answer are not part of it
  const answer = input.answer.normalize('NFC').replace(EDGE_JUNK, '');
  if (!context) throw new PromptError('The context is empty.');
  if (!question) throw new PromptError('The question is empty.');
  if (!answer) throw new PromptError('The answer is empty.');
  const answerAt = answerOffset(input.context, rawContext, context, answer, input.answerStart);

  const user = `Context: ${context}\nQuestion: ${question}\nAnswer:`;
  let text = user;
  let offset = 0;
  let continuation = ` ${answer}`;
  if (input.template === 'chat') {
    const chat = tok.applyChatTemplate(user);
    if (chat === null) throw new PromptError('This model has no chat template; use the plain template.');
    offset = chat.indexOf(user);
    if (offset < 0) throw new PromptError('The chat template changed the prompt text; cannot locate segments.');
    text = chat;
    continuation = answer;
  }
  const ctxStart = offset + 'Context: '.length;
  const qStart = ctxStart + context.length + '\nQuestion: '.length;
  const ranges = {
    context: [ctxStart, ctxStart + context.length] as [number, number],
    answer: [ctxStart + answerAt, ctxStart + answerAt + answer.length] as [number, number],
    question: [qStart, qStart + question.length] as [number, number],
  };

  // chat templates already contain their special tokens as text
  const ids = tok.encode(text, { addSpecialTokens: input.template === 'plain' });
  const pieces = tok.tokenStrings(ids);
  const tokens: PromptToken[] = [];
  let pos = 0;
  for (let i = 0; i < ids.length; i++) {
    const piece = pieces[i];
    if (piece === '') {
      // continuation byte of a multi-byte character: shares the range of its group, set below
      tokens.push({ id: ids[i], text: '', start: pos, end: pos, segment: 'template' });
      continue;
    }
    let start = pos;
    let end = pos;
    if (text.startsWith(piece, pos)) {
      end = pos + piece.length;
    } else {
      // leading-space conventions (sentencepiece) or a token not in the text (BOS)
      const trimmed = piece.replace(/^\s+/, '');
      const at = trimmed ? text.indexOf(trimmed, pos) : -1;
      if (at >= 0 && at - pos <= 2) {
        start = at;
        end = at + trimmed.length;
      }
    }
    pos = end;
    tokens.push({ id: ids[i], text: piece, start, end, segment: 'template' });
  }
  // a multi-byte group: the first token carries the text; the following '' pieces share its range
  for (let i = 1; i < tokens.length; i++) {
    if (tokens[i].text === '' && tokens[i].start === tokens[i].end) {
      tokens[i].start = tokens[i - 1].start;
      tokens[i].end = tokens[i - 1].end;
    }
  }
  const inside = (t: PromptToken, [a, b]: [number, number]) => t.end > a && t.start < b;
  for (const t of tokens) {
    if (t.end <= t.start) continue;
    if (inside(t, ranges.answer)) t.segment = 'answer';
    else if (inside(t, ranges.context)) t.segment = 'context';
    else if (inside(t, ranges.question)) t.segment = 'question';
  }

  const addSpecial = input.template === 'plain';
  const targetCandidates: TargetCandidate[] = [];
  for (const c of [continuation, continuation === answer ? ` ${answer}` : answer]) {
    const t = targetOf(tok, text, ids, c, addSpecial);
    if (!targetCandidates.some((o) => o.id === t.id)) targetCandidates.push({ ...t, continuation: c });
  }
  const target = targetCandidates[0];
  return {
    text,
    ids,
    tokens,
    ranges,
    targetId: target.id,
    targetText: target.text,
    leadingWhitespace: target.leadingWhitespace,
    targetCandidates,
    continuation,
    template: input.template,
  };
}

/**
 * The first content token of `continuation` as the tokenizer writes it after the prompt: the prompt and
 * continuation are tokenized together (so a leading space joins the word where the tokenizer joins
 * it), and whitespace-only tokens before the first visible character are skipped and reported.
 */
function targetOf(
  tok: TextTokenizer,
  text: string,
  ids: number[],
  continuation: string,
  addSpecialTokens: boolean,
): { id: number; text: string; leadingWhitespace: { id: number; text: string }[] } {
  const full = tok.encode(text + continuation, { addSpecialTokens });
  let k = 0;
  while (k < ids.length && k < full.length && ids[k] === full[k]) k++;
  // k < ids.length: the tokenizer merged the prompt's last characters with the answer (no tokenizer we
  // know does this after "Answer:" or a chat template's generation prompt); the tokens from there on
  // are still the ones the model would have to produce
  const rest = full.slice(k);
  const pieces = tok.tokenStrings(rest, { clusters: false });
  const j = pieces.findIndex((p) => /\S/u.test(p));
  if (j < 0) throw new PromptError('The answer produced no token.');
  return {
    id: rest[j],
    text: pieces[j],
    leadingWhitespace: rest.slice(0, j).map((id, i) => ({ id, text: pieces[i] })),
  };
}
