// A large, internally consistent AnalysisResult of any shape, for the responsiveness check of
// the views (no model needed): a long context of sentences with an answer span inside, a
// question and the plain template, T positions and L layers of H heads as a real model of
// that size would return them (attention rows that sum to 1 and segment masses that are their
// sums, lens ranks that agree with the probabilities, a knockout sweep over every window and
// relevance with its cumulative shares). Values are pseudo-random from a seed.
import type { AnalysisResult, ResultToken } from '../../src/engine/result';
import { SEGMENTS, type Segment } from '../../src/engine/text/prompt';
import { mulberry32 } from '../../src/data/xquad';

export interface LargeResultShape {
  T: number;
  L: number;
  H: number;
  vocabSize?: number;
  seed?: number;
}

const WORDS = ['the', 'river', 'city', 'council', 'built', 'a', 'bridge', 'in', 'north', 'of', 'old', 'town', 'and', 'its', 'people', 'moved', 'there', 'after', 'war', 'market'];
const round = (x: number) => Number(x.toPrecision(6));

export function largeResult({ T, L, H, vocabSize = 151_936, seed = 1 }: LargeResultShape): AnalysisResult {
  const rnd = mulberry32(seed);
  // template pieces and question as fixed tokens; the context fills the rest
  const head = ['Context', ':'];
  const question = [' In', ' which', ' year', ' was', ' the', ' bridge', ' built', '?'];
  const tail = ['\n', 'Answer', ':'];
  const between = ['\n', 'Question', ':'];
  const nContext = T - head.length - between.length - question.length - tail.length;
  if (nContext < 20) throw new Error(`T = ${T} is too short for a large result`);
  const answerAt = Math.floor(nContext * 0.6);
  const answerLen = 3;
  const pieces: [string, Segment][] = head.map((t) => [t, 'template']);
  for (let i = 0; i < nContext; i++) {
    const inAnswer = i >= answerAt && i < answerAt + answerLen;
    // a sentence ends every 18-30 words
    const text = inAnswer ? [' 19', '0', '4'][i - answerAt] : i > 0 && i % (18 + (i % 13)) === 0 ? '.' : ` ${WORDS[Math.floor(rnd() * WORDS.length)]}`;
    pieces.push([text, inAnswer ? 'answer' : 'context']);
  }
  for (const t of between) pieces.push([t, 'template']);
  for (const t of question) pieces.push([t, 'question']);
  for (const t of tail) pieces.push([t, 'template']);
  let pos = 0;
  const tokens: ResultToken[] = pieces.map(([text, segment], i) => {
    const start = pos;
    pos += text.length;
    return { id: 100 + ((i * 7919) % 3000), text, segment, start, end: pos };
  });
  const text = pieces.map((p) => p[0]).join('');
  const context = text.slice(tokens[head.length].start, tokens[head.length + nContext - 1].end);
  const answer = ' 1904'.trim();
  const targetId = 42;

  // lens: the target surfaces in the upper layers, at the answer span and the last position
  const targetProb: number[][] = [];
  const targetRank: number[][] = [];
  const topId: number[][] = [];
  const topProb: number[][] = [];
  for (let l = 0; l <= L; l++) {
    const depth = l / L;
    const pr: number[] = [];
    const rk: number[] = [];
    const ti: number[] = [];
    const tp: number[] = [];
    for (let t = 0; t < T; t++) {
      const hot = tokens[t].segment === 'answer' || t === T - 1;
      const p = round(hot ? Math.min(0.95, depth * depth * (0.6 + 0.4 * rnd())) : 1e-6 + 1e-3 * rnd() * depth);
      const rank = p > 0.5 ? 1 : Math.max(2, Math.round((1 - p) * 5000 * (1 - depth) + 2));
      const top = rank === 1 ? p : round(Math.max(p, 0.05 + 0.5 * rnd()));
      pr.push(p);
      rk.push(rank);
      ti.push(rank === 1 ? targetId : 1000 + Math.floor(rnd() * 50));
      tp.push(top);
    }
    targetProb.push(pr);
    targetRank.push(rk);
    topId.push(ti);
    topProb.push(tp);
  }
  const tokenText: Record<string, string> = { [targetId]: ' 19' };
  for (let i = 0; i < 50; i++) tokenText[1000 + i] = ` w${i}`;

  // attention of the last position: a sink at 0, the question early, the answer late; rows sum to 1
  const lastRowHeads: number[][][] = [];
  const lastRowMean: number[][] = [];
  const segmentMass = Object.fromEntries(SEGMENTS.map((s) => [s, [] as number[][]])) as Record<Segment, number[][]>;
  for (let l = 0; l < L; l++) {
    const depth = (l + 1) / L;
    const heads: number[][] = [];
    const mean = new Array<number>(T).fill(0);
    const mass = Object.fromEntries(SEGMENTS.map((s) => [s, new Array<number>(H).fill(0)])) as Record<Segment, number[]>;
    for (let h = 0; h < H; h++) {
      const w = tokens.map((tok, t) => (t === 0 ? 20 : tok.segment === 'question' ? 3 * (1 - depth) : tok.segment === 'answer' ? 6 * depth : 0.2) * (0.5 + rnd()));
      const sum = w.reduce((a, b) => a + b, 0);
      const row = w.map((x) => round(x / sum));
      heads.push(row);
      row.forEach((v, t) => {
        mean[t] += v / H;
        mass[tokens[t].segment][h] += v;
      });
    }
    lastRowHeads.push(heads);
    lastRowMean.push(mean.map(round));
    for (const s of SEGMENTS) segmentMass[s].push(mass[s].map((v) => round(Math.min(1, v))));
  }

  // relevance: the logit at the last position on top, spread down the layers
  const targetLogit = 18.5;
  const relevance = Array.from({ length: L + 1 }, (_, l) =>
    tokens.map((tok, t) => round(l === L ? (t === T - 1 ? targetLogit : 0) : (tok.segment === 'context' ? 0.002 : 0.05) * (rnd() - 0.3) * (l + 1))),
  );
  const cumulative = Object.fromEntries(SEGMENTS.map((s, k) => [s, Array.from({ length: L + 1 }, (_, l) => round(Math.min(1, ((l + 1) / (L + 1)) ** (k + 1) * 1.2)))]));
  const mrdOf = (c: number[]) => {
    const i = c.findIndex((x) => x >= 0.95);
    return i < 0 ? null : i;
  };
  const w = Math.max(1, Math.round(L / 4));
  const windows = Array.from({ length: L }, (_, i): [number, number] => [Math.max(1, i + 1 - Math.floor((w - 1) / 2)), Math.min(L, i + 1 + Math.ceil((w - 1) / 2))]);
  const effect = {
    question: windows.map((_, i) => round(i < L / 3 ? -70 * rnd() - 20 : -10 * rnd())),
    answer: windows.map((_, i) => round(i > (2 * L) / 3 ? -80 * rnd() - 10 : 5 * rnd())),
    context: windows.map(() => round(-30 * rnd())),
    template: windows.map(() => round(10 * (rnd() - 0.5))),
  };
  const knockoutDepth = (e: number[]) => {
    let d: number | null = null;
    e.forEach((v, i) => {
      if (v <= -50) d = i + 1;
    });
    return d;
  };
  return {
    schemaVersion: 1,
    kind: 'analysis',
    createdAt: '2026-01-01T00:00:00.000Z',
    backend: 'wasm',
    model: { id: `generated/T${T}-L${L}-H${H}`, family: 'qwen2', numLayers: L, numHeads: H, numKvHeads: Math.max(1, H / 8), hiddenSize: 64 * H, vocabSize, weights: 'fp32' },
    input: { contextLang: 'en', questionLang: 'en', exampleId: null, context, question: question.join('').trim(), answer, template: 'plain' },
    prompt: { text, tokens, target: { id: targetId, text: ' 19' } },
    generation: { ids: [targetId], text: ' 1904', answer: '1904', exactMatch: 1, f1: 1 },
    lens: {
      targetProb,
      targetRank,
      topId,
      topProb,
      tokenText,
      lastTopK: Array.from({ length: L + 1 }, (_, l) => [{ id: targetId, text: ' 19', prob: targetProb[l][T - 1] }]),
    },
    attention: { lastRowMean, lastRowHeads, segmentMass },
    summary: { answerTopLayer: targetRank.findIndex((r) => r[T - 1] === 1) >= 0 ? targetRank.findIndex((r) => r[T - 1] === 1) : null, questionAttentionPeakLayer: 1, answerAttentionPeakLayer: L },
    knockout: { window: w, sets: ['question', 'answer', 'context', 'template'], baseProb: targetProb[L][T - 1], windows, effect },
    relevance: { relevance, targetLogit, leakBias: new Array(L).fill(0), leakSoftmax: new Array(L).fill(0), mrd: Object.fromEntries(SEGMENTS.map((s) => [s, mrdOf(cumulative[s])])), cumulative },
    phases: { questionEncodingKnockout: knockoutDepth(effect.question), answerRetrievalKnockout: knockoutDepth(effect.answer), questionEncodingMrd: mrdOf(cumulative.question), answerRetrievalMrd: mrdOf(cumulative.answer) },
    timings: { forwardMs: 1, generateMs: 1, knockoutMs: 1, relevanceMs: 1, totalMs: 4 },
  };
}
