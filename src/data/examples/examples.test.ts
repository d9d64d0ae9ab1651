import { describe, it, expect } from 'vitest';
import { LANGUAGES, LANGUAGE_INFO, expectedScript, type LangCode } from '../languages';
import { EXAMPLES, answerStart, getExample, type ExampleText } from './index';
import raw from './xquad-style.json';

const LETTER = /\p{L}/u;
const LATIN_LANGS = LANGUAGES.filter((c) => LANGUAGE_INFO[c].script === 'Latn');
const NON_LATIN_LANGS = LANGUAGES.filter((c) => LANGUAGE_INFO[c].script !== 'Latn');

/** Overlapping occurrences of `needle` in `hay` (same semantics as `answerStart`). */
function occurrences(hay: string, needle: string): number {
  let n = 0;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) n++;
  return n;
}

function letters(text: string): string[] {
  return [...text].filter((ch) => LETTER.test(ch));
}

/** Share of letters (`\p{L}`) that belong to the language's script (1 if there are none, e.g. "1969"). */
function scriptShare(text: string, code: LangCode): number {
  const ls = letters(text);
  if (ls.length === 0) return 1;
  const re = expectedScript(code);
  return ls.filter((ch) => re.test(ch)).length / ls.length;
}

/**
 * Sentences in a context. Thai writes no sentence-final punctuation and separates sentences
 * with a space; Thai also (by convention) puts spaces around numerals, so only spaces that are
 * not next to a digit separate sentences. Other languages: count sentence-final punctuation
 * (full-width 。！？ anywhere, . ! ? ؟ ۔ । when followed by whitespace or the end). A German
 * ordinal ("am 14. Mai") is not a sentence end.
 */
function sentenceCount(context: string, code: LangCode): number {
  if (code === 'th') return thaiChunks(context).length;
  let n = 0;
  const re = /[。！？]|[.!?؟۔।](?=\s|$)/gu;
  for (let m = re.exec(context); m; m = re.exec(context)) {
    if (code === 'de' && m[0] === '.' && /(^|\s)\d{1,2}$/.test(context.slice(0, m.index))) continue;
    n++;
  }
  return n;
}

function thaiChunks(text: string): string[] {
  return text.split(/(?<!\d) +(?!\d)/u).filter((s) => s.length > 0);
}

function wordCount(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length;
}

const QUESTION_END: Record<LangCode, RegExp> = {
  ar: /؟$/u,
  de: /\?$/u,
  el: /;$/u, // Greek question mark; U+037E normalises (NFC) to U+003B
  en: /\?$/u,
  es: /\?$/u,
  hi: /\?$/u,
  ro: /\?$/u,
  ru: /\?$/u,
  th: /\?$/u,
  tr: /\?$/u,
  vi: /\?$/u,
  zh: /？$/u,
};

describe('examples: collection', () => {
  it('has at least 30 items', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(30);
  });

  it('has version 1', () => {
    expect(raw.version).toBe(1);
  });

  it('has unique kebab-case ids and a topic', () => {
    const ids = EXAMPLES.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of EXAMPLES) {
      expect(e.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(e.topic.trim().length).toBeGreaterThan(0);
    }
  });

  it('covers several topics', () => {
    expect(new Set(EXAMPLES.map((e) => e.topic)).size).toBeGreaterThanOrEqual(6);
  });

  it('getExample finds every item by id and returns undefined for unknown ids', () => {
    for (const e of EXAMPLES) expect(getExample(e.id)).toBe(e);
    expect(getExample('no-such-example')).toBeUndefined();
  });

  it('every item has exactly the 12 languages', () => {
    for (const e of EXAMPLES) {
      expect(Object.keys(e.langs).sort(), e.id).toEqual([...LANGUAGES].sort());
    }
  });

  it('answers are not all the same across items (per language)', () => {
    for (const code of LANGUAGES) {
      const answers = EXAMPLES.map((e) => e.langs[code].answer);
      expect(new Set(answers).size, code).toBeGreaterThanOrEqual(EXAMPLES.length - 2);
    }
  });
});

for (const example of EXAMPLES) {
  describe(`example ${example.id}`, () => {
    for (const code of LANGUAGES) {
      const t: ExampleText = example.langs[code];
      const label = `${example.id}/${code}`;

      describe(code, () => {
        it('has non-empty, trimmed, NFC-normalised fields', () => {
          for (const field of ['context', 'question', 'answer'] as const) {
            const s = t[field];
            expect(typeof s, `${label} ${field}`).toBe('string');
            expect(s.trim().length, `${label} ${field}`).toBeGreaterThan(0);
            expect(s, `${label} ${field}`).toBe(s.trim());
            expect(s, `${label} ${field} NFC`).toBe(s.normalize('NFC'));
            expect(s, `${label} ${field} double space`).not.toMatch(/ {2}|\n|\t/u);
          }
          expect(Object.keys(t).every((k) => ['context', 'question', 'answer', 'answerOccurrence'].includes(k)), label).toBe(true);
        });

        it('answer occurs verbatim in the context, once (or at the documented occurrence)', () => {
          const n = occurrences(t.context, t.answer);
          expect(n, `${label}: "${t.answer}" not in context`).toBeGreaterThanOrEqual(1);
          if (t.answerOccurrence === undefined) {
            expect(n, `${label}: "${t.answer}" occurs ${n} times`).toBe(1);
          } else {
            expect(Number.isInteger(t.answerOccurrence) && t.answerOccurrence >= 1 && t.answerOccurrence <= n, label).toBe(true);
            expect(n, `${label}: answerOccurrence set but answer is unique`).toBeGreaterThan(1);
          }
          const at = answerStart(t);
          expect(at, label).toBeGreaterThanOrEqual(0);
          expect(t.context.slice(at, at + t.answer.length)).toBe(t.answer);
        });

        it('answer is short and is not the whole context or given away by the question', () => {
          expect(t.answer.length, label).toBeLessThan(t.context.length / 3);
          expect(t.question.includes(t.answer), `${label}: question contains the answer`).toBe(false);
          if (LANGUAGE_INFO[code].spaces) {
            expect(wordCount(t.answer), `${label}: "${t.answer}"`).toBeLessThanOrEqual(4);
          } else {
            // Thai and Chinese: no word spaces; Thai vowels and tone marks are separate code points.
            expect([...t.answer].length, `${label}: "${t.answer}"`).toBeLessThanOrEqual(code === 'th' ? 20 : 10);
          }
          // The answer span starts and ends at a meaningful character, not punctuation/space.
          expect(t.answer, label).toMatch(/^[\p{L}\p{N}].*[\p{L}\p{N}\p{M}]$|^[\p{L}\p{N}]$/u);
        });

        it('context has 2–5 sentences', () => {
          const n = sentenceCount(t.context, code);
          expect(n, `${label}: ${n} sentences`).toBeGreaterThanOrEqual(2);
          expect(n, `${label}: ${n} sentences`).toBeLessThanOrEqual(5);
        });

        it('has as many sentences as the English version (parallel text)', () => {
          const en = sentenceCount(example.langs.en.context, 'en');
          const n = sentenceCount(t.context, code);
          if (code === 'th') {
            // Thai separates sentences with spaces, so an extra chunk means a space between
            // words (not allowed), a missing one means two sentences run together.
            expect(n, `${label}: ${n} space-separated chunks vs ${en} English sentences`).toBe(en);
          } else {
            expect(Math.abs(n - en), `${label}: ${n} sentences vs ${en} in English`).toBeLessThanOrEqual(1);
          }
        });

        it('question is a single question with the language\'s question mark', () => {
          expect(t.question, label).toMatch(QUESTION_END[code]);
          if (code === 'es') expect(t.question, label).toMatch(/^¿/u);
          if (code !== 'th') expect(sentenceCount(t.question, code), label).toBeLessThanOrEqual(1);
          else expect(thaiChunks(t.question).length, label).toBe(1);
        });

        it('is written in the expected script', () => {
          if (NON_LATIN_LANGS.includes(code)) {
            for (const field of ['context', 'question', 'answer'] as const) {
              expect(scriptShare(t[field], code), `${label} ${field}`).toBeGreaterThanOrEqual(0.8);
            }
          } else {
            for (const field of ['context', 'question', 'answer'] as const) {
              const foreign = letters(t[field]).filter((ch) => !/\p{Script=Latin}/u.test(ch));
              expect(foreign.join(''), `${label} ${field}: non-Latin letters`).toBe('');
            }
          }
        });

        if (code === 'ar') {
          it('Arabic has no Latin letters', () => {
            for (const field of ['context', 'question', 'answer'] as const) {
              expect(t[field], `${label} ${field}`).not.toMatch(/\p{Script=Latin}/u);
            }
          });
        }

        if (code === 'zh' || code === 'th') {
          it('has no ASCII spaces between words', () => {
            const script = code === 'zh' ? '\\p{Script=Han}' : '\\p{Script=Thai}';
            const between = new RegExp(`${script} +${script}`, 'u');
            if (code === 'zh') {
              for (const field of ['context', 'question', 'answer'] as const) {
                expect(t[field], `${label} ${field}`).not.toMatch(/ /u);
                expect(t[field], `${label} ${field}: ASCII punctuation`).not.toMatch(/[,.!?;:()]/u);
              }
            } else {
              // Thai: spaces between Thai letters only separate sentences, so every chunk is a
              // whole sentence (long), never a single word.
              expect(t.question, `${label} question`).not.toMatch(between);
              expect(t.answer, `${label} answer`).not.toMatch(between);
              for (const chunk of thaiChunks(t.context)) {
                expect([...chunk].length, `${label}: short chunk "${chunk}"`).toBeGreaterThanOrEqual(15);
              }
              // Thai ends sentences with a space, not with ? or ! (a period only occurs in
              // abbreviations such as "น." for o'clock).
              expect(t.context, `${label}: Western sentence punctuation`).not.toMatch(/[!?]/u);
            }
          });
        }

        if (code === 'ro') {
          it('Romanian uses comma-below ș/ț, never cedilla ş/ţ', () => {
            for (const field of ['context', 'question', 'answer'] as const) {
              expect(t[field], `${label} ${field}`).not.toMatch(/[\u015E\u015F\u0162\u0163]/u);
            }
          });
        }

        if (code === 'vi') {
          it('Vietnamese carries diacritics', () => {
            expect(t.context, label).toMatch(/[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/iu);
            expect(t.question, label).toMatch(/[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/iu);
          });
        }

        if (code === 'el') {
          it('Greek is accented (monotonic tonos)', () => {
            expect(t.context, label).toMatch(/[άέήίόύώΆΈΉΊΌΎΏΐΰ]/u);
            expect(t.question, label).toMatch(/[άέήίόύώΆΈΉΊΌΎΏΐΰ]/u);
          });
        }

        if (code === 'tr') {
          it('Turkish uses Turkish letters', () => {
            expect(t.context, label).toMatch(/[ıİşŞğĞçÇöÖüÜ]/u);
          });
        }

        if (code === 'hi') {
          it('Hindi ends sentences with the danda', () => {
            expect(t.context, label).toMatch(/।$/u);
            expect(t.context, label).not.toMatch(/\.(\s|$)/u);
          });
        }
      });
    }
  });
}

describe('languages', () => {
  it('lists 12 codes with consistent metadata', () => {
    expect(LANGUAGES).toHaveLength(12);
    for (const code of LANGUAGES) {
      const info = LANGUAGE_INFO[code];
      expect(info.code).toBe(code);
      expect(info.dir).toBe(code === 'ar' ? 'rtl' : 'ltr');
      expect(info.spaces).toBe(code !== 'th' && code !== 'zh');
      expect(scriptShare(info.nativeName, code)).toBe(1);
    }
    expect([...LATIN_LANGS].sort()).toEqual(['de', 'en', 'es', 'ro', 'tr', 'vi']);
  });
});
