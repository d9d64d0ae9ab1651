// Major Relevance Depth against its definition (analyses/relevance.ts, top of file), on
// hand-made relevance maps and on the committed AttnLRP fixtures.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupDepth, majorRelevanceDepth } from './relevance';

describe('Major Relevance Depth', () => {
  it('is the first layer whose cumulative share of Σ|R| reaches 95%', () => {
    // layers x tokens; group {0,1}: masses 10, 6, 3.5, 0.5 -> cumulative .5, .8, .975, 1
    const R = [
      [4, -6, 1],
      [5, 1, 1],
      [-3, 0.5, 1],
      [0, 0.5, 1],
    ];
    const d = groupDepth(R, [0, 1]);
    expect(d.mass).toEqual([10, 6, 3.5, 0.5]);
    expect(d.cumulative.map((c) => +c.toFixed(6))).toEqual([0.5, 0.8, 0.975, 1]);
    expect(d.mrd).toBe(2);
    // a lower threshold stops earlier; exactly reaching it counts
    expect(groupDepth(R, [0, 1], 0.8).mrd).toBe(1);
    expect(groupDepth(R, [0, 1], 0.5).mrd).toBe(0);
    // uniform mass over 4 layers: C = .25 .5 .75 1 -> only the last layer reaches 95%
    expect(groupDepth(R, [2]).mrd).toBe(3);
  });

  it('counts negative relevance by magnitude (no cancellation)', () => {
    const R = [
      [5, -5],
      [0, 0],
      [1, 0],
    ];
    // signed sums would be 0, 0, 1; absolute: 10, 0, 1 -> C = 10/11 = .909, .909, 1
    expect(groupDepth(R, [0, 1]).mrd).toBe(2);
    expect(groupDepth(R, [0, 1], 0.9).mrd).toBe(0);
  });

  it('is null for an empty group or zero relevance', () => {
    const R = [
      [0, 1],
      [0, 1],
    ];
    expect(groupDepth(R, []).mrd).toBeNull();
    expect(groupDepth(R, [0]).mrd).toBeNull();
  });

  it('groups by label, in order of first appearance, skipping unlabelled tokens', () => {
    const R = [
      [1, 1, 0, 9],
      [0, 1, 0, 9],
      [0, 0, 1, 9],
    ];
    const m = majorRelevanceDepth(R, ['q', 'ctx', 'q', null]);
    expect([...m.keys()]).toEqual(['q', 'ctx']);
    expect(m.get('q')!.mrd).toBe(2); // masses 1, 0, 1
    expect(m.get('ctx')!.mrd).toBe(1); // masses 1, 1, 0
    expect(() => majorRelevanceDepth(R, ['q'])).toThrow(/labels/);
    expect(() => majorRelevanceDepth(R, ['q', 'q', 'q', 'q'], 0)).toThrow(/threshold/);
  });

  it('on the AttnLRP fixtures: groups without the last token have MRD < L, and it matches a brute-force recount', () => {
    for (const f of readdirSync('fixtures/relevance')) {
      const { relevance } = JSON.parse(readFileSync(`fixtures/relevance/${f}`, 'utf8')) as { relevance: number[][] };
      const L = relevance.length - 1;
      const T = relevance[0].length;
      const labels = Array.from({ length: T }, (_, t) => (t === T - 1 ? 'last' : t < T / 2 ? 'first half' : 'second half'));
      const m = majorRelevanceDepth(relevance, labels);
      for (const [g, d] of m) {
        const pos = labels.flatMap((x, t) => (x === g ? [t] : []));
        const mass = relevance.map((row) => pos.reduce((s, t) => s + Math.abs(row[t]), 0));
        const total = mass.reduce((a, b) => a + b, 0);
        let acc = 0;
        let want = -1;
        for (let l = 0; l <= L && want < 0; l++) if ((acc += mass[l]) / total >= 0.95) want = l;
        expect(d.mrd, `${f} ${g}`).toBe(want);
        if (g !== 'last') expect(d.mrd!).toBeLessThan(L); // R_L(t) = 0 for t < T-1
      }
    }
  });
});
