import { describe, expect, it } from 'vitest';
import { bandsByLayer, bandsExplanation, phaseBands } from './data';

describe('phaseBands', () => {
  it('marks knockout and MRD depths of the question and the answer span', () => {
    const b = phaseBands({ phases: { questionEncodingKnockout: 3, answerRetrievalKnockout: 7, questionEncodingMrd: 2, answerRetrievalMrd: 7 } });
    expect(b.map((x) => [x.tag, x.layer])).toEqual([
      ['Q·KO', 3],
      ['A·KO', 7],
      ['Q·MRD', 2],
      ['A·MRD', 7],
    ]);
    expect(b.filter((x) => x.dashed).map((x) => x.source)).toEqual(['mrd', 'mrd']);
    expect(bandsByLayer(b).get(7)!.length).toBe(2);
    expect(bandsExplanation(b)).toMatch(/question encoding.*answer retrieval/);
  });
  it('skips missing depths and results without phases', () => {
    expect(phaseBands({})).toEqual([]);
    const b = phaseBands({ phases: { questionEncodingKnockout: null, answerRetrievalKnockout: 0, questionEncodingMrd: null, answerRetrievalMrd: null } });
    expect(b.map((x) => x.tag)).toEqual(['A·KO']);
    expect(bandsExplanation([])).toBe('');
  });
});
