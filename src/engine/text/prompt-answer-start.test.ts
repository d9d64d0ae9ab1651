// Dataset items give the answer span's offset: the answer text may also occur earlier in the
// context (about 4% of XQuAD's questions), and then the span is at the offset, not at the
// first occurrence.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPrompt, PromptError } from './prompt';
import { createTokenizer } from './tokenizer';

const tok = createTokenizer(
  JSON.parse(readFileSync('fixtures/models/qwen2-bias-bf16/tokenizer.json', 'utf8')),
  JSON.parse(readFileSync('fixtures/models/qwen2-bias-bf16/tokenizer_config.json', 'utf8')),
);

const context = 'Porto is a city. Ana lives in Porto.';
const second = context.lastIndexOf('Porto');

describe('the answer span at a given offset', () => {
  it('marks the occurrence at answerStart, not the first one', () => {
    const first = buildPrompt(tok, { context, question: 'Where does Ana live?', answer: 'Porto', template: 'plain' });
    const given = buildPrompt(tok, { context, question: 'Where does Ana live?', answer: 'Porto', template: 'plain', answerStart: second });
    const at = 'Context: '.length;
    expect(first.ranges.answer).toEqual([at, at + 5]);
    expect(given.ranges.answer).toEqual([at + second, at + second + 5]);
    const answerText = (p: typeof given) => p.tokens.filter((t) => t.segment === 'answer').map((t) => p.text.slice(t.start, t.end)).join('');
    expect(answerText(given).trim()).toBe('Porto');
    // the first "Porto" is plain context now
    expect(given.tokens.find((t) => t.start === at)?.segment).toBe('context');
    expect(given.targetId).toBe(first.targetId);
  });

  it('counts the offset in the context as given (before trimming)', () => {
    const p = buildPrompt(tok, { context: `  ${context}`, question: 'Where?', answer: 'Porto', template: 'plain', answerStart: second + 2 });
    expect(p.ranges.answer[0]).toBe('Context: '.length + second);
  });

  it('refuses an offset that does not point at the answer', () => {
    expect(() => buildPrompt(tok, { context, question: 'Where?', answer: 'Porto', template: 'plain', answerStart: 3 })).toThrow(PromptError);
    expect(() => buildPrompt(tok, { context, question: 'Where?', answer: 'Porto', template: 'plain', answerStart: -1 })).toThrow(PromptError);
  });
});
