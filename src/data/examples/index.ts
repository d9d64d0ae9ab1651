// Short XQuAD-style reading-comprehension items, each written in all 12 languages of
// `LANGUAGES`. In every language the answer is an exact substring of the context (a span),
// so the answer's position can be located in the tokenised prompt.
import { LANGUAGES, type LangCode } from '../languages';
import data from './xquad-style.json';

/** One item in one language. */
export interface ExampleText {
  /** 2–5 sentences. */
  context: string;
  question: string;
  /** Short span (1–4 words) that occurs verbatim in `context`. */
  answer: string;
  /**
   * Which occurrence of `answer` in `context` is the answer span (1-based). Only present when
   * the answer string occurs more than once; otherwise it occurs exactly once.
   */
  answerOccurrence?: number;
}

export interface Example {
  /** Unique kebab-case id. */
  id: string;
  topic: string;
  langs: Record<LangCode, ExampleText>;
}

export interface ExampleSet {
  version: number;
  items: Example[];
}

const set: ExampleSet = data;

export const EXAMPLES: readonly Example[] = set.items;

const byId = new Map(EXAMPLES.map((e) => [e.id, e]));

export function getExample(id: string): Example | undefined {
  return byId.get(id);
}

/**
 * Character offset (UTF-16 code units, as `String.prototype.indexOf`) of the answer span in the
 * context, honouring `answerOccurrence`. Returns -1 if the span cannot be found.
 */
export function answerStart(text: ExampleText): number {
  const n = text.answerOccurrence ?? 1;
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.context.indexOf(text.answer, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

