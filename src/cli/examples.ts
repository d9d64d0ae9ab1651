// Examples for the command line: the built-in sets (src/data/catalog.ts) and XQuAD, read from
// the shipped files in public/data/xquad/ (one per language, read once when first needed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, findExample } from '../data/catalog';
import { isXquadExampleId, pairText, parseXquad, XquadSet } from '../data/xquad';
import type { MatrixExample } from '../engine/analyses/matrix';
import { UsageError } from './args';
import { REPO_ROOT } from './node-engine';

const XQUAD_DIR = join(REPO_ROOT, 'public/data/xquad');

const cache = new Map<string, XquadSet>();

/** a language's XQuAD file */
export function xquadSet(lang: string): XquadSet {
  let s = cache.get(lang);
  if (!s) {
    const file = join(XQUAD_DIR, `${lang}.json`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`The XQuAD file ${file} is missing (npm run data:xquad makes it from the source data).`);
    }
    s = new XquadSet(parseXquad(JSON.parse(text), lang));
    cache.set(lang, s);
  }
  return s;
}

/** one example for one language pair: context and answer in `cl`, question in `ql` */
export function exampleText(id: string, cl: string, ql: string): { context: string; question: string; answer: string; answerStart?: number } {
  if (isXquadExampleId(id)) {
    const t = pairText(xquadSet(cl), xquadSet(ql), id);
    if (!t) throw new UsageError(`--example: there is no XQuAD item "${id}"`);
    if (t.answerStart < 0) throw new Error(`XQuAD item ${id}: its answer "${t.answer}" does not occur in the ${cl} context (the data says so; see public/data/xquad/README.md)`);
    return t;
  }
  const ex = findExample(id);
  if (!ex) throw new UsageError(`--example: unknown example "${id}" (tiny set: ${CATALOG.filter((e) => e.set === 'tiny').slice(0, 3).map((e) => e.id).join(', ')}, …; parallel set: ${CATALOG.filter((e) => e.set === 'parallel').slice(0, 2).map((e) => e.id).join(', ')}, …; XQuAD: xquad-<question id>)`);
  const c = ex.langs[cl];
  const q = ex.langs[ql];
  if (!c || !q) throw new UsageError(`example ${id} has no ${!c ? cl : ql} version`);
  return { context: c.context, question: q.question, answer: c.answer };
}

/** XQuAD items as matrix examples for the given languages (context and question texts) */
export function xquadMatrixExamples(ids: string[], langs: string[]): MatrixExample[] {
  const sets = langs.map((l) => [l, xquadSet(l)] as const);
  return ids.map((id) => ({
    id,
    langs: Object.fromEntries(
      sets.flatMap(([l, s]) => {
        const it = s.get(id);
        // an item whose answer is not in this language's context has no version in it
        return it && it.answerStart >= 0 ? [[l, { context: it.context, question: it.question, answer: it.answer, answerStart: it.answerStart }]] : [];
      }),
    ),
  }));
}
