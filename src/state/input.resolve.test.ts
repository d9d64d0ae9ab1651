// input.ts: the page's example or custom text -> the analysis input, and model refs -> sources.
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../data/catalog';
import { answerSpan, customProblem, modelSource, resolveInput, withLanguages } from './input';
import { defaultPageState } from './page-state';

const rt = { hubBase: 'https://huggingface.co', debug: false, maxNewTokens: 16 };

describe('input resolution', () => {
  it('takes the context and answer in the context language and the question in the question language', () => {
    const ex = CATALOG.find((e) => e.langs.ar && e.langs.zh)!;
    const r = resolveInput({ ...defaultPageState(), contextLang: 'ar', questionLang: 'zh', example: ex.id });
    expect(r).toEqual({
      input: { contextLang: 'ar', questionLang: 'zh', exampleId: ex.id, context: ex.langs.ar.context, question: ex.langs.zh.question, answer: ex.langs.ar.answer, template: 'plain' },
    });
  });

  it('says what is wrong with custom text', () => {
    const page = { ...defaultPageState(), custom: { context: 'Maria lives in Lisbon.', question: 'Where?', answer: 'Porto' } };
    const r = resolveInput(page);
    expect('problem' in r && r.problem).toMatch(/does not occur in the context/);
    expect(answerSpan('Maria lives in Lisbon.', ' Lisbon ')).toEqual([15, 21]);
    expect(resolveInput({ ...page, custom: { ...page.custom, answer: 'Lisbon' } })).toHaveProperty('input.answer', 'Lisbon');
    expect(resolveInput({ ...defaultPageState(), example: 'no-such-example' })).toEqual({ problem: 'There is no example "no-such-example".' });
    // one message per problem, tied to the field the editor shows it under
    expect(customProblem({ context: 'Maria lives in Lisbon.', question: ' ', answer: 'Lisbon' })).toEqual({ field: 'question', message: 'Write a question first.' });
    expect(customProblem({ context: 'Maria lives in Lisbon.', question: 'Where?', answer: 'Porto' })).toMatchObject({ field: 'answer' });
    expect(customProblem({ context: 'Maria lives in Lisbon.', question: 'Where?', answer: 'Lisbon' })).toBeNull();
  });

  it('custom text that is still an example follows a language change; edited text stays', () => {
    const ex = CATALOG.find((e) => e.langs.ar && e.langs.de && e.langs.zh && e.langs.en)!;
    const page = { ...defaultPageState(), contextLang: 'ar' as const, questionLang: 'zh' as const, example: null, custom: { context: ex.langs.ar.context, question: ex.langs.zh.question, answer: ex.langs.ar.answer } };
    const de = withLanguages(page, 'de', 'zh');
    expect(de.custom).toEqual({ context: ex.langs.de.context, question: ex.langs.zh.question, answer: ex.langs.de.answer });
    expect(withLanguages(page, 'ar', 'en').custom!.question).toBe(ex.langs.en.question);
    const own = { ...page, custom: { ...page.custom, context: 'Mira lebt in Hanoi.', answer: 'Hanoi' } };
    expect(withLanguages(own, 'de', 'zh').custom).toEqual(own.custom);
    expect(withLanguages(defaultPageState(), 'th', 'vi')).toMatchObject({ contextLang: 'th', questionLang: 'vi', custom: null });
  });

  it('maps model refs to sources', () => {
    expect(modelSource({ kind: 'bundled', name: 'xlens-tiny-base' }, rt.hubBase, 'http://h:1', '/')).toEqual({ kind: 'url', url: 'http://h:1/models/xlens-tiny-base' });
    expect(modelSource({ kind: 'hub', repo: 'a/b' }, 'http://127.0.0.1:4174', 'http://h:1')).toEqual({ kind: 'hub', repo: 'a/b', baseUrl: 'http://127.0.0.1:4174' });
  });
});
