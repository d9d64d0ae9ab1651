import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPrompt, PromptError } from './prompt';
import { createTokenizer } from './tokenizer';

const tok = createTokenizer(
  JSON.parse(readFileSync('fixtures/models/qwen2-bias-bf16/tokenizer.json', 'utf8')),
  JSON.parse(readFileSync('fixtures/models/qwen2-bias-bf16/tokenizer_config.json', 'utf8')),
);

const cases = [
  { context: 'Ana lives in Lisbon. Her brother lives in Porto.', question: 'Where does Ana live?', answer: 'Lisbon' },
  { context: 'تعيش آنا في لشبونة. يعيش أخوها في بورتو.', question: '安娜住在哪里？', answer: 'لشبونة' },
  { context: '安娜住在里斯本。她的哥哥住在波尔图。', question: 'อันนาอาศัยอยู่ที่ไหน', answer: '里斯本' },
];

describe('xMRC prompt', () => {
  for (const template of ['plain', 'chat'] as const) {
    for (const c of cases) {
      it(`${template}: segments and target for "${c.answer}"`, () => {
        const p = buildPrompt(tok, { ...c, template });
        expect(p.tokens.length).toBe(p.ids.length);
        if (template === 'plain') expect(p.text).toBe(`Context: ${c.context}\nQuestion: ${c.question}\nAnswer:`);
        // the answer-segment tokens cover exactly the answer (tokens may straddle its edges)
        const ans = p.tokens.filter((t) => t.segment === 'answer');
        expect(ans.length).toBeGreaterThan(0);
        const covered = p.text.slice(ans[0].start, ans.at(-1)!.end);
        expect(covered).toContain(c.answer);
        // segment text
        const seg = (s: string) => p.tokens.filter((t) => t.segment === s).map((t) => t.text).join('');
        expect(seg('question').trim()).toContain(c.question.slice(0, 3));
        expect(p.tokens.filter((t) => t.segment === 'context').length).toBeGreaterThan(0);
        // the question comes after the context, and the prompt ends with template tokens
        const firstQ = p.tokens.findIndex((t) => t.segment === 'question');
        const lastC = p.tokens.map((t) => t.segment).lastIndexOf('context');
        expect(firstQ).toBeGreaterThan(lastC);
        expect(p.tokens.at(-1)!.segment).toBe('template');
        // target: the first content token of the continuation, after any whitespace-only tokens
        const full = tok.encode(p.text + p.continuation, { addSpecialTokens: template === 'plain' });
        expect(full.slice(0, p.ids.length)).toEqual(p.ids);
        expect(p.targetId).toBe(full[p.ids.length + p.leadingWhitespace.length]);
        for (const w of p.leadingWhitespace) expect(w.text).toMatch(/^\s+$/);
        expect(p.targetText.trim().length).toBeGreaterThan(0);
        expect(c.answer.startsWith(p.targetText.trim())).toBe(true);
        expect(p.continuation.startsWith(template === 'plain' ? ' ' : c.answer[0])).toBe(true);
        // pieces reproduce the text
        expect(p.tokens.map((t) => t.text).join('')).toBe(p.text);
      });
    }
  }

  it('takes the answer span at answerStart when the answer occurs more than once', () => {
    const context = 'Porto is far. Ana lives in Porto.';
    const first = buildPrompt(tok, { context, question: 'Where does Ana live?', answer: 'Porto', template: 'plain' });
    const second = buildPrompt(tok, { context: `  ${context}`, question: 'Where does Ana live?', answer: 'Porto', answerStart: context.lastIndexOf('Porto') + 2, template: 'plain' });
    const at = (p: typeof first) => p.ranges.answer[0] - p.ranges.context[0];
    expect(at(first)).toBe(0);
    expect(at(second)).toBe(context.lastIndexOf('Porto'));
    expect(() => buildPrompt(tok, { context, question: 'q', answer: 'Porto', answerStart: 3, template: 'plain' })).toThrow(/does not occur at character 3/);
  });

  it('finds the answer whatever invisible characters surround it', () => {
    for (const junk of ['\u202E', '\u200B', '\u200E', '\u2066', '\uFEFF', '\0']) {
      const p = buildPrompt(tok, { context: `Ana lives in ${junk}Lisbon${junk}.`, question: 'Where?', answer: `${junk}Lisbon `, template: 'plain' });
      expect(p.text.slice(...p.ranges.answer)).toBe('Lisbon');
      expect(p.targetText.trim().length).toBeGreaterThan(0);
    }
  });

  it('rejects answers not in the context and empty fields with clear messages', () => {
    expect(() => buildPrompt(tok, { context: 'a b', question: 'q', answer: 'zzz', template: 'plain' })).toThrow(PromptError);
    expect(() => buildPrompt(tok, { context: ' ', question: 'q', answer: 'a', template: 'plain' })).toThrow(/context is empty/);
  });
});
