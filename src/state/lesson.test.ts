import { describe, expect, it } from 'vitest';
import { defaultPageState, parsePageState } from './page-state';
import { decodePermalink, encodeStateLink } from './permalink';
import type { CatalogItem } from '../data/catalog';
import { afterLesson, buildLesson, clampStep, LESSON, lessonExample, lessonStart, lessonState, TINY_LAYERS } from './lesson';

const text = { context: 'c', question: 'q', answer: 'a' };
const langs = Object.fromEntries(['ar', 'de', 'el', 'en', 'es', 'hi', 'ro', 'ru', 'th', 'tr', 'vi', 'zh'].map((l) => [l, text]));
const fakeCatalog: CatalogItem[] = [
  { id: 'tiny-01', set: 'tiny', title: 'city: Where does Ana live?', langs },
  { id: 'tiny-02', set: 'tiny', title: 'job: What is Ana?', langs },
  { id: 'bakery-owner', set: 'parallel', title: 'Who?', langs },
];

describe('lesson', () => {
  it('has 5-6 steps covering the four topics, each 2-4 plain sentences', () => {
    expect(LESSON.length).toBeGreaterThanOrEqual(5);
    expect(LESSON.length).toBeLessThanOrEqual(6);
    expect(LESSON.map((s) => s.id)).toEqual(expect.arrayContaining(['same-language', 'cross-language', 'base-vs-post-trained', 'question-encoding', 'answer-retrieval']));
    expect(new Set(LESSON.map((s) => s.id)).size).toBe(LESSON.length);
    for (const s of LESSON) {
      const sentences = s.body.split(/(?<=[.!?])\s+/).filter(Boolean);
      expect(sentences.length, s.id).toBeGreaterThanOrEqual(2);
      expect(sentences.length, s.id).toBeLessThanOrEqual(4);
      expect(s.body).not.toMatch(/[<>]/);
      expect(s.title.length).toBeLessThan(60);
    }
    expect(LESSON.find((s) => s.id === 'base-vs-post-trained')!.show).toBe('compare');
  });

  it('every step gives a valid page on the bundled tiny models, in the lesson tab', () => {
    LESSON.forEach((_, i) => {
      const s = lessonState(defaultPageState(), i);
      expect(parsePageState(s).errors).toEqual([]);
      expect(s.tab).toBe('lesson');
      expect(s.lessonStep).toBe(i);
      expect(s.model).toEqual({ kind: 'bundled', name: 'xlens-tiny-instruct' });
      expect(s.custom).toBeNull();
    });
    expect(lessonState(defaultPageState(), 2).compare.model).toEqual({ kind: 'bundled', name: 'xlens-tiny-base' });
    expect(lessonState(defaultPageState(), 4).view.pinnedLayer).toBe(TINY_LAYERS);
    const cross = lessonState(defaultPageState(), 1);
    expect(cross.contextLang).not.toBe(cross.questionLang);
  });

  it('keeps the user\'s unrelated settings and clamps step numbers', () => {
    const base = defaultPageState();
    base.backend = 'wasm';
    base.view.segmentChart = 'lines';
    const s = lessonState(base, 0);
    expect(s.backend).toBe('wasm');
    expect(s.view.segmentChart).toBe('lines');
    expect(clampStep(99)).toBe(LESSON.length - 1);
    expect(clampStep(-3)).toBe(0);
    expect(clampStep(NaN)).toBe(0);
    expect(lessonStart().lessonStep).toBe(0);
  });

  it('has a working permalink per step', async () => {
    for (let i = 0; i < LESSON.length; i++) {
      const s = lessonState(defaultPageState(), i);
      const d = await decodePermalink(encodeStateLink(s, 'http://127.0.0.1:4173/'));
      expect(d.errors).toEqual([]);
      expect(d.state).toEqual(s);
    }
  });

  it('picks its named example, else a tiny city example, and a cross pair the model answers', () => {
    expect(lessonExample(fakeCatalog, [], null)).toEqual({ id: 'tiny-01', cross: ['zh', 'en'] });
    expect(lessonExample(fakeCatalog, [{ id: 'tiny-01', wrong_pairs: ['zh-en'] }], null).cross).toEqual(['ar', 'en']);
    expect(lessonExample(fakeCatalog.slice(1), [], null).id).toBe('tiny-02');
    expect(lessonExample(fakeCatalog.slice(2), [], null).id).toBe('bakery-owner');
    expect(lessonExample(fakeCatalog, [], 'tiny-02').id).toBe('tiny-02');
    expect(lessonExample(fakeCatalog, [], 'tiny-99').id).toBe('tiny-01');
    const steps = buildLesson(fakeCatalog, []);
    expect(steps.every((s) => s.state.example === 'tiny-02')).toBe(true);
    expect(steps[1].body).toMatch(/Chinese.*English/);
  });

  it('ends on the page from before it, or on the default page, never on a step', () => {
    const before = { ...defaultPageState(), contextLang: 'de' as const, questionLang: 'el' as const, backend: 'wasm' as const };
    const during = lessonState(before, 5);
    expect(during.lessonStep).toBe(5);
    expect(afterLesson(before, during)).toEqual(before);
    const fromLink = afterLesson(null, during);
    expect(fromLink).toEqual({ ...defaultPageState(), backend: 'wasm' });
    expect(afterLesson({ ...during, lessonStep: 2 }, during)).toMatchObject({ tab: 'explore', lessonStep: 0 });
  });
});
