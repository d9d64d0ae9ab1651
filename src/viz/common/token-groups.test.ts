import { describe, expect, it } from 'vitest';
import { validateResult } from '../../state/result-file';
import { attentionModel } from '../attention-heatmap/data';
import { colOfIndex } from '../layer-heatmap/data';
import { lensGridModel } from '../lens-grid/data';
import { relevanceModel } from '../relevance-heatmap/data';
import { fakeResult } from '../../../test/viz/fake-result';
import { largeResult } from '../../../test/viz/large-result';
import { tokenStripData } from '../token-strip/data';
import { aggregateRow, autoContextView, groupOf, MAX_GROUP_TOKENS, sentenceStarts, tokenGroups } from './token-groups';

const big = largeResult({ T: 600, L: 6, H: 2 });

describe('long contexts by sentence', () => {
  it('the generated large result is a valid result of the asked shape', () => {
    const r = largeResult({ T: 300, L: 5, H: 3 });
    const v = validateResult(JSON.parse(JSON.stringify(r)));
    expect(v.ok ? 'ok' : v.errors).toBe('ok');
    expect(r.prompt.tokens).toHaveLength(300);
    expect(r.lens.targetProb).toHaveLength(6);
    expect(r.attention.lastRowHeads[4]).toHaveLength(3);
  });

  it('auto: short prompts every token, long ones by sentence', () => {
    expect(autoContextView(fakeResult())).toBe('tokens');
    expect(autoContextView(big)).toBe('sentences');
  });

  it('splits text into sentences (Intl.Segmenter) in several scripts', () => {
    expect(sentenceStarts('Ana lives here. Tom lives there.', 'en')).toEqual([0, 16]);
    expect(sentenceStarts('安娜住在这里。汤姆住在那里。', 'zh')).toEqual([0, 7]);
  });

  it('groups cover every position once, in order; answer, question, template and the last position stay single', () => {
    const g = tokenGroups(big, 'sentences');
    const T = big.prompt.tokens.length;
    expect(g[0].first).toBe(0);
    for (let i = 1; i < g.length; i++) expect(g[i].first).toBe(g[i - 1].last + 1);
    expect(g.at(-1)!.last).toBe(T - 1);
    expect(g.length).toBeLessThan(T / 4);
    for (const x of g) {
      if (x.sentence === null) expect(x.last).toBe(x.first);
      else {
        expect(x.segment).toBe('context');
        expect(x.last - x.first + 1).toBeLessThanOrEqual(MAX_GROUP_TOKENS);
        for (let t = x.first; t <= x.last; t++) expect(big.prompt.tokens[t].segment).toBe('context');
      }
    }
    for (const seg of ['answer', 'question'] as const) {
      const n = big.prompt.tokens.filter((t) => t.segment === seg).length;
      expect(g.filter((x) => x.segment === seg).length).toBe(n);
    }
    expect(g.at(-1)!.sentence).toBeNull();
    expect(groupOf(g, T - 1)).toBe(g.length - 1);
    expect(groupOf(g, g[3].first + 1 <= g[3].last ? g[3].first + 1 : g[3].first)).toBe(3);
  });

  it('the heatmaps aggregate by group: lens max, attention and relevance sums', () => {
    const g = tokenGroups(big, 'sentences');
    const k = g.findIndex((x) => x.sentence !== null && x.last > x.first);
    const lens = lensGridModel(big, 'prob', undefined, g);
    const att = attentionModel(big, null, undefined, g);
    const rel = relevanceModel(big, undefined, g)!;
    expect(lens.cols).toHaveLength(g.length);
    const L = big.model.numLayers;
    const slice = (row: (number | null)[]) => row.slice(g[k].first, g[k].last + 1).map((v) => v ?? 0);
    expect(lens.values[L][k]).toBe(Math.max(...slice(big.lens.targetProb[L])));
    expect(att.values[2][k]).toBeCloseTo(slice(big.attention.lastRowMean[2]).reduce((a, b) => a + b, 0), 12);
    expect(rel.values[1][k]).toBeCloseTo(slice(big.relevance!.relevance[1]).reduce((a, b) => a + b, 0), 12);
    // every row of attention still sums to about 1
    expect(att.values[0].reduce((a, b) => a! + b!, 0)).toBeCloseTo(1, 2);
    // a token inside a group highlights the group's column; tooltips name the sentence
    expect(colOfIndex(lens, g[k].first + 1 <= g[k].last ? g[k].first + 1 : g[k].first)).toBe(k);
    expect(lens.tooltip(L, k)).toMatch(/sentence \d+/);
    expect(att.tooltip(0, k)).toContain('together');
    expect(aggregateRow([1, 2, 3, 4], [{ first: 0, last: 1 } as never, { first: 2, last: 3 } as never], 'min')).toEqual([1, 3]);
  });

  it('the token strip shows one chip per group and every answer and question token', () => {
    const g = tokenGroups(big, 'sentences');
    const d = tokenStripData(big, g);
    expect(d.tokens).toHaveLength(g.length);
    expect(d.tokens.filter((t) => t.group).length).toBe(g.filter((x) => x.sentence !== null).length);
    expect(d.tokens.at(-1)!.last).toBe(true);
    expect(d.summary).toContain('shown by sentence');
    // every token: unchanged
    expect(tokenStripData(big, tokenGroups(big, 'tokens')).tokens).toHaveLength(big.prompt.tokens.length);
  });
});
