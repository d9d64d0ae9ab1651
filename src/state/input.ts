// PageState -> what the engine needs: the model source and the analysis input. Pure, so the
// rules (default example, custom text checks, the answer span) are unit-tested.
import type { ModelSource } from '../engine/hub/source';
import type { ResultInput } from '../engine/result';
import { CATALOG, findExample, type CatalogItem } from '../data/catalog';
import type { CustomText, ModelRef, PageState } from './page-state';

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

export interface CustomProblem {
  /** the field the editor shows the message under */
  field: 'context' | 'question' | 'answer';
  message: string;
}

/** what keeps custom text from being analysed (one message, shown once, under its field), or null */
export function customProblem(c: CustomText): CustomProblem | null {
  if (!c.context.trim()) return { field: 'context', message: 'Write a context first.' };
  if (!c.question.trim()) return { field: 'question', message: 'Write a question first.' };
  if (!c.answer.trim()) return { field: 'answer', message: 'Write the answer: a span copied from the context.' };
  if (!answerSpan(c.context.trim(), c.answer)) return { field: 'answer', message: `"${c.answer.trim()}" does not occur in the context: the answer must be copied from the context exactly.` };
  return null;
}

/** the analysis input for a page, or a message saying what is missing */
export function resolveInput(s: PageState): { input: ResultInput } | { problem: string; field?: CustomProblem['field'] } {
  if (s.custom) {
    const { context, question, answer } = s.custom;
    const p = customProblem(s.custom);
    if (p) return { problem: p.message, field: p.field };
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

/**
 * New context / question languages for a page with custom text: text that is still a built-in
 * example's (the editor starts from the example shown) follows the language, as the example
 * would; text the user wrote or edited stays as it is.
 */
export function withLanguages(s: PageState, contextLang: PageState['contextLang'], questionLang: PageState['questionLang']): PageState {
  const c = s.custom;
  if (!c) return { ...s, contextLang, questionLang };
  const ctx = CATALOG.find((e) => e.langs[s.contextLang]?.context === c.context && e.langs[s.contextLang]?.answer === c.answer)?.langs[contextLang];
  const q = CATALOG.find((e) => e.langs[s.questionLang]?.question === c.question)?.langs[questionLang];
  const custom: CustomText = {
    context: ctx ? ctx.context : c.context,
    answer: ctx ? ctx.answer : c.answer,
    question: q ? q.question : c.question,
  };
  return { ...s, contextLang, questionLang, custom };
}
