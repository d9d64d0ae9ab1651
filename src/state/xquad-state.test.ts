// XQuAD items in the page state: addressed by id in the URL, resolved once their languages'
// files are loaded, kept by a result's page, sampled reproducibly for the pair matrix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stateForResult } from '../app/share/share-logic';
import type { LangCode } from '../data/languages';
import { parseXquad, sampleIds, XquadSet } from '../data/xquad';
import { largeResult } from '../../test/viz/large-result';
import { resolveInput } from './input';
import { defaultPageState } from './page-state';
import { xquadMatrixExamples, xquadTooLongMessage, XQUAD_MATRIX_SEED } from './store';
import { decodeUrl, encodeUrl } from './url-state';

const load = (l: LangCode) => new XquadSet(parseXquad(JSON.parse(readFileSync(`public/data/xquad/${l}.json`, 'utf8')), l));
const sets: Partial<Record<LangCode, XquadSet>> = { th: load('th'), zh: load('zh'), en: load('en') };
const item = sets.th!.items[7];

describe('XQuAD items in the page', () => {
  it('an item is a short id in the URL that survives a round trip', () => {
    const d = decodeUrl(`?cl=th&ql=zh&ex=${item.id}`);
    expect(d.errors).toEqual([]);
    expect(d.state.example).toBe(item.id);
    const q = encodeUrl(d.state);
    expect(q).toContain(`ex=${item.id}`);
    expect(q.length).toBeLessThan(120);
    expect(decodeUrl(q).state).toEqual(d.state);
  });

  it('resolves once both languages are loaded; the answer offset comes with it', () => {
    const s = { ...defaultPageState(), contextLang: 'th' as const, questionLang: 'zh' as const, example: item.id };
    expect(resolveInput(s)).toEqual({ needs: ['th', 'zh'] });
    expect(resolveInput(s, (l) => (l === 'th' ? sets.th : undefined))).toEqual({ needs: ['zh'] });
    const r = resolveInput(s, (l) => sets[l]);
    expect(r).toEqual({
      input: { contextLang: 'th', questionLang: 'zh', exampleId: item.id, context: item.context, question: sets.zh!.get(item.id)!.question, answer: item.answer, answerStart: item.answerStart, template: 'plain' },
    });
    const unknown = resolveInput({ ...s, example: 'xquad-ffffffffffffffffffffffff' }, (l) => sets[l]);
    expect('problem' in unknown && unknown.problem).toContain('no XQuAD question');
  });

  it('a result of an XQuAD item gives a page that names the item, not its text', () => {
    const r = largeResult({ T: 60, L: 2, H: 1 });
    r.input = { ...r.input, exampleId: item.id, contextLang: 'th', questionLang: 'zh' };
    const s = stateForResult(defaultPageState(), r);
    expect(s.example).toBe(item.id);
    expect(s.custom).toBeNull();
  });

  it('the matrix sample is the CLI\'s: seed 0, the same ids, texts per language with their offsets', () => {
    const ex = xquadMatrixExamples(sets, ['en', 'th'], 3);
    expect(ex.map((e) => e.id)).toEqual(sampleIds(sets.en!.ids, 3, XQUAD_MATRIX_SEED));
    const th = sets.th!.get(ex[0].id)!;
    expect(ex[0].langs.th).toEqual({ context: th.context, question: th.question, answer: th.answer, answerStart: th.answerStart });
  });

  it('a prompt too long for the model says so with the numbers and what to do', () => {
    const m = xquadTooLongMessage('The prompt has 1415 tokens; this model accepts at most 1024. Shorten the context.', { contextLang: 'th' } as never, { kind: 'bundled', name: 'xlens-tiny-instruct' });
    expect(m).toBe(
      'This XQuAD item is too long for the model: with the Thai paragraph the prompt has 1,415 tokens, and xlens-tiny-instruct reads at most 1,024. Nothing was analysed. Choose a shorter paragraph (another question or article), another context language, or a model with a longer context.',
    );
  });
});
