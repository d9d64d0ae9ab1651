import { describe, expect, it } from 'vitest';
import { defaultPageState, parsePageState } from './page-state';

describe('page state validation', () => {
  it('round-trips the default state without messages', () => {
    const d = defaultPageState();
    expect(parsePageState(JSON.parse(JSON.stringify(d)))).toEqual({ state: d, errors: [] });
  });

  it('keeps valid fields and reports each invalid one', () => {
    const { state, errors } = parsePageState({
      v: 1,
      contextLang: 'ar',
      questionLang: 'xx',
      model: { kind: 'hub', repo: '../etc/passwd' },
      custom: { context: 'a', question: 'b', answer: 'a' },
      view: { lensMetric: 'rank', head: -1 },
    });
    expect(state.contextLang).toBe('ar');
    expect(state.questionLang).toBe('en');
    expect(state.model).toEqual(defaultPageState().model);
    expect(state.custom).toEqual({ context: 'a', question: 'b', answer: 'a' });
    expect(state.view.lensMetric).toBe('rank');
    expect(state.view.head).toBeNull();
    expect(errors.length).toBe(3);
  });

  it('rejects hostile values', () => {
    for (const bad of [null, 3, 'x', [], { v: 99 }, { model: { kind: 'hub', repo: 'a/b', hub: 'javascript:alert(1)' } }, { custom: { context: 'x'.repeat(5000), question: '', answer: '' } }]) {
      const { state, errors } = parsePageState(bad);
      expect(errors.length).toBeGreaterThan(0);
      expect(state.model).toEqual(defaultPageState().model);
    }
  });
});
