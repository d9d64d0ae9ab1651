// The lesson's words against the numbers: every claim a step's text makes is checked here on the
// shipped tiny models, with the page each step sets up (its example, languages and analyses) run
// through the app's own input resolution and the engine, so the text and the views beside it can no
// longer drift apart. If a retrained model breaks a claim, this test names the step.

import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../engine/analyses/analyze';
import { pairMatrix } from '../engine/analyses/matrix';
import { loadModel, type LoadedModel } from '../engine/model';
import type { AnalysisResult, ResultInput } from '../engine/result';
import { resolveInput } from './input';
import { defaultPageState } from './page-state';
import { CATALOG } from '../data/catalog';
import { LESSON, lessonState, TINY_LAYERS } from './lesson';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const step = (id: string) => {
  const i = LESSON.findIndex((s) => s.id === id);
  expect(i, id).toBeGreaterThanOrEqual(0);
  return { step: LESSON[i], page: lessonState(defaultPageState(), i) };
};

function inputOf(id: string): ResultInput {
  const r = resolveInput(step(id).page);
  if (!('input' in r)) throw new Error(`lesson step ${id}: ${'problem' in r ? r.problem : 'needs data'}`);
  return r.input;
}

/** the analyses a step's page asks for */
const optionsOf = (id: string) => {
  const a = step(id).page.analyses;
  return { knockout: a.knockout ? (a.window ? { window: a.window } : true) : false, relevance: a.relevance } as const;
};

const lastColumn = (r: AnalysisResult) => r.lens.targetProb.map((row) => row[row.length - 1]!);
const meanMass = (r: AnalysisResult, seg: 'answer' | 'question' | 'context' | 'template', layer: number) => {
  const hs = r.attention.segmentMass[seg][layer - 1];
  return hs.reduce((a, b) => a + b, 0) / hs.length;
};

describe('the lesson, step by step, on the shipped tiny models', () => {
  let instruct: LoadedModel;
  let base: LoadedModel;
  const results = new Map<string, AnalysisResult>();
  const run = async (id: string, m: LoadedModel = instruct) => {
    const key = `${id}|${m.id}`;
    if (!results.has(key)) results.set(key, await analyze(m, inputOf(id), optionsOf(id)));
    return results.get(key)!;
  };

  beforeAll(async () => {
    instruct = await loadModel({ kind: 'dir', path: 'public/models/xlens-tiny-instruct' }, { ort, backend: 'wasm' });
    base = await loadModel({ kind: 'dir', path: 'public/models/xlens-tiny-base' }, { ort, backend: 'wasm' });
    expect(instruct.spec.numLayers).toBe(TINY_LAYERS);
  });

  it('1 "The answer becomes likely only in the last layers; the earlier layers are still working on the question."', async () => {
    expect(step('same-language').step.body).toMatch(/becomes likely only in the last layers/);
    const r = await run('same-language');
    const L = r.model.numLayers;
    expect(r.generation!.exactMatch).toBe(1);
    expect(r.summary.answerTopLayer).toBe(L);
    const p = lastColumn(r);
    for (let l = 0; l < L - 1; l++) expect(p[l], `layer ${l}`).toBeLessThan(0.5);
    expect(p[L]).toBeGreaterThan(0.5);
  });

  it('2 "It still finds the answer, and the heatmap looks much like the same-language one"', async () => {
    expect(step('cross-language').step.body).toMatch(/still finds the answer, and the heatmap looks much like the same-language one/);
    const same = await run('same-language');
    const cross = await run('cross-language');
    expect(cross.input.contextLang).not.toBe(cross.input.questionLang);
    expect(cross.generation!.exactMatch).toBe(1);
    expect(cross.summary.answerTopLayer).toBe(same.summary.answerTopLayer);
    // the last position's lens, layer by layer, within 0.05 of the same-language run
    const a = lastColumn(same);
    const b = lastColumn(cross);
    for (let l = 0; l < a.length; l++) expect(Math.abs(a[l] - b[l]), `layer ${l}`).toBeLessThan(0.05);
  });

  it('3 "The base model does not pull the answer out of the text at all … the answer\'s probability stays near zero in every layer"', async () => {
    const s = step('base-vs-post-trained');
    expect(s.step.body).toMatch(/does not pull the answer out of the text at all/);
    expect(s.page.compare.model).toEqual({ kind: 'bundled', name: 'xlens-tiny-base' });
    const post = await run('base-vs-post-trained');
    const pre = await run('base-vs-post-trained', base);
    expect(post.generation!.exactMatch).toBe(1);
    expect(pre.generation!.exactMatch).toBe(0);
    expect(Math.max(...lastColumn(pre))).toBeLessThan(0.01);
    expect(lastColumn(post).at(-1)).toBeGreaterThan(0.5);
  });

  it('4 "Cutting it in a middle layer takes the answer\'s probability to almost nothing, while cutting it in the last layer changes nothing"', async () => {
    expect(step('question-encoding').step.body).toMatch(/middle layer takes the answer's probability to almost nothing, while cutting it in the last layer changes nothing/);
    const r = await run('question-encoding');
    const L = r.model.numLayers;
    const q = r.knockout!.effect.question as number[];
    const worst = q.indexOf(Math.min(...q)) + 1; // the window's centre layer
    expect(worst).toBeGreaterThan(1);
    expect(worst).toBeLessThan(L);
    expect(q[worst - 1]).toBeLessThanOrEqual(-90);
    expect(Math.abs(q[L - 1])).toBeLessThan(10);
    expect(r.phases!.questionEncodingKnockout).toBe(worst);
  });

  it('5 "Blocking the answer span … matters only in the last layer … the last token looks almost only at the answer span"', async () => {
    const s = step('answer-retrieval');
    expect(s.step.body).toMatch(/matters only in the last layer/);
    expect(s.page.view.pinnedLayer).toBe(TINY_LAYERS);
    const r = await run('answer-retrieval');
    const L = r.model.numLayers;
    const a = r.knockout!.effect.answer as number[];
    expect(a[L - 1]).toBeLessThanOrEqual(-90);
    for (let i = 0; i < L - 1; i++) expect(a[i], `window at layer ${i + 1}`).toBeGreaterThan(-50);
    expect(r.phases!.answerRetrievalKnockout).toBe(L);
    expect(meanMass(r, 'answer', L)).toBeGreaterThan(0.9);
  });

  it('6 "The post-trained tiny model answers every pair, and the depths of the two phases are the same from pair to pair"', async () => {
    const s = step('all-pairs');
    expect(s.step.body).toMatch(/answers every pair, and the depths of the two phases are the same from pair to pair/);
    // what the Language pairs tab runs for this step: its languages, with depths, over the tab's default set and count
    const examples = CATALOG.filter((e) => e.set === 'tiny')
      .slice(0, 2)
      .map((e) => ({ id: e.id, langs: e.langs }));
    const m = await pairMatrix(instruct, examples, s.page.matrix.contextLangs, s.page.matrix.questionLangs, { depths: s.page.matrix.depths, template: s.page.template });
    expect(m.cells.length).toBe(s.page.matrix.contextLangs.length * s.page.matrix.questionLangs.length);
    for (const c of m.cells) {
      expect(c.exactMatch, `${c.contextLang}-${c.questionLang}`).toBe(1);
      expect(c.answerDepth.mean, `${c.contextLang}-${c.questionLang}`).toBe(TINY_LAYERS);
    }
    const q = new Set(m.cells.map((c) => c.questionDepth.mean).filter((v) => v !== null));
    expect(q.size).toBe(1);
  });
});
