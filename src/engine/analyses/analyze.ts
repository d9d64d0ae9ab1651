// One full analysis of one input: prompt, target, greedy answer, logit lens, attention.

import { InputTooLongError, type LoadedModel } from '../model';
import { type AnalysisResult, type KnockoutResult, type PhaseDepths, type RelevanceSection, type ResultInput, type ResultModel, SCHEMA_VERSION, type TopToken } from '../result';
import { ropeTableLength } from '../graph/rope-table';
import { knockoutDepth, knockoutSweep } from './knockout';
import { majorRelevanceDepth } from './relevance';
import { buildPrompt, SEGMENTS, type Segment } from '../text/prompt';
import { softmaxRow } from './lens';
import { exactMatch, f1Score } from './metrics';

export interface AnalyzeOptions {
  maxNewTokens?: number;
  signal?: AbortSignal;
  /** called with the stage about to run */
  onStage?: (stage: 'forward' | 'generate' | 'knockout' | 'relevance') => void;
  /** longest prompt accepted, in tokens (defaults to the model's context) */
  maxPromptTokens?: number;
  /** run a knockout sweep (window default ≈ L/4) and derive phase depths */
  knockout?: boolean | { window?: number; batchSize?: number };
  onKnockoutPartial?: (done: number, total: number) => void;
  /** compute AttnLRP relevance and the Major Relevance Depth of each token group */
  relevance?: boolean;
  /** called once with the result without knockout and relevance, before those run */
  onPartial?: (r: AnalysisResult) => void;
}

export { InputTooLongError };

/** the model as a result records it (analysis and matrix results alike) */
export function resultModel(model: LoadedModel): ResultModel {
  const s = model.spec;
  return {
    id: model.id,
    family: s.family,
    weights: model.weightFormat,
    numLayers: s.numLayers,
    numHeads: s.numHeads,
    numKvHeads: s.numKvHeads,
    hiddenSize: s.hiddenSize,
    vocabSize: s.vocabSize,
  };
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
const round = (x: number, digits = 6) => Number(x.toPrecision(digits));

export async function analyze(model: LoadedModel, input: ResultInput, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const t0 = now();
  const prompt = buildPrompt(model.tokenizer, input);
  const T = prompt.ids.length;
  const limit = Math.min(opts.maxPromptTokens ?? Infinity, ropeTableLength(model.spec.maxPositions));
  if (T > limit) {
    throw new InputTooLongError(`The prompt has ${T} tokens; this model accepts at most ${limit}. Shorten the context.`);
  }
  opts.onStage?.('forward');
  const r = await model.forward(prompt.ids, { lensTarget: prompt.targetId });
  const forwardMs = r.ms;
  if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('cancelled');

  opts.onStage?.('generate');
  const tg = now();
  const gen = await model.generate(prompt.ids, { maxNewTokens: opts.maxNewTokens ?? 16, signal: opts.signal });
  const generateMs = now() - tg;
  const genText = model.tokenizer.decode(gen);
  const answer = genText.split('\n')[0].trim();
  const lang = input.contextLang ?? 'en';

  const { L, H, V } = r;
  const lens = r.lens!;
  const grid = (f: (k: number) => number) => Array.from({ length: L + 1 }, (_, l) => Array.from({ length: T }, (_, t) => f(l * T + t)));
  const topId = grid((k) => lens.topId[k]);
  const tokenText: Record<string, string> = {};
  for (const id of new Set(topId.flat())) tokenText[id] = model.tokenizer.tokenText(id);

  const lastTopK: TopToken[][] = [];
  for (let l = 0; l <= L; l++) {
    const p = softmaxRow(r.lensLast, l * V, V);
    const idx = topK(p, 10);
    lastTopK.push(idx.map((id) => ({ id, text: model.tokenizer.tokenText(id), prob: round(p[id]) })));
  }

  // attention of the last position
  const segOf = prompt.tokens.map((t) => t.segment);
  const lastRowHeads: number[][][] = [];
  const lastRowMean: number[][] = [];
  const segmentMass = Object.fromEntries(SEGMENTS.map((s) => [s, [] as number[][]])) as Record<Segment, number[][]>;
  for (let l = 0; l < L; l++) {
    const a = r.attention[l];
    const heads: number[][] = [];
    const mean = new Array(T).fill(0);
    const mass = Object.fromEntries(SEGMENTS.map((s) => [s, new Array(H).fill(0)])) as Record<Segment, number[]>;
    for (let h = 0; h < H; h++) {
      const off = h * T * T + (T - 1) * T;
      const row: number[] = [];
      for (let k = 0; k < T; k++) {
        const v = a[off + k];
        row.push(round(v));
        mean[k] += v / H;
        mass[segOf[k]][h] += v;
      }
      heads.push(row);
    }
    lastRowHeads.push(heads);
    lastRowMean.push(mean.map((v) => round(v)));
    for (const s of SEGMENTS) segmentMass[s].push(mass[s].map((v) => round(v)));
  }

  const lastCol = T - 1;
  let answerTopLayer: number | null = null;
  for (let l = 0; l <= L; l++) {
    if (lens.topId[l * T + lastCol] === prompt.targetId) {
      answerTopLayer = l;
      break;
    }
  }
  const peak = (s: Segment) => {
    let best = 0;
    let bestV = -1;
    for (let l = 0; l < L; l++) {
      const m = segmentMass[s][l].reduce((a, b) => a + b, 0) / H;
      if (m > bestV) {
        bestV = m;
        best = l;
      }
    }
    return best + 1;
  };

  const base: AnalysisResult = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'analysis',
    createdAt: new Date().toISOString(),
    backend: model.backend,
    model: resultModel(model),
    input: { ...input },
    prompt: {
      text: prompt.text,
      tokens: prompt.tokens.map((t) => ({ id: t.id, text: t.text, segment: t.segment, start: t.start, end: t.end })),
      target: {
        id: prompt.targetId,
        text: prompt.targetText,
        ...(prompt.leadingWhitespace.length ? { leadingWhitespace: prompt.leadingWhitespace } : {}),
      },
    },
    generation: {
      ids: gen,
      text: genText,
      answer,
      exactMatch: exactMatch(answer, input.answer, lang),
      f1: round(f1Score(answer, input.answer, lang)),
    },
    lens: {
      targetProb: grid((k) => round(Math.exp(lens.targetLogprob[k]))),
      targetRank: grid((k) => lens.targetRank[k] + 1),
      topId,
      topProb: grid((k) => round(Math.exp(lens.topLogprob[k]))),
      tokenText,
      lastTopK,
    },
    attention: { lastRowMean, lastRowHeads, segmentMass },
    summary: {
      answerTopLayer,
      questionAttentionPeakLayer: peak('question'),
      answerAttentionPeakLayer: peak('answer'),
    },
    timings: { forwardMs: round(forwardMs, 4), generateMs: round(generateMs, 4), totalMs: round(now() - t0, 4) },
  };
  // the fast part (lens, attention, answer) is complete: views can draw it while the sweeps run
  opts.onPartial?.(base);
  if (!opts.knockout && !opts.relevance) return base;

  let knockout: KnockoutResult | undefined;
  let phases: PhaseDepths | undefined;
  let knockoutMs: number | undefined;
  if (opts.knockout) {
    opts.onStage?.('knockout');
    const tk = now();
    const ko = typeof opts.knockout === 'object' ? opts.knockout : {};
    const sweep = await knockoutSweep(model, prompt.ids, segOf, prompt.targetId, {
      window: ko.window,
      batchSize: ko.batchSize,
      signal: opts.signal,
      onPartial: (_, done, total) => opts.onKnockoutPartial?.(done, total),
    });
    knockoutMs = now() - tk;
    knockout = {
      window: sweep.window,
      sets: sweep.sets,
      baseProb: round(sweep.baseProb),
      windows: sweep.windows,
      effect: Object.fromEntries(Object.entries(sweep.effect).map(([k, v]) => [k, v.map((e) => (e === null ? null : round(e)))])),
    };
    phases = {
      questionEncodingKnockout: knockoutDepth(sweep, 'question'),
      answerRetrievalKnockout: knockoutDepth(sweep, 'answer'),
      questionEncodingMrd: null,
      answerRetrievalMrd: null,
    };
  }

  let relevance: RelevanceSection | undefined;
  let relevanceMs: number | undefined;
  if (opts.relevance) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('cancelled');
    opts.onStage?.('relevance');
    const tr = now();
    const rel = await model.relevance(prompt.ids, prompt.targetId);
    relevanceMs = now() - tr;
    const groups = majorRelevanceDepth(rel.relevance, segOf);
    relevance = {
      relevance: rel.relevance.map((row) => Array.from(row, (v) => round(v))),
      targetLogit: round(rel.targetLogit),
      leakBias: Array.from(rel.leakBias, (v) => round(v)),
      leakSoftmax: Array.from(rel.leakSoftmax, (v) => round(v)),
      mrd: Object.fromEntries(SEGMENTS.map((s) => [s, groups.get(s)?.mrd ?? null])),
      cumulative: Object.fromEntries(SEGMENTS.map((s) => [s, (groups.get(s)?.cumulative ?? []).map((v) => round(v))])),
    };
    phases = {
      questionEncodingKnockout: phases?.questionEncodingKnockout ?? null,
      answerRetrievalKnockout: phases?.answerRetrievalKnockout ?? null,
      questionEncodingMrd: relevance.mrd.question,
      answerRetrievalMrd: relevance.mrd.answer,
    };
  }

  return {
    ...base,
    ...(knockout ? { knockout } : {}),
    ...(relevance ? { relevance } : {}),
    ...(phases ? { phases } : {}),
    timings: {
      forwardMs: round(forwardMs, 4),
      generateMs: round(generateMs, 4),
      ...(knockoutMs !== undefined ? { knockoutMs: round(knockoutMs, 4) } : {}),
      ...(relevanceMs !== undefined ? { relevanceMs: round(relevanceMs, 4) } : {}),
      totalMs: round(now() - t0, 4),
    },
  };
}

function topK(p: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (best.length < k || p[i] > p[best[best.length - 1]]) {
      let j = Math.min(best.length, k - 1);
      if (best.length < k) best.push(i);
      while (j > 0 && p[best[j - 1]] < p[i]) {
        best[j] = best[j - 1];
        j--;
      }
      best[j] = i;
    }
  }
  return best;
}
