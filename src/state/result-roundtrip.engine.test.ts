// A fresh engine result of every kind goes out and comes back unchanged: an analysis with
// knockout and relevance, a pair matrix, and a compare (the same input on two models) are saved
// as a result file, imported through the validator, and shared in a permalink. The file must
// come back exactly (same JSON text, same value); the link must come back as the quantised
// original (docs/result-schema.md, "Results in links"). A field the engine writes that the
// schema, the validator or the link lost fails here.
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../engine/analyses/analyze';
import { pairMatrix } from '../engine/analyses/matrix';
import { loadModel, type LoadedModel } from '../engine/model';
import type { AnalysisResult, XlensResult } from '../engine/result';
import { CATALOG } from '../data/catalog';
import { defaultPageState } from './page-state';
import { decodePermalink, encodePermalink, quantiseResult } from './permalink';
import { parseResultJSON, resultToJSON } from './result-file';

ort.env.wasm.numThreads = 1;

const TINY = CATALOG.filter((e) => e.set === 'tiny');
const BASE = 'http://127.0.0.1:4173/';

/** export -> import -> permalink, with every comparison the round trip promises */
async function roundTrip(r: XlensResult): Promise<void> {
  // the engine's own object, as it would be saved (no undefined-valued keys)
  const original = JSON.parse(JSON.stringify(r)) as XlensResult;
  const file = resultToJSON(r);
  const imported = parseResultJSON(file);
  expect(imported.ok, imported.ok ? '' : imported.errors.join('\n')).toBe(true);
  if (!imported.ok) return;
  expect(imported.result).toStrictEqual(original);
  expect(resultToJSON(imported.result)).toBe(file);

  const link = await encodePermalink(defaultPageState(), { base: BASE, result: imported.result });
  expect(link.tooLarge, `the link is ${link.length} characters`).toBe(false);
  const decoded = await decodePermalink(link.url);
  expect(decoded.resultErrors).toEqual([]);
  const quantised = quantiseResult(original);
  // the engine keeps 6 digits, the link 4 where they show the same: the comparison below is not trivial
  if (r.kind === 'analysis') expect(JSON.stringify(quantised)).not.toBe(JSON.stringify(original));
  expect(decoded.result).toStrictEqual(quantised);
  expect(resultToJSON(decoded.result!)).toBe(resultToJSON(quantised));
  // and the link's result, saved again, is a valid file of the same value
  const again = parseResultJSON(resultToJSON(decoded.result!));
  expect(again.ok && again.result).toStrictEqual(quantised);
}

describe('a fresh result of every kind survives export, import and permalink', () => {
  const models: LoadedModel[] = [];
  afterAll(async () => {
    for (const m of models) await m.dispose();
  });
  const load = async (path: string) => {
    const m = await loadModel({ kind: 'dir', path }, { ort, backend: 'wasm' });
    models.push(m);
    return m;
  };
  const ex = TINY[0];
  const input = (cl: 'ar' | 'th', ql: 'zh' | 'en') => ({
    contextLang: cl,
    questionLang: ql,
    exampleId: ex.id,
    context: ex.langs[cl]!.context,
    question: ex.langs[ql]!.question,
    answer: ex.langs[cl]!.answer,
    template: 'plain' as const,
  });

  it('an analysis with knockout and relevance, and a compare of two models on the same input', async () => {
    const tiny = await load('public/models/xlens-tiny-instruct');
    const bias = await load('fixtures/models/qwen2-bias-bf16');
    const pair: AnalysisResult[] = [];
    for (const m of [tiny, bias]) {
      const r = await analyze(m, input('ar', 'zh'), { knockout: true, relevance: true, maxNewTokens: 4 });
      // every optional section is there, so the round trip covers it
      expect(r.knockout && r.relevance && r.phases && r.generation).toBeTruthy();
      pair.push(r);
    }
    expect(pair[0].model.id).not.toBe(pair[1].model.id);
    for (const r of pair) await roundTrip(r);
  });

  it('a pair matrix with phase depths', async () => {
    const tiny = models[0] ?? (await load('public/models/xlens-tiny-instruct'));
    const mx = await pairMatrix(tiny, TINY.slice(0, 2) as never, ['ar', 'en'], ['zh', 'en'], { depths: true, maxNewTokens: 2 });
    expect(mx.cells).toHaveLength(4);
    expect(mx.cells.some((c) => c.questionDepth.n > 0 || c.questionMrd.n > 0)).toBe(true);
    await roundTrip(mx);
  });
});
