// PageState -> what the engine needs: the model source and the analysis input. Pure, so the
// rules (default example, custom text checks, the answer span) are unit-tested.
import type { ModelSource } from '../engine/hub/source';
import type { ResultInput } from '../engine/result';
import { CATALOG, findExample, type CatalogItem } from '../data/catalog';
import { LANGUAGE_INFO, type LangCode } from '../data/languages';
import { isXquadExampleId, pairText, type XquadSet } from '../data/xquad';
import type { ModelRef, PageState } from './page-state';

/** the XQuAD files loaded so far, by language */
export type XquadLookup = (lang: LangCode) => XquadSet | undefined;

export function modelSource(m: ModelRef, hubBase: string, origin: string, base = '/'): ModelSource {
  if (m.kind === 'bundled') return { kind: 'url', url: new URL(`${base}models/${m.name}`, origin).href };
  return { kind: 'hub', repo: m.repo, ...(m.revision ? { revision: m.revision } : {}), baseUrl: m.hub ?? hubBase };
}

export function modelLabel(m: ModelRef | null): string {
  if (!m) return 'none';
  return m.kind === 'bundled' ? m.name : m.revision ? `${m.repo}@${m.revision}` : m.repo;
}

/** the example shown when the page names none: the first of the tiny set (what the tiny models answer) */
export function defaultExample(): CatalogItem | undefined {
  return CATALOG.find((e) => e.set === 'tiny') ?? CATALOG[0];
}

/** where the answer sits in the context, or null when it does not occur verbatim */
export function answerSpan(context: string, answer: string): [number, number] | null {
  const a = answer.trim();
  if (!a) return null;
  const at = context.indexOf(a);
  return at < 0 ? null : [at, at + a.length];
}

/**
 * The analysis input for a page, or a message saying what is missing, or (XQuAD items) the
 * languages whose data must be loaded first.
 */
export function resolveInput(s: PageState, xquad: XquadLookup = () => undefined): { input: ResultInput } | { problem: string } | { needs: LangCode[] } {
  if (!s.custom && isXquadExampleId(s.example)) {
    const needs = [...new Set([s.contextLang, s.questionLang])].filter((l) => !xquad(l));
    if (needs.length) return { needs };
    const t = pairText(xquad(s.contextLang)!, xquad(s.questionLang)!, s.example);
    if (!t) return { problem: `There is no XQuAD question "${s.example}" in the shipped data; choose one from the list.` };
    if (t.answerStart < 0) return { problem: `In the ${LANGUAGE_INFO[s.contextLang].name} XQuAD data the answer "${t.answer}" does not occur in the context of this question; choose another question or context language.` };
    return {
      input: { contextLang: s.contextLang, questionLang: s.questionLang, exampleId: s.example, context: t.context, question: t.question, answer: t.answer, answerStart: t.answerStart, template: s.template },
    };
  }
  if (s.custom) {
    const { context, question, answer } = s.custom;
    if (!context.trim()) return { problem: 'Write a context first.' };
    if (!question.trim()) return { problem: 'Write a question first.' };
    if (!answer.trim()) return { problem: 'Write the answer (a span of the context) first.' };
    if (!answerSpan(context.trim(), answer)) return { problem: `The answer "${answer.trim()}" does not occur in the context: it must be copied from the context verbatim.` };
    return { input: { contextLang: s.contextLang, questionLang: s.questionLang, exampleId: null, context, question, answer, template: s.template } };
  }
  const ex = s.example ? findExample(s.example) : defaultExample();
  if (!ex) return { problem: s.example ? `There is no example "${s.example}".` : 'No examples are available.' };
  const c = ex.langs[s.contextLang];
  const q = ex.langs[s.questionLang];
  if (!c || !q) return { problem: `Example "${ex.id}" has no ${!c ? s.contextLang : s.questionLang} version.` };
  return {
    input: { contextLang: s.contextLang, questionLang: s.questionLang, exampleId: ex.id, context: c.context, question: q.question, answer: c.answer, template: s.template },
  };
}
