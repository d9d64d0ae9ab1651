import { describe, expect, it } from 'vitest';
import { exactMatch, f1Score, normalizeAnswer } from './metrics';

describe('SQuAD-style metrics', () => {
  it('normalises case, punctuation and articles as the SQuAD script does', () => {
    expect(normalizeAnswer('The  Eiffel Tower!')).toBe('eiffel tower');
    expect(exactMatch('the eiffel tower', 'Eiffel Tower.')).toBe(1);
    expect(exactMatch('Paris', 'Lyon')).toBe(0);
  });

  it('token F1 follows the definition', () => {
    // prediction 3 tokens, gold 2, overlap 2: P = 2/3, R = 1, F1 = 0.8
    expect(f1Score('in Lisbon city', 'Lisbon city')).toBeCloseTo(0.8, 12);
    expect(f1Score('x', 'y')).toBe(0);
    expect(f1Score('', '')).toBe(1);
  });

  it('compares Chinese and Thai character by character', () => {
    // 里斯本 vs 里斯本市: P = 3/4... prediction 4 chars, gold 3, overlap 3 -> F1 = 2*(3/4)*1/(7/4) = 6/7
    expect(f1Score('里斯本市', '里斯本', 'zh')).toBeCloseTo(6 / 7, 12);
    expect(exactMatch('里斯本。', '里斯本', 'zh')).toBe(1);
    expect(f1Score('กรุงเทพ', 'กรุงเทพ', 'th')).toBe(1);
  });

  it('handles Arabic and Greek text without breaking it', () => {
    expect(exactMatch('لشبونة', 'لشبونة', 'ar')).toBe(1);
    expect(exactMatch('η Αθήνα', 'Αθήνα', 'el')).toBe(1);
  });
});
