import { describe, expect, it } from 'vitest';
import { answerTokens, exactMatch, f1Score, normalizeAnswer } from './metrics';

// Every expected value below is worked out by hand from the SQuAD v1.1 / MLQA definition
// (tokens after normalisation; F1 = 2PR / (P + R) over the multiset overlap).

describe('SQuAD v1.1 normalisation: English', () => {
  it('lowercases, deletes punctuation (not replaces it) and drops a / an / the', () => {
    expect(normalizeAnswer('The  Eiffel Tower!')).toBe('eiffel tower');
    // the official script deletes punctuation: "U.S." becomes "us", not "u s"
    expect(normalizeAnswer('U.S. Army')).toBe('us army');
    expect(exactMatch('US army', 'U.S. Army')).toBe(1);
    expect(exactMatch('the eiffel tower', 'Eiffel Tower.')).toBe(1);
    expect(exactMatch('Paris', 'Lyon')).toBe(0);
    // ASCII symbols are in string.punctuation; "an" inside a word is not an article
    expect(normalizeAnswer('$1.5 billion + an annual fee')).toBe('15 billion annual fee');
    expect(normalizeAnswer('Theatre and anthem')).toBe('theatre and anthem');
  });

  it('token F1 follows the definition', () => {
    // prediction [carolina, panthers, defense], gold [panthers]: P = 1/3, R = 1, F1 = 0.5
    expect(f1Score('the Carolina Panthers defense', 'Panthers')).toBeCloseTo(0.5, 12);
    // prediction 3 tokens, gold 2, overlap 2: P = 2/3, R = 1, F1 = 0.8
    expect(f1Score('in Lisbon city', 'Lisbon city')).toBeCloseTo(0.8, 12);
    // [denver, denver] vs [denver]: overlap 1 (counted once), P = 1/2, R = 1, F1 = 2/3
    expect(f1Score('Denver Denver', 'Denver')).toBeCloseTo(2 / 3, 12);
    expect(f1Score('x', 'y')).toBe(0);
    expect(f1Score('', '')).toBe(1);
    expect(f1Score('', 'Denver')).toBe(0);
  });
});

describe('Chinese: MLQA mixed segmentation', () => {
  it('every Han character is a token; Latin and digit runs stay words', () => {
    expect(answerTokens('第50届超级碗', 'zh')).toEqual(['第', '50', '届', '超', '级', '碗']);
    expect(answerTokens('NFL 冠军赛', 'zh')).toEqual(['nfl', '冠', '军', '赛']);
  });

  it('EM and F1 by hand', () => {
    expect(exactMatch('第50届超级碗。', '第50届超级碗', 'zh')).toBe(1); // 。 is punctuation
    expect(exactMatch('里斯本。', '里斯本', 'zh')).toBe(1);
    // 丹佛野马队 (5) vs 野马队 (3): overlap 3, P = 3/5, R = 1, F1 = 0.75
    expect(f1Score('丹佛野马队', '野马队', 'zh')).toBeCloseTo(0.75, 12);
    // 里斯本市 (4) vs 里斯本 (3): P = 3/4, R = 1, F1 = 6/7
    expect(f1Score('里斯本市', '里斯本', 'zh')).toBeCloseTo(6 / 7, 12);
    // [nfl, 冠, 军, 赛] vs [冠, 军]: P = 1/2, R = 1, F1 = 2/3
    expect(f1Score('NFL 冠军赛', '冠军', 'zh')).toBeCloseTo(2 / 3, 12);
  });
});

describe('Thai: per character, like Chinese', () => {
  it('every Thai character (marks included) is a token', () => {
    expect(answerTokens('กรุงเทพ', 'th')).toEqual(['ก', 'ร', 'ุ', 'ง', 'เ', 'ท', 'พ']);
  });

  it('EM and F1 by hand', () => {
    expect(f1Score('กรุงเทพ', 'กรุงเทพ', 'th')).toBe(1);
    // กรุงเทพ (7 characters) vs กรุงเทพมหานคร (13): all 7 overlap, P = 1, R = 7/13, F1 = 0.7
    expect(f1Score('กรุงเทพ', 'กรุงเทพมหานคร', 'th')).toBeCloseTo(0.7, 12);
    // a space between Thai words does not matter; the digits "50" stay one token
    expect(exactMatch('ซูเปอร์โบวล์ 50', 'ซูเปอร์โบวล์50', 'th')).toBe(1);
    expect(exactMatch('ปารีส', 'ลียง', 'th')).toBe(0);
  });
});

describe('Arabic: the article ال at the start of a word, Arabic punctuation', () => {
  it('EM and F1 by hand', () => {
    expect(exactMatch('القاهرة', 'قاهرة', 'ar')).toBe(1);
    expect(exactMatch('القاهرة،', 'القاهرة', 'ar')).toBe(1); // ، (U+060C) is punctuation
    expect(exactMatch('لشبونة', 'لشبونة', 'ar')).toBe(1);
    // [مدينة, قاهرة] vs [قاهرة]: P = 1/2, R = 1, F1 = 2/3
    expect(f1Score('مدينة القاهرة', 'القاهرة', 'ar')).toBeCloseTo(2 / 3, 12);
    // ال inside a word is not an article (MLQA's regex would delete it there too)
    expect(normalizeAnswer('جمال', 'ar')).toBe('جمال');
    expect(exactMatch('جمال', 'جم', 'ar')).toBe(0);
  });
});

describe('Hindi: whitespace tokens, the danda is punctuation, no articles', () => {
  it('EM and F1 by hand', () => {
    expect(exactMatch('नई दिल्ली।', 'नई दिल्ली', 'hi')).toBe(1);
    // [भारत, की, राजधानी] vs [राजधानी]: P = 1/3, R = 1, F1 = 0.5
    expect(f1Score('भारत की राजधानी', 'राजधानी', 'hi')).toBeCloseTo(0.5, 12);
    // vowel signs are letters' marks, not punctuation: दिल्ली and दिल्ल differ
    expect(exactMatch('दिल्ली', 'दिल्ल', 'hi')).toBe(0);
    // [नई, दिल्ली] vs [दिल्ली, शहर]: overlap 1, P = R = 1/2, F1 = 1/2
    expect(f1Score('नई दिल्ली', 'दिल्ली शहर', 'hi')).toBeCloseTo(0.5, 12);
  });
});

describe('other languages', () => {
  it('keeps Greek, Spanish and German articles out of the comparison', () => {
    expect(exactMatch('η Αθήνα', 'Αθήνα', 'el')).toBe(1);
    expect(exactMatch('los Broncos de Denver', 'Broncos de Denver', 'es')).toBe(1);
    expect(exactMatch('die Denver Broncos', 'Denver Broncos', 'de')).toBe(1);
    // English articles are not removed from German ("the" is no German article)
    expect(exactMatch('the Broncos', 'Broncos', 'de')).toBe(0);
  });
});
