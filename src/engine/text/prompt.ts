// The xMRC prompt (DESIGN.md): `Context: {context}\nQuestion: {question}\nAnswer:` for base
// models, or that text as the user turn of the model's chat template. Every token is
// labelled with the segment it falls in, via character offsets.

import type { TextTokenizer } from './tokenizer';

export type Segment = 'template' | 'context' | 'answer' | 'question';
export const SEGMENTS: Segment[] = ['context', 'answer', 'question', 'template'];
export type TemplateKind = 'plain' | 'chat';

export interface PromptInput {
  context: string;
  question: string;
  /** gold answer; its first occurrence in the context is the answer span, unless answerStart says where */
  answer: string;
  template: TemplateKind;
  /** character offset of the answer span in `context` (a dataset's answer_start: the text may also occur earlier) */
  answerStart?: number;
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
  /** the first token of the gold answer as the model would emit it after the prompt */
  targetId: number;
  targetText: string;
  /** what the model is expected to produce after the prompt (leading space for the plain template) */
  continuation: string;
  template: TemplateKind;
}

export class PromptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptError';
  }
}

export function buildPrompt(tok: TextTokenizer, input: PromptInput): BuiltPrompt {
  const context = input.context.trim();
  const question = input.question.trim();
  const answer = input.answer.trim();
  if (!context) throw new PromptError('The context is empty.');
  if (!question) throw new PromptError('The question is empty.');
  if (!answer) throw new PromptError('The answer is empty.');
  const answerAt = input.answerStart === undefined ? context.indexOf(answer) : input.answerStart - (input.context.length - input.context.trimStart().length);
  if (answerAt < 0) throw new PromptError('The answer must appear verbatim in the context.');
  if (!context.startsWith(answer, answerAt)) throw new PromptError(`The answer is not at character ${input.answerStart} of the context.`);

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

  // target: first token of the continuation as the model would emit it
  const full = tok.encode(text + continuation, { addSpecialTokens: input.template === 'plain' });
  let k = 0;
  while (k < ids.length && k < full.length && ids[k] === full[k]) k++;
  if (k >= full.length) throw new PromptError('The answer produced no token.');
  const targetId = full[k];
  return {
    text,
    ids,
    tokens,
    ranges,
    targetId,
    targetText: tok.tokenStrings([targetId])[0],
    continuation,
    template: input.template,
  };
}
