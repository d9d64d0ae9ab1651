import { describe, expect, it } from 'vitest';
import { describeError } from './run-errors';

describe('describeError', () => {
  it('names the engine errors', () => {
    expect(describeError('InputTooLongError', 'x', 'analyze')).toMatch(/too long/);
    expect(describeError('UnsupportedModelError', 'x', 'load')).toMatch(/not supported/);
    expect(describeError('Error', 'x', 'load')).toMatch(/Could not load/);
  });

  it('says each error once, as one sentence', () => {
    expect(describeError('InputTooLongError', 'The prompt has 1524 tokens; this model accepts at most 1024.', 'analyze')).toBe('The prompt is too long: it has 1524 tokens; this model accepts at most 1024.');
    expect(describeError('PromptError', 'The answer must appear verbatim in the context.', 'analyze')).toBe('The input cannot be analysed: the answer must appear verbatim in the context.');
    expect(describeError('PromptError', 'WASM says no.', 'analyze')).toBe('The input cannot be analysed: WASM says no.');
  });
});
