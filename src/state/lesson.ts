// The guided lesson: six steps over built-in examples that the two bundled tiny models answer
// offline (xlens-tiny-base: pre-trained only; xlens-tiny-instruct: then post-trained on
// cross-lingual reading comprehension). Each step sets the page (a PageState patch) and says,
// in a few plain sentences, what to look at. The claims follow Gao et al. (EMNLP 2025): the
// question is encoded in the middle layers by an ability formed in pre-training; the answer is
// retrieved from the context by an ability formed in post-training, bottlenecked in the last
// layers.
//
// The tiny examples (tiny-examples.json) are regenerated with the models, so steps pick their
// example by kind (a city question, as ids are "tiny-NN" in kind order city, job, colour,
// year), and a cross-language pair the post-trained model answers (not in `wrong_pairs`).

import { CATALOG, type CatalogItem } from '../data/catalog';
import tiny from '../data/tiny-examples.json';
import { DEFAULT_COMPARE_MODEL, DEFAULT_MODEL, defaultPageState, parsePageState, type PageState } from './page-state';
import type { LangCode } from '../data/languages';

/** what the lesson shows beside its text: the views of that tab */
export type LessonView = 'explore' | 'compare' | 'matrix';

export interface LessonStep {
  id: string;
  title: string;
  /** 2-4 plain sentences; never HTML */
  body: string;
  /** the views shown beside the text */
  show: LessonView;
  /** what the step sets (nested objects are merged into the current state) */
  state: LessonPatch;
  /** what to do on this step, before and once its pair matrix has results */
  action?: { beforeMatrix: string; withMatrix: string };
}

export type LessonPatch = Partial<Omit<PageState, 'analyses' | 'view' | 'compare' | 'matrix'>> & {
  analyses?: Partial<PageState['analyses']>;
  view?: Partial<PageState['view']>;
  compare?: Partial<PageState['compare']>;
  matrix?: Partial<PageState['matrix']>;
};

type TinyItem = { id: string; kind?: string; wrong_pairs?: string[] };
const tinyItems: TinyItem[] = (Array.isArray(tiny) ? tiny : ((tiny as { items?: TinyItem[] }).items ?? [])) as TinyItem[];

/** the tiny models have 4 layers (tools/tiny-model/train.py ARCH); the lesson pins the last one */
export const TINY_LAYERS = 4;

/** cross-language pairs to show, in order of preference: different scripts, English question */
const CROSS_PAIRS: [LangCode, LangCode][] = [
  ['zh', 'en'],
  ['ar', 'en'],
  ['ru', 'en'],
  ['en', 'zh'],
  ['de', 'en'],
  ['es', 'en'],
];

/**
 * The tiny example the lesson shows. Its steps make claims about this item's numbers (which layer the
 * answer surfaces in, which knockout halves its probability), and src/state/lesson.claims.test.ts checks
 * every one of them on the shipped tiny models; when the models or examples are retrained, that test says
 * whether the claims still hold here. tiny-02 is the first city question whose question knockout is
 * visible in the post-trained model (in tiny-01 the answer is so certain that no single-layer cut moves it).
 */
const LESSON_EXAMPLE = 'tiny-02';

/** the lesson's example: LESSON_EXAMPLE, else a tiny city question, else any tiny one, else the first example */
export function lessonExample(catalog: CatalogItem[] = CATALOG, items: TinyItem[] = tinyItems, prefer: string | null = LESSON_EXAMPLE): { id: string | null; cross: [LangCode, LangCode] } {
  const tinyIds = catalog.filter((e) => e.set === 'tiny');
  const pick = tinyIds.find((e) => e.id === prefer) ?? tinyIds.find((e) => e.title.startsWith('city:')) ?? tinyIds[0] ?? catalog[0];
  const wrong = new Set(items.find((t) => t.id === pick?.id)?.wrong_pairs ?? []);
  const has = (l: string) => !pick || l in pick.langs;
  const cross = CROSS_PAIRS.find(([c, q]) => has(c) && has(q) && !wrong.has(`${c}-${q}`)) ?? CROSS_PAIRS[0];
  return { id: pick?.id ?? null, cross };
}

export function buildLesson(catalog: CatalogItem[] = CATALOG, items: TinyItem[] = tinyItems): LessonStep[] {
  const { id: example, cross } = lessonExample(catalog, items);
  const [cl, ql] = cross;
  // the backend stays the user's choice (and a test's)
  const common = { example, custom: null, template: 'plain' as const };
  const all = { knockout: true, relevance: true, window: null };
  const steps: LessonStep[] = [
    {
      id: 'same-language',
      title: 'Reading in one language',
      show: 'explore',
      body:
        'The post-trained tiny model reads a short English text and answers an English question about it. ' +
        'Each row of the logit-lens heatmap is a layer: it shows how likely the first answer token would be if the model stopped there. ' +
        'The answer becomes likely only in the last layers; the earlier layers are still working on the question.',
      state: { ...common, model: DEFAULT_MODEL, contextLang: 'en', questionLang: 'en', analyses: all, view: { lensMetric: 'prob', head: null, pinnedLayer: null, pinnedToken: null } },
    },
    {
      id: 'cross-language',
      title: 'Text in one language, question in another',
      show: 'explore',
      body:
        `Now the text is in ${LANG_NAMES[cl]} and the question in ${LANG_NAMES[ql]}: the model must match a question and a text that share no words. ` +
        'It still finds the answer, and the heatmap looks much like the same-language one: the question is turned into a representation that does not depend on its language. ' +
        'This cross-lingual retrieval is what the paper measures.',
      state: { ...common, model: DEFAULT_MODEL, contextLang: cl, questionLang: ql, analyses: all, view: { lensMetric: 'prob', head: null, pinnedLayer: null, pinnedToken: null } },
    },
    {
      id: 'base-vs-post-trained',
      title: 'Before and after post-training',
      show: 'compare',
      body:
        'Left: the base model, trained only to continue text. Right: the same model after post-training on reading-comprehension questions. ' +
        'The base model does not pull the answer out of the text at all: it goes on with words of its own, and the answer\'s probability stays near zero in every layer. ' +
        'The paper finds the same in real models: answering from a context in another language is largely learned in post-training.',
      state: { ...common, model: DEFAULT_MODEL, contextLang: cl, questionLang: ql, analyses: all, compare: { model: DEFAULT_COMPARE_MODEL, diff: false }, view: { lensMetric: 'prob', head: null, pinnedLayer: null, pinnedToken: null } },
    },
    {
      id: 'question-encoding',
      title: 'Where the question is encoded',
      show: 'explore',
      body:
        'Attention knockout cuts, in a few layers at a time, the last token\'s view of the question; the knockout heatmap shows how much the answer\'s probability drops. ' +
        'Cutting it in a middle layer takes the answer\'s probability to almost nothing, while cutting it in the last layer changes nothing: the question is read and encoded by the middle of the model (the marked band; relevance gives a second estimate, the Major Relevance Depth). ' +
        'The paper finds this question-encoding phase already in pre-trained models.',
      state: { ...common, model: DEFAULT_MODEL, contextLang: cl, questionLang: ql, analyses: all, view: { lensMetric: 'prob', head: null, pinnedLayer: null, pinnedToken: null } },
    },
    {
      id: 'answer-retrieval',
      title: 'Where the answer is retrieved',
      show: 'explore',
      body:
        'Blocking the answer span in the text matters only in the last layer: the answer is copied out of the context at the very end, the bottleneck the paper describes. ' +
        'In the attention view of the pinned last layer, the last token looks almost only at the answer span. ' +
        'This retrieval step is what post-training builds, which is why the base model struggles with it.',
      state: { ...common, model: DEFAULT_MODEL, contextLang: cl, questionLang: ql, analyses: all, view: { lensMetric: 'prob', head: null, pinnedLayer: TINY_LAYERS, pinnedToken: null } },
    },
    {
      id: 'all-pairs',
      title: 'Every language pair at once',
      show: 'matrix',
      body:
        'The pair matrix runs the model on the examples for every combination of text language and question language. ' +
        'The post-trained tiny model answers every pair, and the depths of the two phases are the same from pair to pair: the model uses one process for every language.',
      action: { beforeMatrix: 'Press “Run” below the language lists to fill the matrix (a few seconds on the tiny model).', withMatrix: 'Click a cell to open that pair in Explore.' },
      state: { ...common, model: DEFAULT_MODEL, contextLang: cl, questionLang: ql, analyses: all, matrix: { contextLangs: ['ar', 'en', 'zh'], questionLangs: ['ar', 'en', 'zh'], depths: true } },
    },
  ];
  return steps.map((s, i) => ({ ...s, state: { ...s.state, tab: 'lesson', lessonStep: i } }));
}

const LANG_NAMES: Record<string, string> = {
  ar: 'Arabic', de: 'German', el: 'Greek', en: 'English', es: 'Spanish', hi: 'Hindi',
  ro: 'Romanian', ru: 'Russian', th: 'Thai', tr: 'Turkish', vi: 'Vietnamese', zh: 'Chinese',
};

export const LESSON: LessonStep[] = buildLesson();

/** clamp any number (from a URL) to a valid step index */
export function clampStep(n: number, steps: readonly LessonStep[] = LESSON): number {
  return Number.isInteger(n) ? Math.min(Math.max(0, n), steps.length - 1) : 0;
}

/** the page for step `n`: the step's patch merged into `base`, validated */
export function lessonState(base: PageState, n: number, steps: readonly LessonStep[] = LESSON): PageState {
  const step = steps[clampStep(n, steps)];
  const p = step.state;
  const merged: PageState = {
    ...base,
    ...p,
    analyses: { ...base.analyses, ...p.analyses },
    view: { ...base.view, ...p.view },
    compare: { ...base.compare, ...p.compare },
    matrix: { ...base.matrix, ...p.matrix },
  } as PageState;
  const { state } = parsePageState(merged);
  return state;
}

/**
 * The page after the lesson: the one from before it (never the lesson tab, never a step), or,
 * when the lesson was opened from a link, the default page with the user's backend and weights.
 */
export function afterLesson(before: PageState | null, current: PageState): PageState {
  if (before) return { ...before, tab: before.tab === 'lesson' ? 'explore' : before.tab, lessonStep: 0 };
  return { ...defaultPageState(), backend: current.backend, weights: current.weights };
}

/** the page to start the lesson from (step 0 over the default page) */
export function lessonStart(): PageState {
  return lessonState(defaultPageState(), 0);
}
