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

  it('validates the weight format', () => {
    expect(defaultPageState().weights).toBe('auto');
    for (const w of ['auto', 'fp32', 'int8', 'fp16'] as const) expect(parsePageState({ v: 1, weights: w })).toEqual({ state: { ...defaultPageState(), weights: w }, errors: [] });
    for (const bad of ['int4', 'INT8', 'FP16', 'f16', 'fp16 ', 'bf16', 8, null, ['int8'], { toString: () => 'int8' }]) {
      const { state, errors } = parsePageState({ v: 1, weights: bad });
      expect(state.weights).toBe('auto');
      expect(errors).toEqual(['Ignored an invalid value for the weight format.']);
    }
  });

  it('rejects hostile values', () => {
    for (const bad of [null, 3, 'x', [], { v: 99 }, { model: { kind: 'hub', repo: 'a/b', hub: 'javascript:alert(1)' } }, { custom: { context: 'x'.repeat(5000), question: '', answer: '' } }]) {
      const { state, errors } = parsePageState(bad);
      expect(errors.length).toBeGreaterThan(0);
      expect(state.model).toEqual(defaultPageState().model);
    }
  });
});
