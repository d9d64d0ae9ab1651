// A small hand-made AnalysisResult / MatrixResult for the view tests (no model needed).
import type { AnalysisResult, MatrixResult } from '../../src/engine/result';
import type { Segment } from '../../src/engine/text/prompt';

export function fakeResult(opts: { L?: number; H?: number; knockout?: boolean; relevance?: boolean; arabic?: boolean } = {}): AnalysisResult {
  const L = opts.L ?? 3;
  const H = opts.H ?? 2;
  const toks: [string, Segment][] = opts.arabic
    ? [['Context', 'template'], [':', 'template'], [' ف', 'context'], ['', 'context'], [' م', 'answer'], ['.', 'context'], ['\n', 'template'], ['谁', 'question'], ['', 'question'], ['<b>?', 'question'], ['\n', 'template'], ['Answer:', 'template']]
    : [['Context', 'template'], [':', 'template'], [' Ana', 'context'], [' Lisbon', 'answer'], ['.', 'context'], ['\n', 'template'], [' Where', 'question'], ['?', 'question'], ['\n', 'template'], ['Answer:', 'template']];
  const T = toks.length;
  let pos = 0;
  const tokens = toks.map(([text, segment], i) => {
    const start = pos;
    pos += text.length;
    return { id: 100 + i, text, segment, start, end: pos };
  });
  const grid = (rows: number, f: (l: number, t: number) => number) => Array.from({ length: rows }, (_, l) => Array.from({ length: T }, (_, t) => f(l, t)));
  const targetProb = grid(L + 1, (l, t) => (t === T - 1 ? l / L : 0.01));
  const targetRank = grid(L + 1, (l, t) => (t === T - 1 ? Math.max(1, L - l + (l === L ? 0 : 1)) : 50));
  const heads = Array.from({ length: L }, (_, i) => Array.from({ length: H }, (_, h) => Array.from({ length: T }, (_, t) => (t === 0 ? 0.5 : 0.5 / (T - 1)) * (1 + 0 * (i + h)))));
  const segs: Segment[] = ['context', 'answer', 'question', 'template'];
  const segmentMass = Object.fromEntries(
    segs.map((s) => [s, heads.map((layer) => layer.map((row) => row.reduce((a, v, t) => a + (tokens[t].segment === s ? v : 0), 0)))]),
  ) as Record<Segment, number[][]>;
  const r: AnalysisResult = {
    schemaVersion: 1,
    kind: 'analysis',
    createdAt: '2025-01-01T00:00:00Z',
    backend: 'wasm',
    model: { id: 'test/model', family: 'llama', numLayers: L, numHeads: H, numKvHeads: H, hiddenSize: 8, vocabSize: 1000 },
    input: { contextLang: 'en', questionLang: 'en', exampleId: null, context: 'Ana Lisbon.', question: 'Where?', answer: 'Lisbon', template: 'plain' },
    prompt: { text: toks.map((x) => x[0]).join(''), tokens, target: { id: 7, text: ' Lisbon' } },
    generation: { ids: [7], text: ' Lisbon', answer: 'Lisbon', exactMatch: 1, f1: 1 },
    lens: {
      targetProb,
      targetRank,
      topId: grid(L + 1, () => 7),
      topProb: grid(L + 1, () => 0.5),
      tokenText: { '7': ' Lisbon' },
      lastTopK: Array.from({ length: L + 1 }, () => [{ id: 7, text: ' Lisbon', prob: 0.5 }]),
    },
    attention: { lastRowMean: heads.map((layer) => layer[0]), lastRowHeads: heads, segmentMass },
    summary: { answerTopLayer: L, questionAttentionPeakLayer: 1, answerAttentionPeakLayer: 2 },
    timings: { forwardMs: 1, generateMs: 1, totalMs: 2 },
  };
  if (opts.knockout) {
    r.knockout = {
      window: 1,
      sets: ['question', 'answer', 'context', 'template'],
      baseProb: 0.5,
      windows: Array.from({ length: L }, (_, i) => [i + 1, i + 1] as [number, number]),
      effect: { question: Array.from({ length: L }, (_, i) => (i === 0 ? -80 : -10)), answer: Array.from({ length: L }, (_, i) => (i === L - 1 ? -60 : 20)), context: Array.from({ length: L }, () => -5), template: Array.from({ length: L }, () => null) },
    };
    r.phases = { questionEncodingKnockout: 1, answerRetrievalKnockout: L, questionEncodingMrd: null, answerRetrievalMrd: null };
  }
  if (opts.relevance) {
    const cumulative = { question: Array.from({ length: L + 1 }, (_, l) => Math.min(1, (l + 1) / 2)), answer: Array.from({ length: L + 1 }, (_, l) => (l + 1) / (L + 1)), context: Array.from({ length: L + 1 }, () => 1), template: Array.from({ length: L + 1 }, (_, l) => (l === L ? 1 : 0.5)) };
    r.relevance = {
      relevance: grid(L + 1, (l, t) => (t === T - 1 && l === L ? 5 : (t % 2 ? 1 : -1) * 0.1 * (l + 1))),
      targetLogit: 5,
      leakBias: Array.from({ length: L }, () => 0),
      leakSoftmax: Array.from({ length: L }, () => 0),
      mrd: { question: 1, answer: L, context: 0, template: L },
      cumulative,
    };
    r.phases = { ...(r.phases ?? { questionEncodingKnockout: null, answerRetrievalKnockout: null }), questionEncodingMrd: 1, answerRetrievalMrd: L };
  }
  return r;
}

export function fakeMatrix(): MatrixResult {
  const ms = (mean: number | null, std: number | null, n: number) => ({ mean, std, n });
  const cell = (cl: string, ql: string, em: number, qd: number | null) => ({
    contextLang: cl, questionLang: ql, n: 2, exactMatch: em, f1: em, targetProb: 0.3,
    questionDepth: ms(qd, qd === null ? null : 0.5, qd === null ? 0 : 2), answerDepth: ms(2, 0, 2), questionMrd: ms(1, 0, 2), answerMrd: ms(2, 1, 2), items: [],
  });
  return {
    schemaVersion: 1, kind: 'matrix', createdAt: '', backend: 'wasm',
    model: { id: 'm', family: 'llama', numLayers: 4, numHeads: 2, numKvHeads: 2, hiddenSize: 8, vocabSize: 10 },
    template: 'plain', contextLangs: ['ar', 'en'], questionLangs: ['ar', 'en', 'zh'], exampleIds: ['a', 'b'], window: 1,
    cells: [cell('ar', 'ar', 1, 1), cell('ar', 'en', 0.5, null), cell('en', 'en', 0, 3)],
    overall: { exactMatch: 0.5, f1: 0.5, questionDepth: ms(2, 1, 4), answerDepth: ms(2, 0, 6), questionMrd: ms(1, 0, 6), answerMrd: ms(2, 1, 6) },
    complete: false,
  };
}
