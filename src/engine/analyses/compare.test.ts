import { describe, expect, it } from 'vitest';
import { alignLayers, diffGrid } from './compare';

describe('compare', () => {
  it('aligns layers by relative depth', () => {
    expect(alignLayers(4, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(alignLayers(4, 8)).toEqual([0, 2, 4, 6, 8]);
    expect(alignLayers(8, 4)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(alignLayers(2, 12)).toEqual([0, 6, 12]);
  });

  it('differences B - A on aligned rows', () => {
    const a = [[0, 0], [0.5, 0.5], [1, 1]];
    const b = [[0, 0.1], [0.2, 0.2], [0.3, 0.3], [0.4, 0.4], [0.9, 0.8]];
    expect(diffGrid(a, b)).toEqual([[0, 0.1], [0.3 - 0.5, 0.3 - 0.5], [0.9 - 1, 0.8 - 1]]);
    expect(() => diffGrid([[0]], [[0, 1]])).toThrow(/different numbers of positions/);
  });
});
