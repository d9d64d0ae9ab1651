// One full analysis of one input, streamed in stages so the first heatmap comes from the forward
// pass alone:
//   1. forward: attention of the last position, and the logit lens of every layer at the last
//      position (lens_last, a few rows of the unembedding); the target is chosen here
//   2. generation (greedy, KV cache, stops at the first line's end)
//   3. the logit lens at the positions that carry the phases (question, answer span, the template
//      after the question), in row blocks of bounded size (lensOverStates)
//   4. knockout sweep, 5. relevance (on the forward's residual states)
//   6. the lens over the rest of the context, when asked for ('all'; else on demand: fillLens)
// Each stage posts a partial result (`pending` lists what is still running). Nothing of the analysis
// grows as layers x tokens x vocabulary: the lens is reduced in-graph per row block.
// One file, longer than most: the stages share the partial result they fill in, in this order.

import { promptMemory, promptMemoryMessage } from '../arch/size';
import { InputTooLongError, type ForwardResult, type LoadedModel } from '../model';
import {
  type AnalysisResult,
  type AnalysisSection,
  type KnockoutResult,
  type LensCoverage,
  type PhaseDepths,
  type RelevanceSection,
  type ResultInput,
  type ResultModel,
  SCHEMA_VERSION,
  type TopToken,
} from '../result';
import { ropeTableLength } from '../graph/rope-table';
import { knockoutDepth, knockoutSweep } from './knockout';
import { majorRelevanceDepth } from './relevance';
import { buildPrompt, SEGMENTS, type Segment, type TargetCandidate } from '../text/prompt';
import { lensOverStates, logSoftmaxRow } from './lens';
import { exactMatch, f1Score } from './metrics';
import { checkpoint } from '../runtime/cancel';

export type AnalysisStage = 'forward' | 'generate' | 'lens' | 'knockout' | 'relevance';

export interface AnalyzeOptions {
  /** longest answer generated, in tokens; default: the gold answer's length plus a margin (answerTokenCap) */
  maxNewTokens?: number;
  signal?: AbortSignal;
  /** called with the stage about to run */
  onStage?: (stage: AnalysisStage) => void;
  /** blocks done / total of a stage that runs in blocks (lens, knockout) */
  onProgress?: (stage: AnalysisStage, done: number, total: number) => void;
  /** longest prompt accepted, in tokens (defaults to the model's context) */
  maxPromptTokens?: number;
  /** the WASM heap the session runs in, in bytes (default: the 4 GiB wasm32 addresses); a prompt whose working set does not fit beside the weights is refused */
  heapBytes?: number;
  /**
   * positions the lens grid covers: 'last' (from the forward alone: the pair matrix), 'phases' (question,
   * answer span, the template after the question, and the last position), 'all', or 'auto' (default): 'all'
   * when the whole grid costs at most `lensAllBudget` multiply-adds, else 'phases' (the rest on demand: fillLens)
   */
  lens?: LensCoverage | 'auto';
  /** multiply-adds the whole lens grid may cost for 'auto' to compute it (default LENS_ALL_BUDGET) */
  lensAllBudget?: number;
  /** run a knockout sweep (window default ≈ L/4) and derive phase depths */
  knockout?: boolean | { window?: number; batchSize?: number };
  /** compute AttnLRP relevance and the Major Relevance Depth of each token group */
  relevance?: boolean;
  /** called with every partial result as the stages finish (`pending` lists what still runs) */
  onPartial?: (r: AnalysisResult) => void;
  /** receives the forward's residual states, so the rest of the lens can be computed later (fillLens) */
  keepStates?: (states: AnalysisStates) => void;
}

/** what a later fillLens needs from an analysis */
export interface AnalysisStates {
  hidden: Float32Array[];
  d: number;
  targetId: number;
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

/**
 * What 'auto' spends on the whole lens grid, in multiply-adds ((L+1)·T·V·d): about a second of WASM. The
 * tiny models' grids cost far less; a 0.5B model's with a 150k vocabulary costs ~1e12 at T = 256, where the
 * phase positions come by default and the rest on demand.
 */
const LENS_ALL_BUDGET = 2e9;

/** the lens coverage 'auto' picks for a prompt */
export function autoLensCoverage(L: number, T: number, V: number, d: number, budget = LENS_ALL_BUDGET): LensCoverage {
  return (L + 1) * T * V * d <= budget ? 'all' : 'phases';
}

/** the generation cap that follows the gold answer: its length in tokens plus a margin for a longer phrasing */
export function answerTokenCap(answerTokens: number): number {
  return Math.min(64, answerTokens + Math.max(4, answerTokens));
}

/** the positions whose lens carries the phases: the question, the answer span, the template after the question's start, the last */
export function phasePositions(segments: Segment[]): number[] {
  const T = segments.length;
  const firstQuestion = segments.indexOf('question');
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    const s = segments[t];
    if (s === 'question' || s === 'answer' || t === T - 1 || (s === 'template' && firstQuestion >= 0 && t > firstQuestion)) out.push(t);
  }
  return out;
}

/**
 * The target among its candidates (prompt.ts): the one with the higher probability at the last position
 * after the last layer, i.e. the way of writing the answer the model itself prefers.
 */
function chooseTarget(candidates: TargetCandidate[], lastLogprob: Float64Array): { chosen: TargetCandidate; other: TargetCandidate | null } {
  let chosen = candidates[0];
  for (const c of candidates) if (lastLogprob[c.id] > lastLogprob[chosen.id]) chosen = c;
  return { chosen, other: candidates.find((c) => c !== chosen) ?? null };
}

export async function analyze(model: LoadedModel, input: ResultInput, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const t0 = now();
  const prompt = buildPrompt(model.tokenizer, input);
  const T = prompt.ids.length;
  const limit = Math.min(opts.maxPromptTokens ?? Infinity, ropeTableLength(model.spec.maxPositions));
  if (T > limit) {
    throw new InputTooLongError(`The prompt has ${T} tokens; this model accepts at most ${limit}. Shorten the context.`);
  }
  if (model.backend === 'wasm') {
    // refused before running: a WASM heap that runs out mid-analysis loses the session (arch/working-set.ts)
    const mem = promptMemory(model.spec, model.weightFormat, T, opts.heapBytes);
    if (!mem.fits) throw new InputTooLongError(promptMemoryMessage(T, model.weightFormat, mem));
  }
  const cancelled = async () => {
    await checkpoint(opts.signal);
  };
  const { numLayers, vocabSize, hiddenSize } = model.spec;
  const coverage: LensCoverage = !opts.lens || opts.lens === 'auto' ? autoLensCoverage(numLayers, T, vocabSize, hiddenSize, opts.lensAllBudget) : opts.lens;
  const pending = new Set<AnalysisSection>(['generation']);
  if (coverage !== 'last') pending.add('lens');
  if (opts.knockout) pending.add('knockout');
  if (opts.relevance) pending.add('relevance');

  // ---- 1. forward: attention and the lens at the last position; the target
  opts.onStage?.('forward');
  const r = await model.forward(prompt.ids);
  await cancelled();
  const { L, H, V } = r;
  const lastLp = (l: number) => logSoftmaxRow(r.lensLast, l * V, V);
  const finalLp = lastLp(L);
  const { chosen, other } = chooseTarget(prompt.targetCandidates, finalLp);
  const targetId = chosen.id;
  opts.keepStates?.({ hidden: r.hidden, d: r.d, targetId });

  const grid = () => Array.from({ length: L + 1 }, () => new Array<number | null>(T).fill(null));
  const lens: AnalysisResult['lens'] = {
    coverage: 'last',
    targetProb: grid(),
    targetRank: grid(),
    topId: grid(),
    topProb: grid(),
    tokenText: {},
    lastTopK: [],
  };
  const tokenText = (id: number) => {
    lens.tokenText[id] ??= model.tokenizer.tokenText(id);
  };
  const setCell = (l: number, t: number, logprob: number, above: number, top: number, topLogprob: number) => {
    lens.targetProb[l][t] = round(Math.exp(logprob));
    lens.targetRank[l][t] = above + 1;
    lens.topId[l][t] = top;
    lens.topProb[l][t] = round(Math.exp(topLogprob));
    tokenText(top);
  };
  for (let l = 0; l <= L; l++) {
    const lp = l === L ? finalLp : lastLp(l);
    let above = 0;
    let top = 0;
    for (let v = 0; v < V; v++) {
      if (lp[v] > lp[targetId]) above++;
      if (lp[v] > lp[top]) top = v;
    }
    setCell(l, T - 1, lp[targetId], above, top, lp[top]);
    lens.lastTopK.push(topK(lp, 10).map((id) => ({ id, text: model.tokenizer.tokenText(id), prob: round(Math.exp(lp[id])) })));
  }

  const segOf = prompt.tokens.map((t) => t.segment);
  const attention = lastRowAttention(r, segOf);
  let answerTopLayer: number | null = null;
  for (let l = 0; l <= L; l++) {
    if (lens.topId[l][T - 1] === targetId) {
      answerTopLayer = l;
      break;
    }
  }
  const peak = (s: Segment) => {
    let best = 0;
    let bestV = -1;
    for (let l = 0; l < L; l++) {
      const m = attention.segmentMass[s][l].reduce((a, b) => a + b, 0) / H;
      if (m > bestV) {
        bestV = m;
        best = l;
      }
    }
    return best + 1;
  };

  const timings: AnalysisResult['timings'] = { forwardMs: round(r.ms, 4), generateMs: 0, totalMs: 0 };
  let result: AnalysisResult = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'analysis',
    createdAt: new Date().toISOString(),
    backend: model.backend,
    model: resultModel(model),
    input: { ...input },
    prompt: {
      text: prompt.text,
      tokens: prompt.tokens.map((t) => ({ id: t.id, text: t.text, segment: t.segment, start: t.start, end: t.end })),
      target: targetSection(chosen, other, finalLp),
    },
    lens,
    attention,
    summary: {
      answerTopLayer,
      questionAttentionPeakLayer: peak('question'),
      answerAttentionPeakLayer: peak('answer'),
    },
    timings,
  };
  /** a copy of the lens as it is now (the stages below keep filling `lens`) */
  const lensNow = (): AnalysisResult['lens'] => ({
    ...lens,
    targetProb: lens.targetProb.map((row) => row.slice()),
    targetRank: lens.targetRank.map((row) => row.slice()),
    topId: lens.topId.map((row) => row.slice()),
    topProb: lens.topProb.map((row) => row.slice()),
    tokenText: { ...lens.tokenText },
  });
  const post = (done?: AnalysisSection) => {
    if (done) pending.delete(done);
    timings.totalMs = round(now() - t0, 4);
    const { pending: _old, ...rest } = result;
    void _old;
    result = { ...rest, lens: lensNow(), timings: { ...timings }, ...(pending.size ? { pending: [...pending] } : {}) };
    if (pending.size) opts.onPartial?.(result);
  };
  post();

  // ---- 2. the model's own answer
  opts.onStage?.('generate');
  const tg = now();
  const cap = opts.maxNewTokens ?? answerTokenCap(model.tokenizer.encode(input.answer.trim(), { addSpecialTokens: false }).length);
  const gen = await model.generate(prompt.ids, {
    maxNewTokens: cap,
    signal: opts.signal,
    // stop once a line of content has ended
    stop: (ids) => /\S[^\n]*\n/.test(model.tokenizer.decode(ids)),
  });
  timings.generateMs = round(now() - tg, 4);
  const genText = model.tokenizer.decode(gen);
  const answer = firstLine(genText);
  const lang = input.contextLang ?? 'en';
  result = {
    ...result,
    generation: { ids: gen, text: genText, answer, exactMatch: exactMatch(answer, input.answer, lang), f1: round(f1Score(answer, input.answer, lang)) },
  };
  post('generation');
  await cancelled();

  // ---- 3. the lens where the phases are
  const fillCells = async (positions: number[]) => {
    const cells: [number, number][] = [];
    for (const t of positions) for (let l = 0; l <= L; l++) if (lens.targetProb[l][t] === null) cells.push([l, t]);
    if (!cells.length) return;
    opts.onStage?.('lens');
    const tl = now();
    let lastPost = now();
    await lensOverStates(model, r.hidden, r.d, cells, () => targetId, V, {
      signal: opts.signal,
      onBlock: (done, total, block, from) => {
        for (let i = 0; i < block.logprob.length; i++) {
          const [l, t] = cells[from + i];
          setCell(l, t, block.logprob[i], block.rank[i], block.topId[i], block.topLogprob[i]);
        }
        opts.onProgress?.('lens', done, total);
        if (now() - lastPost > 250 && done < total) {
          lastPost = now();
          post();
        }
      },
    });
    timings.lensMs = round((timings.lensMs ?? 0) + now() - tl, 4);
  };
  if (coverage !== 'last') {
    await fillCells(phasePositions(segOf));
    lens.coverage = 'phases';
    if (coverage === 'phases') post('lens');
    else post();
  }

  // ---- 4. knockout
  let knockout: KnockoutResult | undefined;
  let phases: PhaseDepths | undefined;
  if (opts.knockout) {
    await cancelled();
    opts.onStage?.('knockout');
    const tk = now();
    const ko = typeof opts.knockout === 'object' ? opts.knockout : {};
    const sweep = await knockoutSweep(model, prompt.ids, segOf, targetId, {
      window: ko.window,
      batchSize: ko.batchSize,
      signal: opts.signal,
      onPartial: (_, done, total) => opts.onProgress?.('knockout', done, total),
    });
    timings.knockoutMs = round(now() - tk, 4);
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
    result = { ...result, knockout, phases };
    post('knockout');
  }

  // ---- 5. relevance, on the forward's residual states
  if (opts.relevance) {
    await cancelled();
    opts.onStage?.('relevance');
    const tr = now();
    const rel = await model.relevance(prompt.ids, targetId, r.hidden, opts.signal);
    timings.relevanceMs = round(now() - tr, 4);
    const groups = majorRelevanceDepth(rel.relevance, segOf);
    const relevance: RelevanceSection = {
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
    result = { ...result, relevance, phases };
    post('relevance');
  }

  // ---- 6. the lens over every other position
  if (coverage === 'all') {
    await cancelled();
    await fillCells(Array.from({ length: T }, (_, t) => t));
    lens.coverage = 'all';
    post('lens');
  }
  post();
  return result;
}

/** the first non-empty line of the generated text, trimmed: the answer as scored */
export function firstLine(text: string): string {
  return text.split('\n').map((s) => s.trim()).find((s) => s.length > 0) ?? '';
}

/**
 * Fill the lens cells a result lacks (on demand: 'all' after a 'phases' analysis), from the residual states
 * the analysis kept. Returns the completed result; `onPartial` gets it block by block.
 */
export async function fillLens(
  model: LoadedModel,
  result: AnalysisResult,
  states: AnalysisStates,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; onPartial?: (r: AnalysisResult) => void } = {},
): Promise<AnalysisResult> {
  const L = result.model.numLayers;
  const T = result.prompt.tokens.length;
  if (states.hidden.length !== L + 1 || states.hidden[0].length !== T * states.d) throw new Error('the kept residual states do not belong to this result');
  if (states.targetId !== result.prompt.target.id) throw new Error('the kept residual states belong to another target');
  const lens = {
    ...result.lens,
    targetProb: result.lens.targetProb.map((row) => row.slice()),
    targetRank: result.lens.targetRank.map((row) => row.slice()),
    topId: result.lens.topId.map((row) => row.slice()),
    topProb: result.lens.topProb.map((row) => row.slice()),
    tokenText: { ...result.lens.tokenText },
  };
  const cells: [number, number][] = [];
  for (let t = 0; t < T; t++) for (let l = 0; l <= L; l++) if (lens.targetProb[l][t] === null) cells.push([l, t]);
  const t0 = now();
  let lastPost = now();
  await lensOverStates(model, states.hidden, states.d, cells, () => states.targetId, result.model.vocabSize, {
    signal: opts.signal,
    onBlock: (done, total, block, from) => {
      for (let i = 0; i < block.logprob.length; i++) {
        const [l, t] = cells[from + i];
        lens.targetProb[l][t] = round(Math.exp(block.logprob[i]));
        lens.targetRank[l][t] = block.rank[i] + 1;
        lens.topId[l][t] = block.topId[i];
        lens.topProb[l][t] = round(Math.exp(block.topLogprob[i]));
        lens.tokenText[block.topId[i]] ??= model.tokenizer.tokenText(block.topId[i]);
      }
      opts.onProgress?.(done, total);
      if (opts.onPartial && now() - lastPost > 250 && done < total) {
        lastPost = now();
        opts.onPartial({ ...result, lens: { ...lens }, pending: ['lens'] });
      }
    },
  });
  lens.coverage = 'all';
  return { ...result, lens, timings: { ...result.timings, lensMs: round((result.timings.lensMs ?? 0) + now() - t0, 4) } };
}

function targetSection(chosen: TargetCandidate, other: TargetCandidate | null, finalLp: Float64Array): AnalysisResult['prompt']['target'] {
  return {
    id: chosen.id,
    text: chosen.text,
    ...(chosen.leadingWhitespace.length ? { leadingWhitespace: chosen.leadingWhitespace } : {}),
    ...(other ? { alternative: { id: other.id, text: other.text, prob: round(Math.exp(finalLp[other.id])), targetProb: round(Math.exp(finalLp[chosen.id])) } } : {}),
  };
}

/** the attention of the last position, per layer and head, and its mass on each segment */
function lastRowAttention(r: ForwardResult, segOf: Segment[]): AnalysisResult['attention'] {
  const { L, H, T } = r;
  const A = r.attentionRows.length;
  const row = r.attentionRows.indexOf(T - 1);
  if (row < 0) throw new Error('the forward did not return the last position’s attention');
  const lastRowHeads: number[][][] = [];
  const lastRowMean: number[][] = [];
  const segmentMass = Object.fromEntries(SEGMENTS.map((s) => [s, [] as number[][]])) as Record<Segment, number[][]>;
  for (let l = 0; l < L; l++) {
    const a = r.attention[l];
    const heads: number[][] = [];
    const mean = new Array(T).fill(0);
    const mass = Object.fromEntries(SEGMENTS.map((s) => [s, new Array(H).fill(0)])) as Record<Segment, number[]>;
    for (let h = 0; h < H; h++) {
      const off = (h * A + row) * T;
      const vals: number[] = [];
      for (let k = 0; k < T; k++) {
        const v = a[off + k];
        vals.push(round(v));
        mean[k] += v / H;
        mass[segOf[k]][h] += v;
      }
      heads.push(vals);
    }
    lastRowHeads.push(heads);
    lastRowMean.push(mean.map((v) => round(v)));
    for (const s of SEGMENTS) segmentMass[s].push(mass[s].map((v) => round(v)));
  }
  return { lastRowMean, lastRowHeads, segmentMass };
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

export type { TopToken };
