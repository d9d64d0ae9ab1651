// The validator's field list is the schema's: a field the schema lacks is refused by its path,
// and a schema field the validator's copy lost is reported instead of vanishing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, MatrixResult } from '../engine/result';
import { fieldProblems } from './result-fields';
import { validateResult } from './result-file';

const analysis = (): AnalysisResult => JSON.parse(readFileSync('fixtures/results/analysis-qwen2-bias.json', 'utf8'));
const matrix = (): MatrixResult => JSON.parse(readFileSync('fixtures/results/matrix-qwen2-bias.json', 'utf8'));
const errorsOf = (x: unknown) => {
  const r = validateResult(x);
  return r.ok ? [] : r.errors;
};

describe('fields the schema does not have', () => {
  it('are refused with their path, at any depth, in analyses and matrices', () => {
    const cases: [(a: Record<string, any>) => void, string][] = [
      [(a) => (a.extra = { evil: true }), 'extra'],
      [(a) => (a.model.quantBits = 4), 'model.quantBits'],
      [(a) => (a.prompt.tokens[1].score = 0.5), 'prompt.tokens[1].score'],
      [(a) => (a.prompt.target.alternative = { id: a.prompt.target.id, text: 'x', prob: 0.1, targetProb: 0.2, note: 'x' }), 'prompt.target.alternative.note'],
      [(a) => (a.attention.segmentMass.system = a.attention.segmentMass.context), 'attention.segmentMass.system'],
      [(a) => (a.lens.lastTopK[0][0].logit = 3), 'lens.lastTopK[0][0].logit'],
      [(a) => (a.timings.tokenizeMs = 3), 'timings.tokenizeMs'],
    ];
    for (const [change, path] of cases) {
      const a = analysis() as unknown as Record<string, any>;
      expect(validateResult(a).ok).toBe(true);
      change(a);
      const errors = errorsOf(a);
      expect(errors, path).toHaveLength(1);
      expect(errors[0]).toContain(`has a field ${path} that the xlens result schema (version 2) does not have`);
    }
    const m = matrix() as unknown as Record<string, any>;
    m.cells[0].items[0].loss = 1;
    expect(errorsOf(m)[0]).toContain('has a field cells[0].items[0].loss that');
  });

  it('a finished result may say pending: [] (the same as none)', () => {
    const a = analysis() as unknown as Record<string, unknown>;
    a.pending = [];
    expect(validateResult(a).ok).toBe(true);
  });
});

describe('a schema field the validator does not copy', () => {
  it('is reported, not dropped', () => {
    const a = analysis();
    const check = validateResult(JSON.parse(JSON.stringify(a)));
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(fieldProblems(a as never, check.result)).toEqual([]);
    const lossy = JSON.parse(JSON.stringify(check.result)) as AnalysisResult;
    delete lossy.model.weights;
    delete (lossy.prompt.tokens[2] as Partial<AnalysisResult['prompt']['tokens'][number]>).segment;
    const withWeights = { ...a, model: { ...a.model, weights: 'int8' } };
    expect(fieldProblems(withWeights as never, lossy)).toEqual([
      { path: 'model.weights', problem: 'unchecked' },
      { path: 'prompt.tokens[2].segment', problem: 'unchecked' },
    ]);
  });
});
