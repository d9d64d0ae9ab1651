// PageState -> what the engine needs: the model source and the analysis input. Pure, so the
// rules (default example, custom text checks, the answer span) are unit-tested.
import type { ModelSource } from '../engine/hub/source';
import type { ResultInput } from '../engine/result';
import { CATALOG, findExample, type CatalogItem } from '../data/catalog';
import { LANGUAGE_INFO, type LangCode } from '../data/languages';
import { isXquadExampleId, pairText, type XquadSet } from '../data/xquad';
import type { CustomText, ModelRef, PageState } from './page-state';
import { isolateName } from './text-safety';
import { exampleInput } from '../engine/example-input';

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
function defaultExample(): CatalogItem | undefined {
  return CATALOG.find((e) => e.set === 'tiny') ?? CATALOG[0];
}

/** invisible characters: format (zero-width, bidi marks and overrides, BOM), controls, whitespace */
const EDGE = /^[\s\p{Cf}\p{Cc}\u180E]+|[\s\p{Cf}\p{Cc}\u180E]+$/gu;
/** ignored inside texts when matching: format characters and controls other than tab and line breaks */
const isFormat = (c: string) => /^[\p{Cf}\u180E\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]$/u.test(c);

/** the answer without invisible characters around it */
function answerCore(answer: string): string {
  return answer.replace(EDGE, '');
}

/**
 * Where the answer sits in the context, or null when it does not occur there. Invisible
 * characters around the answer (a zero-width space, a bidi mark or override, a BOM, NUL:
 * copied along with it, or typed before it) do not count, and neither do format characters
 * inside either text: "Lis\u200Bbon" finds "Lisbon", "\u202ELisbon" finds "Lisbon".
 */
export function answerSpan(context: string, answer: string): [number, number] | null {
  const a = answerCore(answer);
  if (!a) return null;
  const at = context.indexOf(a);
  if (at >= 0) return [at, at + a.length];
  // compare with format characters left out on both sides, then map back to the context
  const keep: number[] = [];
  let folded = '';
  for (let i = 0; i < context.length; i++) {
    if (isFormat(context[i])) continue;
    keep.push(i);
    folded += context[i];
  }
  const fa = [...a].filter((c) => !isFormat(c)).join('');
  if (!fa) return null;
  const j = folded.indexOf(fa);
  return j < 0 ? null : [keep[j], keep[j + fa.length - 1] + 1];
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
  if (!answerCore(c.answer)) return { field: 'answer', message: 'Write the answer: a span copied from the context.' };
  if (!answerSpan(c.context.trim(), c.answer)) return { field: 'answer', message: `“${isolateName(answerCore(c.answer))}” does not occur in the context: the answer must be copied from the context exactly.` };
  return null;
}

/**
 * The analysis input for a page, or a message saying what is missing, or (XQuAD items) the
 * languages whose data must be loaded first.
 */
export function resolveInput(s: PageState, xquad: XquadLookup = () => undefined): { input: ResultInput } | { problem: string; field?: CustomProblem['field'] } | { needs: LangCode[] } {
  if (!s.custom && isXquadExampleId(s.example)) {
    const needs = [...new Set([s.contextLang, s.questionLang])].filter((l) => !xquad(l));
    if (needs.length) return { needs };
    const t = pairText(xquad(s.contextLang)!, xquad(s.questionLang)!, s.example);
    if (!t) return { problem: `There is no XQuAD question "${s.example}" in the shipped data; choose one from the list.` };
    if (t.answerStart < 0) return { problem: `In the ${LANGUAGE_INFO[s.contextLang].name} XQuAD data the answer "${t.answer}" does not occur in the context of this question; choose another question or context language.` };
    return { input: exampleInput(s.example, s.contextLang, s.questionLang, t, s.template) };
  }
  if (s.custom) {
    const { context, question, answer } = s.custom;
    const p = customProblem(s.custom);
    if (p) return { problem: p.message, field: p.field };
    const ctx = context.trim();
    const span = answerSpan(ctx, answer)!;
    // the engine gets the answer exactly as the context has it, without invisible characters around it
    return { input: { contextLang: s.contextLang, questionLang: s.questionLang, exampleId: null, context, question, answer: ctx.slice(span[0], span[1]), template: s.template } };
  }
  const ex = s.example ? findExample(s.example) : defaultExample();
  if (!ex) return { problem: s.example ? `There is no example "${s.example}".` : 'No examples are available.' };
  const c = ex.langs[s.contextLang];
  const q = ex.langs[s.questionLang];
  if (!c || !q) return { problem: `Example "${ex.id}" has no ${!c ? s.contextLang : s.questionLang} version.` };
  return { input: exampleInput(ex.id, s.contextLang, s.questionLang, { context: c.context, question: q.question, answer: c.answer }, s.template) };
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
