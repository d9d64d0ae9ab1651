// The shipped XQuAD files (public/data/xquad/): parallel in all 12 languages, every answer
// offset pointing at its answer text, licence and attribution beside them. Items where the
// data disagrees with itself are listed (and the test says how each is handled).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../languages';
import { deriveXquad, parseXquad, sampleIds, serialiseXquad, XQUAD_ARTICLES, XQUAD_PARAGRAPHS, XQUAD_QUESTIONS, XquadSet, type SquadJson } from '.';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DIR = join(ROOT, 'public/data/xquad');
/** the raw SQuAD JSON the files are made from; not in CI or a fresh clone */
const SOURCE = process.env.XQUAD_SOURCE ?? '/work/shared/data/xquad';

const sets = Object.fromEntries(LANGUAGES.map((l) => [l, new XquadSet(parseXquad(JSON.parse(readFileSync(join(DIR, `${l}.json`), 'utf8')), l))]));

describe('the shipped XQuAD data', () => {
  it('has 48 articles, 240 paragraphs and 1,190 questions in each of the 12 languages', () => {
    for (const l of LANGUAGES) {
      const f = sets[l].file;
      expect(f.articles.length, l).toBe(XQUAD_ARTICLES);
      expect(f.articles.reduce((n, a) => n + a.paragraphs.length, 0), l).toBe(XQUAD_PARAGRAPHS);
      expect(sets[l].items.length, l).toBe(XQUAD_QUESTIONS);
    }
  });

  it('is parallel: the same ids, articles and paragraphs in every language', () => {
    const en = sets.en;
    const ids = en.ids;
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of LANGUAGES) {
      const s = sets[l];
      expect(s.ids, l).toEqual(ids);
      expect(s.items.map((i) => `${i.article}/${i.paragraph}`), l).toEqual(en.items.map((i) => `${i.article}/${i.paragraph}`));
      expect(s.file.articles.map((a) => a.title), l).toEqual(en.file.articles.map((a) => a.title));
    }
  });

  it('every answer offset points at its answer text; disagreements are listed and handled', () => {
    const report: string[] = [];
    for (const l of LANGUAGES) {
      const s = sets[l];
      const corrected = new Map(s.file.corrections.map((c) => [c.id, c]));
      let earlier = 0;
      for (const it of s.items) {
        expect(it.answer.length, `${l} ${it.id}`).toBeGreaterThan(0);
        expect(it.context).toBe(it.context.trim());
        const c = corrected.get(it.id.slice('xquad-'.length));
        if (it.answerStart < 0) {
          // the answer text is nowhere in the context: kept, and the app and the CLI say so
          expect(c, `${l} ${it.id} has no answer offset but is not listed`).toBeDefined();
          report.push(`${l} ${it.id}: the answer "${it.answer}" does not occur in the context (kept; shown and counted as such)`);
          continue;
        }
        expect(it.context.slice(it.answerStart, it.answerStart + it.answer.length), `${l} ${it.id}`).toBe(it.answer);
        if (c) report.push(`${l} ${it.id}: answer_start ${c.from} did not point at "${it.answer}"; the nearest occurrence ${c.to} is used`);
        // the answer text also occurs before its span: the prompt is given the offset, not the first occurrence
        if (it.context.indexOf(it.answer) !== it.answerStart) earlier++;
      }
      report.push(`${l}: ${s.file.corrections.length} corrected offsets; ${earlier} answers whose text also occurs earlier in the context (marked at answer_start)`);
    }
    console.info(`XQuAD data check:\n${report.join('\n')}`);
    // the 2020 release agrees with itself: nothing to correct (this guards the files, not the code)
    expect(LANGUAGES.reduce((n, l) => n + sets[l].file.corrections.length, 0)).toBe(0);
  });

  it('ships its licence and attribution', () => {
    expect(readFileSync(join(DIR, 'LICENSE-CC-BY-SA-4.0.txt'), 'utf8')).toContain('Attribution-ShareAlike 4.0');
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    expect(readme).toContain('CC BY-SA 4.0');
    expect(readme).toContain('Artetxe');
    expect(readme).toContain('google-deepmind/xquad');
  });

  it.skipIf(!existsSync(join(SOURCE, 'xquad.en.json')))('equals what tools/xquad/build.ts makes from the source files', () => {
    for (const l of LANGUAGES) {
      const raw = JSON.parse(readFileSync(join(SOURCE, `xquad.${l}.json`), 'utf8')) as SquadJson;
      expect(readFileSync(join(DIR, `${l}.json`), 'utf8'), l).toBe(serialiseXquad(deriveXquad(raw, l)));
    }
  });
});

describe('deriving the files', () => {
  const squad = (context: string, qas: [string, string, number][]): SquadJson => ({
    data: [{ title: 'T', paragraphs: [{ context, qas: qas.map(([id, text, start], i) => ({ id: id.padEnd(24, String(i)), question: ` q${i}? `, answers: [{ text, answer_start: start }] })) }] }],
  });

  it('trims the context and moves the offsets with it', () => {
    const f = deriveXquad(squad('  Ana lives in Lisbon. ', [['a', 'Lisbon', 15]]), 'en');
    const p = f.articles[0].paragraphs[0];
    expect(p.context).toBe('Ana lives in Lisbon.');
    expect(p.qas[0]).toMatchObject({ question: 'q0?', answer: 'Lisbon', answerStart: 13 });
    expect(f.corrections).toEqual([]);
  });

  it('corrects an offset that misses its text to the nearest occurrence, and lists it', () => {
    // "Lisbon" at 0 and 20; the source says 18
    const f = deriveXquad(squad('Lisbon is far from Lisbon.', [['b', 'Lisbon', 18]]), 'en');
    expect(f.articles[0].paragraphs[0].qas[0].answerStart).toBe(19);
    expect(f.corrections).toEqual([{ id: 'b'.padEnd(24, '0'), from: 18, to: 19 }]);
  });

  it('keeps an item whose answer is not in the context, with offset -1, and lists it', () => {
    const f = deriveXquad(squad('Ana lives in Lisbon.', [['c', 'Porto', 3]]), 'en');
    expect(f.articles[0].paragraphs[0].qas).toHaveLength(1);
    expect(f.articles[0].paragraphs[0].qas[0].answerStart).toBe(-1);
    expect(f.corrections).toEqual([{ id: 'c'.padEnd(24, '0'), from: 3, to: -1 }]);
  });

  it('round-trips through the file text and the checked parser', () => {
    const f = deriveXquad(squad('Ana lives in Lisbon.', [['d'.repeat(24), 'Lisbon', 13]]), 'en');
    expect(parseXquad(JSON.parse(serialiseXquad(f)), 'en')).toEqual(f);
    expect(() => parseXquad(JSON.parse(serialiseXquad(f)), 'de')).toThrow(/language "en"/);
    expect(() => parseXquad({ ...f, articles: [{ title: 'x', paragraphs: [{ context: 'a', qas: [['zz', 'q', 'a', 0]] }] }] }, 'en')).toThrow(/damaged/);
  });
});

describe('sampling items', () => {
  it('is reproducible, seed-dependent, and a larger sample extends a smaller one', () => {
    const ids = sets.en.ids;
    const a = sampleIds(ids, 20, 0);
    expect(a).toHaveLength(20);
    expect(new Set(a).size).toBe(20);
    expect(sampleIds(ids, 20, 0)).toEqual(a);
    expect(sampleIds(ids, 20, 1)).not.toEqual(a);
    expect(sampleIds(ids, 50, 0).slice(0, 20)).toEqual(a);
    expect(sampleIds(ids, 5000, 0).sort()).toEqual([...ids].sort());
  });
});
