// The analysis result against its definitions, on a random-weight fixture.

import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type LoadedModel } from '../model';
import { SCHEMA_VERSION } from '../result';
import type { AnalysisResult } from '../result';
import { estimateMemory, heldBytes, promptMemory, promptMemoryMessage } from '../arch/size';
import { workingSet } from '../arch/working-set';
import { buildPrompt } from '../text/prompt';
import { analyze, answerTokenCap, autoLensCoverage, fillLens, firstLine, InputTooLongError, phasePositions, type AnalysisStates } from './analyze';

ort.env.wasm.numThreads = 1;

const input = {
  contextLang: 'en',
  questionLang: 'en',
  exampleId: null,
  context: 'Ana lives in Lisbon. Her brother lives in Porto.',
  question: 'Where does Ana live?',
  answer: 'Lisbon',
  template: 'plain' as const,
};

describe('analyze', () => {
  let m: LoadedModel;
  beforeAll(async () => {
    m = await loadModel({ kind: 'dir', path: 'fixtures/models/qwen2-bias-bf16' }, { ort, backend: 'wasm' });
  });

  it('returns the versioned schema with consistent shapes and numbers', async () => {
    const r = await analyze(m, input, { maxNewTokens: 4, lens: 'all' });
    expect(r.schemaVersion).toBe(SCHEMA_VERSION);
    expect(r.lens.coverage).toBe('all');
    expect(r.pending).toBeUndefined();
    const L = m.spec.numLayers;
    const H = m.spec.numHeads;
    const T = r.prompt.tokens.length;
    expect(r.lens.targetProb.length).toBe(L + 1);
    expect(r.lens.targetProb[0].length).toBe(T);
    expect(r.attention.lastRowMean.length).toBe(L);
    expect(r.attention.lastRowHeads[0].length).toBe(H);

    // the lens at the last layer and position is the model's own next-token distribution
    const f = await m.forward(r.prompt.tokens.map((t) => t.id), { allLogits: true });
    const off = (T - 1) * f.V;
    let max = -Infinity;
    for (let v = 0; v < f.V; v++) max = Math.max(max, f.logits[off + v]);
    let z = 0;
    for (let v = 0; v < f.V; v++) z += Math.exp(f.logits[off + v] - max);
    const pTarget = Math.exp(f.logits[off + r.prompt.target.id] - max) / z;
    expect(r.lens.targetProb[L][T - 1]).toBeCloseTo(pTarget, 5);
    // rank 1 exactly where the target is the top-1
    for (let l = 0; l <= L; l++)
      for (let t = 0; t < T; t++) {
        expect(r.lens.targetProb[l][t]).not.toBeNull();
        expect(r.lens.targetRank[l][t] === 1).toBe(r.lens.topId[l][t] === r.prompt.target.id);
      }
    // the grid equals the lens the forward computes over every position (the same lens branch, another path)
    const g = await m.forward(r.prompt.tokens.map((t) => t.id), { lensTarget: r.prompt.target.id });
    for (let l = 0; l <= L; l++)
      for (let t = 0; t < T; t++) {
        expect(r.lens.targetProb[l][t]).toBeCloseTo(Math.exp(g.lens!.targetLogprob[l * T + t]), 5);
        expect(r.lens.topId[l][t]).toBe(g.lens!.topId[l * T + t]);
      }
    // top-k list at the last position agrees with the top-1 grid
    for (let l = 0; l <= L; l++) {
      expect(r.lens.lastTopK[l][0].id).toBe(r.lens.topId[l][T - 1]);
      expect(r.lens.lastTopK[l][0].prob).toBeCloseTo(r.lens.topProb[l][T - 1]!, 5);
      const probs = r.lens.lastTopK[l].map((x) => x.prob);
      expect([...probs].sort((a, b) => b - a)).toEqual(probs);
    }
    // attention: mean of heads, masses per head sum to 1 over the disjoint segments
    for (let l = 0; l < L; l++) {
      for (let t = 0; t < T; t++) {
        const mean = r.attention.lastRowHeads[l].reduce((a, row) => a + row[t], 0) / H;
        expect(r.attention.lastRowMean[l][t]).toBeCloseTo(mean, 5);
      }
      for (let h = 0; h < H; h++) {
        const total = r.attention.segmentMass.context[l][h] + r.attention.segmentMass.answer[l][h] + r.attention.segmentMass.question[l][h] + r.attention.segmentMass.template[l][h];
        expect(total).toBeCloseTo(1, 5);
        const ans = r.prompt.tokens.reduce((a, tok, k) => a + (tok.segment === 'answer' ? r.attention.lastRowHeads[l][h][k] : 0), 0);
        expect(r.attention.segmentMass.answer[l][h]).toBeCloseTo(ans, 5);
      }
    }
    // generation is scored against the gold answer
    expect(r.generation!.ids.length).toBeLessThanOrEqual(4);
    expect(r.generation!.exactMatch === 0 || r.generation!.exactMatch === 1).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('adds knockout and relevance sections with phase depths from both', async () => {
    const r = await analyze(m, input, { maxNewTokens: 2, knockout: { window: 1 }, relevance: true });
    expect(r.pending).toBeUndefined();
    const L = m.spec.numLayers;
    const T = r.prompt.tokens.length;
    expect(r.knockout!.window).toBe(1);
    expect(r.knockout!.effect.question.length).toBe(L);
    expect(r.relevance!.relevance.length).toBe(L + 1);
    expect(r.relevance!.relevance[0].length).toBe(T);
    // conservation at the top: Σ_t R_L(t) = target logit
    const top = r.relevance!.relevance[L].reduce((a, b) => a + b, 0);
    expect(top).toBeCloseTo(r.relevance!.targetLogit, 4);
    // the explained logit is the model's own logit for the target at the last position
    const f = await m.forward(r.prompt.tokens.map((t) => t.id), { allLogits: true });
    expect(r.relevance!.targetLogit).toBeCloseTo(f.logits[(T - 1) * f.V + r.prompt.target.id], 4);
    expect(r.phases!.questionEncodingMrd).toBe(r.relevance!.mrd.question);
    expect(r.phases!.answerRetrievalMrd).toBe(r.relevance!.mrd.answer);
    for (const g of ['question', 'answer', 'context', 'template']) {
      const c = r.relevance!.cumulative[g];
      expect(c.length).toBe(L + 1);
      expect(c.at(-1)).toBeCloseTo(1, 5);
    }
  });

  it('streams its stages: the first partial comes from the forward alone, the lens then fills the phase positions', async () => {
    const partials: AnalysisResult[] = [];
    const stages: string[] = [];
    let kept: AnalysisStates | null = null;
    const r = await analyze(m, input, {
      knockout: { window: 1 },
      lens: 'phases',
      onPartial: (p) => partials.push(p),
      onStage: (s) => stages.push(s),
      keepStates: (st) => (kept = st),
    });
    const L = m.spec.numLayers;
    const T = r.prompt.tokens.length;
    expect(stages).toEqual(['forward', 'generate', 'lens', 'knockout']);
    const first = partials[0];
    expect(first.pending).toEqual(['generation', 'lens', 'knockout']);
    expect(first.generation).toBeUndefined();
    expect(first.knockout).toBeUndefined();
    // the first heatmap: the lens at the last position for every layer, nothing else yet
    for (let l = 0; l <= L; l++)
      for (let t = 0; t < T; t++) expect(first.lens.targetProb[l][t] === null, `${l},${t}`).toBe(t !== T - 1);
    // every later partial still lacks something, and the final result lacks nothing
    for (const p of partials) expect(p.pending!.length).toBeGreaterThan(0);
    expect(r.pending).toBeUndefined();
    // phases coverage: exactly the question, answer span, the template after the question, and the last position
    const want = new Set(phasePositions(r.prompt.tokens.map((t) => t.segment)));
    expect(want.has(T - 1)).toBe(true);
    expect([...want].some((t) => r.prompt.tokens[t].segment === 'question')).toBe(true);
    expect([...want].some((t) => r.prompt.tokens[t].segment === 'answer')).toBe(true);
    expect([...want].some((t) => r.prompt.tokens[t].segment === 'context')).toBe(false);
    for (let t = 0; t < T; t++) expect(r.lens.targetProb[0][t] !== null, `position ${t}`).toBe(want.has(t));
    expect(r.lens.coverage).toBe('phases');
    // on demand, the rest: the same numbers as an analysis that computed every position
    const full = await fillLens(m, r, kept!);
    const all = await analyze(m, input, { lens: 'all' });
    expect(full.lens.coverage).toBe('all');
    expect(full.lens.targetProb).toEqual(all.lens.targetProb);
    expect(full.lens.topId).toEqual(all.lens.topId);
    // and the earlier result is untouched
    expect(r.lens.targetProb[0].some((p) => p === null)).toBe(true);
  });

  it('follows the way of writing the answer the model prefers, and says which it did not take', async () => {
    const r = await analyze(m, input, { lens: 'last' });
    const alt = r.prompt.target.alternative;
    const T = r.prompt.tokens.length;
    const L = m.spec.numLayers;
    if (alt) {
      // " Lisbon" vs "Lisbon": the chosen one is at least as probable at the last position after the last layer
      expect(alt.targetProb).toBeGreaterThanOrEqual(alt.prob);
      expect(r.lens.targetProb[L][T - 1]).toBeCloseTo(alt.targetProb, 5);
      expect(alt.id).not.toBe(r.prompt.target.id);
    }
    expect(r.prompt.target.text.trim()).not.toBe('');
  });

  it("'auto' computes the whole lens grid when it is cheap, the phase positions otherwise", async () => {
    expect(autoLensCoverage(4, 100, 3890, 128)).toBe('all'); // the tiny models: ~0.25e9 multiply-adds
    expect(autoLensCoverage(24, 256, 151936, 896)).toBe('phases'); // Qwen2.5-0.5B: ~9e11
    const r = await analyze(m, input, {});
    expect(r.lens.coverage).toBe(autoLensCoverage(m.spec.numLayers, r.prompt.tokens.length, m.spec.vocabSize, m.spec.hiddenSize));
    const tight = await analyze(m, input, { lensAllBudget: 1 });
    expect(tight.lens.coverage).toBe('phases');
  });

  it('stops the answer at the end of its first line, under a cap that follows the gold answer', () => {
    expect(firstLine('\n  Lisbon\nQuestion: x')).toBe('Lisbon');
    expect(firstLine('')).toBe('');
    expect(answerTokenCap(1)).toBe(5);
    expect(answerTokenCap(10)).toBe(20);
    expect(answerTokenCap(50)).toBe(64);
  });

  it('refuses prompts longer than the limit with a clear message', async () => {
    await expect(analyze(m, input, { maxPromptTokens: 10 })).rejects.toThrow(InputTooLongError);
    await expect(analyze(m, input, { maxPromptTokens: 10 })).rejects.toThrow(/at most 10/);
  });

  it('refuses, before running, a prompt whose working set does not fit the heap beside the weights, with the numbers', async () => {
    const T = buildPrompt(m.tokenizer, input).ids.length;
    const held = heldBytes(estimateMemory(m.spec, T), m.weightFormat);
    const need = workingSet(m.spec, T).peak;
    const stages: string[] = [];
    // a heap with room for half the working set: refused, and no stage ran
    const small = held + Math.floor(need / 2);
    const err = await analyze(m, input, { heapBytes: small, onStage: (s) => stages.push(s) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputTooLongError);
    expect(stages).toEqual([]);
    const { longest } = promptMemory(m.spec, m.weightFormat, T, small);
    expect(longest).toBeLessThan(T);
    expect((err as Error).message).toBe(promptMemoryMessage(T, m.weightFormat, { needBytes: need, roomBytes: small - held, fits: false, longest }));
    expect((err as Error).message).toMatch(new RegExp(`^The prompt has ${T} tokens: its analysis needs about \\d+ MiB`));
    // with room for all of it, it runs
    const r = await analyze(m, input, { heapBytes: held + need, knockout: false, relevance: false });
    expect(r.prompt.tokens.length).toBe(T);
  });
});
