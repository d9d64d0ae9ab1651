// Real engine output passes the validator: every invariant it checks is one the engine keeps
// (the bundled tiny models and a fixture with q/k/v biases, with knockout and relevance).
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../engine/analyses/analyze';
import { pairMatrix } from '../engine/analyses/matrix';
import { loadModel, type LoadedModel } from '../engine/model';
import { CATALOG } from '../data/catalog';
import { renderEveryView, renderMatrix } from '../../test/viz/render-all';
import { validateResult } from './result-file';

ort.env.wasm.numThreads = 1;

const TINY_EXAMPLES = CATALOG.filter((e) => e.set === 'tiny');

describe('engine results are valid results', () => {
  const models: LoadedModel[] = [];
  afterAll(async () => {
    for (const m of models) await m.dispose();
  });

  it('analyses of the tiny models in several language pairs, and a pair matrix', async () => {
    for (const path of ['public/models/xlens-tiny-instruct', 'fixtures/models/qwen2-bias-bf16']) {
      const m = await loadModel({ kind: 'dir', path }, { ort, backend: 'wasm' });
      models.push(m);
      const ex = TINY_EXAMPLES[0];
      for (const [cl, ql] of [['ar', 'zh'], ['th', 'en']] as const) {
        const c = ex.langs[cl]!;
        const q = ex.langs[ql]!;
        const r = await analyze(m, { contextLang: cl, questionLang: ql, exampleId: ex.id, context: c.context, question: q.question, answer: c.answer, template: 'plain' }, { knockout: true, relevance: true, maxNewTokens: 4 });
        const check = validateResult(JSON.parse(JSON.stringify(r)));
        expect(check.ok, check.ok ? '' : check.errors.join('\n')).toBe(true);
        if (check.ok && check.result.kind === 'analysis') expect(renderEveryView(check.result)).toBeGreaterThan(0);
      }
    }
    const mx = await pairMatrix(models[0], TINY_EXAMPLES.slice(0, 1) as never, ['ar', 'en'], ['zh', 'en'], { depths: true, maxNewTokens: 2 });
    const check = validateResult(JSON.parse(JSON.stringify(mx)));
    expect(check.ok, check.ok ? '' : check.errors.join('\n')).toBe(true);
    if (check.ok && check.result.kind === 'matrix') expect(renderMatrix(check.result)).toBeGreaterThan(0);
  });
});
