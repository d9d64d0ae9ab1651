// PageState -> what the engine needs: the model source and the analysis input. Pure, so the
// rules (default example, custom text checks, the answer span) are unit-tested.
import type { ModelSource } from '../engine/hub/source';
import type { ResultInput } from '../engine/result';
import { CATALOG, findExample, type CatalogItem } from '../data/catalog';
import type { ModelRef, PageState } from './page-state';
import { isolateName } from './text-safety';

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

/** invisible characters: format (zero-width, bidi marks and overrides, BOM), controls, whitespace */
const EDGE = /^[\s\p{Cf}\p{Cc}\u180E]+|[\s\p{Cf}\p{Cc}\u180E]+$/gu;
/** ignored inside texts when matching: format characters and controls other than tab and line breaks */
const isFormat = (c: string) => /^[\p{Cf}\u180E\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]$/u.test(c);

/** the answer without invisible characters around it */
export function answerCore(answer: string): string {
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

/** the analysis input for a page, or a message saying what is missing */
export function resolveInput(s: PageState): { input: ResultInput } | { problem: string } {
  if (s.custom) {
    const { context, question, answer } = s.custom;
    if (!context.trim()) return { problem: 'Write a context first.' };
    if (!question.trim()) return { problem: 'Write a question first.' };
    if (!answerCore(answer)) return { problem: 'Write the answer (a span of the context) first.' };
    const ctx = context.trim();
    const span = answerSpan(ctx, answer);
    if (!span) return { problem: `The answer ${isolateName(answerCore(answer))} does not occur in the context: it must be copied from the context verbatim.` };
    // the engine gets the answer exactly as the context has it, without invisible characters around it
    return { input: { contextLang: s.contextLang, questionLang: s.questionLang, exampleId: null, context, question, answer: ctx.slice(span[0], span[1]), template: s.template } };
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
