// The answer span is found whatever invisible characters surround it, by class: bidi controls
// and marks, zero-width characters, BOM and NUL, before the answer in the context, copied along
// with the answer, or inside either; and the engine then targets the answer's first word.
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../engine/analyses/analyze';
import { loadModel, type LoadedModel } from '../engine/model';
import { answerSpan, resolveInput } from './input';
import { defaultPageState } from './page-state';
import { BIDI_CONTROLS, INVISIBLES, pickOne, randInt, seeded, sprinkle } from '../../test/state/result-generators';

ort.env.wasm.numThreads = 1;

const CHARS = [...BIDI_CONTROLS, ...INVISIBLES];
const CASES = [
  { context: 'Maria lives in Lisbon. Her brother lives in Porto.', answer: 'Lisbon' },
  { context: 'أحمد يعيش في القاهرة.', answer: 'القاهرة' },
  { context: '玛丽住在北京。', answer: '北京' },
];

/** a custom-text page with invisible characters put where a user's copy and paste puts them */
function hostileInput(rand: () => number) {
  const c = pickOne(rand, CASES);
  const where = pickOne(rand, ['before-in-context', 'around-answer', 'inside-context', 'inside-answer', 'all'] as const);
  const ch = () => pickOne(rand, CHARS);
  let context = c.context;
  let answer = c.answer;
  const at = context.indexOf(answer);
  if (where === 'before-in-context' || where === 'all') context = context.slice(0, at) + ch() + context.slice(at);
  if (where === 'around-answer' || where === 'all') answer = ch() + answer + ch();
  if (where === 'inside-context') context = context.slice(0, at + 1) + ch() + context.slice(at + 1);
  if (where === 'inside-answer') answer = sprinkle(rand, answer, CHARS, randInt(rand, 1, 2));
  const clean = { ...defaultPageState(), example: null, custom: { context: c.context, question: 'Where?', answer: c.answer } };
  return { c, where, clean, page: { ...defaultPageState(), example: null, custom: { context, question: 'Where?', answer } } };
}

describe('answer span with invisible characters', () => {
  it('is found in every class, and the engine gets the context\'s own text without invisible edges', () => {
    const rand = seeded(77);
    for (let i = 0; i < 300; i++) {
      const { c, where, page } = hostileInput(rand);
      const r = resolveInput(page);
      expect('input' in r, `${where}: ${JSON.stringify(page.custom)}`).toBe(true);
      if (!('input' in r)) continue;
      const a = r.input.answer;
      expect(page.custom!.context.trim().includes(a)).toBe(true);
      expect(a).not.toMatch(/^[\s\p{Cf}\p{Cc}]|[\s\p{Cf}\p{Cc}]$/u);
      expect([...a].filter((x) => !/\p{Cf}|\p{Cc}/u.test(x)).join('')).toBe(c.answer);
    }
    expect(answerSpan('Maria lives in Lisbon.', 'Porto')).toBeNull();
    expect(answerSpan('Maria', '\u200B\u202E')).toBeNull();
  });

  describe('through the engine (bundled tiny model)', () => {
    let m: LoadedModel;
    beforeAll(async () => {
      m = await loadModel({ kind: 'dir', path: 'public/models/xlens-tiny-instruct' }, { ort, backend: 'wasm' });
    });
    afterAll(async () => {
      await m?.dispose();
    });
    it('the target is the one of the same text without them, never an invisible character', async () => {
      const rand = seeded(78);
      for (let i = 0; i < 8; i++) {
        const { page, clean } = hostileInput(rand);
        const r = resolveInput(page);
        const rc = resolveInput(clean);
        if (!('input' in r) || !('input' in rc)) throw new Error('no input');
        const res = await analyze(m, r.input, { maxNewTokens: 1 });
        const ref = await analyze(m, rc.input, { maxNewTokens: 1 });
        expect(res.prompt.target, JSON.stringify(page.custom)).toEqual(ref.prompt.target);
        expect(res.prompt.target.text).not.toMatch(/[\p{Cf}\p{Cc}]/u);
        expect(res.prompt.tokens.some((t) => t.segment === 'answer')).toBe(true);
      }
    });
  });
});
