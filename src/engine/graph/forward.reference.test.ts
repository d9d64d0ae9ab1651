// The engine's fp32 forward (via `xlens dump`, as a user runs it) against the independent
// float64 PyTorch reference in tools/reference, on random-weight fixtures of every family.
// Tolerances: relative error <= 1e-3 on logits and hidden states, <= 1e-4 on
// attention probabilities. Measured: about 1e-6 on all of them.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flatten, relError } from '../../../test/engine/compare';

const names = readdirSync('fixtures/reference').map((f) => f.replace(/\.json$/, ''));

describe('xlens dump matches the PyTorch reference', () => {
  it('covers every required family', () => {
    const families = names.map((n) => JSON.parse(readFileSync(`fixtures/models/${n}/config.json`, 'utf8')).model_type);
    expect(new Set(families)).toEqual(new Set(['llama', 'mistral', 'qwen2', 'qwen3', 'gemma', 'gemma2', 'gemma3_text', 'phi3']));
    const llama3 = names.some((n) => JSON.parse(readFileSync(`fixtures/models/${n}/config.json`, 'utf8')).rope_scaling?.rope_type === 'llama3');
    expect(llama3).toBe(true);
  });

  for (const name of names) {
    it(name, () => {
      const ref = JSON.parse(readFileSync(`fixtures/reference/${name}.json`, 'utf8'));
      const stdout = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'dump', '--model', `fixtures/models/${name}`, '--ids', ref.ids.join(',')], {
        maxBuffer: 1 << 30,
      }).toString();
      const out = JSON.parse(stdout);
      expect(Object.keys(out).sort()).toEqual(['attention', 'hidden', 'logits']);
      // shapes
      const T = ref.ids.length;
      expect(out.logits.length).toBe(T);
      expect(out.hidden.length).toBe(ref.hidden.length);
      expect(out.attention.length).toBe(ref.attention.length);
      expect(out.attention[0].length).toBe(ref.attention[0].length);
      expect(out.attention[0][0].length).toBe(T);
      // numbers
      expect(relError(flatten(out.logits), flatten(ref.logits))).toBeLessThanOrEqual(1e-3);
      expect(relError(flatten(out.hidden), flatten(ref.hidden))).toBeLessThanOrEqual(1e-3);
      expect(relError(flatten(out.attention), flatten(ref.attention))).toBeLessThanOrEqual(1e-4);
    });
  }
});
