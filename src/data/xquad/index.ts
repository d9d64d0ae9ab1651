// XQuAD items as xlens uses them: example ids (`xquad-<question id>`, the same in every
// language), a language's file as a lookup, the paper's two settings, and a reproducible
// sample of items. Loading a file is the caller's business (fetch in the app, fs in Node).
import { LANGUAGES, type LangCode } from '../languages';
import type { XquadFile } from './format';

export * from './format';

/** number of parallel questions per language (the data test checks it) */
export const XQUAD_QUESTIONS = 1190;
export const XQUAD_ARTICLES = 48;
export const XQUAD_PARAGRAPHS = 240;

const PREFIX = 'xquad-';

/** the example id of an XQuAD question: short, the same in every language, valid in a URL */
function xquadExampleId(questionId: string): string {
  return PREFIX + questionId;
}

export function isXquadExampleId(id: string | null | undefined): id is string {
  return typeof id === 'string' && /^xquad-[0-9a-f]{24}$/.test(id);
}

/** one question with everything a language's file says about it */
export interface XquadItem {
  /** example id (xquad-<question id>) */
  id: string;
  article: number;
  title: string;
  paragraph: number;
  context: string;
  question: string;
  answer: string;
  answerStart: number;
}

/** a language's file, indexed */
export class XquadSet {
  readonly items: XquadItem[] = [];
  private readonly byId = new Map<string, XquadItem>();

  constructor(readonly file: XquadFile) {
    file.articles.forEach((a, ai) =>
      a.paragraphs.forEach((p, pi) =>
        p.qas.forEach((q) => {
          const item: XquadItem = { id: xquadExampleId(q.id), article: ai, title: a.title, paragraph: pi, context: p.context, question: q.question, answer: q.answer, answerStart: q.answerStart };
          this.items.push(item);
          this.byId.set(item.id, item);
        }),
      ),
    );
  }

  get lang(): string {
    return this.file.lang;
  }

  get(exampleId: string): XquadItem | undefined {
    return this.byId.get(exampleId);
  }

  get ids(): string[] {
    return this.items.map((i) => i.id);
  }
}

/** the article title as a reader would write it ("Super_Bowl_50" -> "Super Bowl 50") */
export function articleLabel(title: string): string {
  return title.replace(/_/g, ' ');
}

/** what an analysis needs from a (context language, question language) pair of one item */
export interface XquadPairText {
  context: string;
  question: string;
  answer: string;
  answerStart: number;
}

/** an item with its context and answer from one language and its question from another */
export function pairText(contextSet: XquadSet, questionSet: XquadSet, exampleId: string): XquadPairText | undefined {
  const c = contextSet.get(exampleId);
  const q = questionSet.get(exampleId);
  if (!c || !q) return undefined;
  return { context: c.context, question: q.question, answer: c.answer, answerStart: c.answerStart };
}

/** the paper's settings: en-x (English context, question in x) and x-x (both in x) */
export type XquadSetting = 'en-x' | 'x-x';
export const XQUAD_SETTINGS: readonly XquadSetting[] = ['en-x', 'x-x'];

/** the (context language, question language) pair of a setting for language x */
export function settingPair(setting: XquadSetting, x: LangCode): [LangCode, LangCode] {
  return setting === 'en-x' ? ['en', x] : [x, x];
}

/** mulberry32: a small seeded generator, the same sequence on every platform (the tests' generators use it too) */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * n ids chosen reproducibly: a seeded Fisher-Yates shuffle of `ids`, cut to n. The same
 * seed gives the same items in the browser and in Node; n >= ids.length gives all of them
 * (shuffled). Items keep the same order for every n, so a larger sample extends a smaller one.
 */
export function sampleIds(ids: readonly string[], n: number, seed = 0): string[] {
  const a = [...ids];
  const rnd = mulberry32(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, Math.max(0, n));
}

/** plain-text credit line for the data (the full text is in public/data/xquad/README.md) */
export const XQUAD_CREDIT =
  'XQuAD: Artetxe, Ruder and Yogatama, "On the Cross-lingual Transferability of Monolingual Representations", ACL 2020 (github.com/google-deepmind/xquad); Romanian from Dumitrescu et al., LiRo. Licensed CC BY-SA 4.0; xlens ships it trimmed and re-encoded, one file per language.';
