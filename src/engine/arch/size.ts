// Parameter counts and memory estimates from a ModelSpec, before anything is downloaded.

import type { ModelSpec } from './spec';
import { LENS_WORKING_SET, longestPromptWithin, workingSet } from './working-set';

export type WeightFormat = 'fp32' | 'int8' | 'fp16';
/**
 * what the user asks for: a format, or 'auto' = fp16 on WebGPU with shader-f16, else fp32 when it
 * fits, else int8 (docs/weights.md)
 */
export type WeightChoice = 'auto' | WeightFormat;

/** parameters split by how the int8 format holds them */
function paramBreakdown(s: ModelSpec): { params: number; matrix: number; matrixRows: number; largestLayerMatrix: number } {
  const d = s.hiddenSize;
  const qkvRows = (s.numHeads + 2 * s.numKvHeads) * s.headDim;
  const I = s.intermediateSize;
  // 2-D weights: q/k/v (or fused qkv), o, gate, up (or fused gate_up), down; embedding; untied lm_head
  const layerMatrix = qkvRows * d + s.numHeads * s.headDim * d + 3 * d * I;
  const layerRows = qkvRows + d + 2 * I + d;
  const layerOther = (s.attentionBias ? qkvRows : 0) + (s.oBias ? d : 0) + (s.mlpBias ? 2 * I + d : 0) + (s.sandwichNorms ? 4 : 2) * d + (s.qkNorm ? 2 * s.headDim : 0);
  const embed = s.vocabSize * d;
  const heads = s.tieWordEmbeddings ? 1 : 2;
  const matrix = heads * embed + s.numLayers * layerMatrix;
  const matrixRows = heads * s.vocabSize + s.numLayers * layerRows;
  const params = matrix + s.numLayers * layerOther + d;
  return { params, matrix, matrixRows, largestLayerMatrix: Math.max(qkvRows * d, 2 * I * d) };
}

export function paramCount(s: ModelSpec): number {
  return paramBreakdown(s).params;
}

/** what wasm32 can address: onnxruntime-web's heap (weights, runtime, activations) never grows past it */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;
/**
 * onnxruntime's own allocations beside the weights (runtime, arena, session state): measured 44 MiB
 * (fp32) and 111 MiB (int8) over the initializers on a Qwen2.5-0.5B shape (docs/weights.md), with room
 */
export const SESSION_OVERHEAD_BYTES = 192 * 2 ** 20;
/** the prompt length `auto` plans for: XQuAD's longest paragraphs with a question and a chat template */
export const PLANNED_PROMPT_TOKENS = 1024;
/** the shortest prompt a format chosen explicitly must still analyse */
export const MIN_PROMPT_TOKENS = 64;

export interface MemoryEstimate {
  params: number;
  /** the prompt length the working set and the `fits*` answers are for */
  tokens: number;
  /** bytes of fp32 weights the session holds */
  fp32Bytes: number;
  /** bytes of int8 weights the session holds: 1 per element of a 2-D weight + a 4-byte scale per row, fp32 for the rest */
  int8Bytes: number;
  /** bytes of fp16 weights the session holds: 2 per element of a 2-D weight, fp32 for the rest (norms, biases) */
  fp16Bytes: number;
  /**
   * int8: fp32 copies of weights dequantised during a run. The forward multiplies the int8 weights
   * where they lie (MatMulInteger); the relevance branch dequantises one weight per projection for its
   * fp32 activations, gate and up of a layer together at most (each copy lives only until its Gemm)
   */
  dequantBytes: number;
  /**
   * int8: the int32 accumulator of a vocabulary-wide projection (one lens block of rows, at most the
   * lens's working-set cap), alive beside its fp32 result, which fp32 weights do not need
   */
  int8AccumulatorBytes: number;
  /** the analysis's working set at `tokens` tokens (arch/working-set.ts: its largest stage), fp32 */
  activationBytes: number;
  /** the session's own allocations beside the weights (SESSION_OVERHEAD_BYTES) */
  overheadBytes: number;
  /** whether fp32 weights + overhead + the working set fit the WASM heap */
  fitsWasm: boolean;
  /** whether int8 weights + the dequantised copies + the accumulator + overhead + the working set fit */
  fitsWasmInt8: boolean;
  /**
   * whether fp16 weights + overhead + the working set fit. fp16 runs on WebGPU, but onnxruntime-web
   * first copies the weights into its WASM heap to create the session, so the same 4 GiB applies
   */
  fitsWasmFp16: boolean;
}

/** bytes of the WASM heap a session of this format holds before any prompt: weights (+ int8's run-time copies) and overhead */
export function heldBytes(est: MemoryEstimate, format: WeightFormat): number {
  const weights = format === 'int8' ? est.int8Bytes + est.dequantBytes + est.int8AccumulatorBytes : format === 'fp16' ? est.fp16Bytes : est.fp32Bytes;
  return weights + est.overheadBytes;
}

/**
 * Weight bytes, and whether each format fits the WASM heap with the working set of a `tokens`-token
 * analysis (default: the length `auto` plans for, or the model's longest prompt when shorter).
 */
export function estimateMemory(s: ModelSpec, tokens = Math.min(PLANNED_PROMPT_TOKENS, s.maxPositions || PLANNED_PROMPT_TOKENS)): MemoryEstimate {
  const { params, matrix, matrixRows, largestLayerMatrix } = paramBreakdown(s);
  const fp32Bytes = params * 4;
  const int8Bytes = matrix + 4 * matrixRows + 4 * (params - matrix);
  const fp16Bytes = 2 * matrix + 4 * (params - matrix);
  const dequantBytes = 4 * largestLayerMatrix;
  const int8AccumulatorBytes = Math.min(LENS_WORKING_SET, 4 * tokens * s.vocabSize);
  const activationBytes = workingSet(s, tokens).peak;
  const est = { params, tokens, fp32Bytes, int8Bytes, fp16Bytes, dequantBytes, int8AccumulatorBytes, activationBytes, overheadBytes: SESSION_OVERHEAD_BYTES };
  const fits = (f: WeightFormat) => heldBytes({ ...est, fitsWasm: false, fitsWasmInt8: false, fitsWasmFp16: false }, f) + activationBytes <= WASM_HEAP_BYTES;
  return { ...est, fitsWasm: fits('fp32'), fitsWasmInt8: fits('int8'), fitsWasmFp16: fits('fp16') };
}

export interface PromptMemory {
  /** the working set of this prompt's analysis */
  needBytes: number;
  /** what the heap has left beside the session (weights and overhead) */
  roomBytes: number;
  fits: boolean;
  /** the longest prompt whose analysis fits beside this session */
  longest: number;
}

/** whether a `tokens`-token analysis fits the WASM heap beside a session of this format (working-set.ts) */
export function promptMemory(s: ModelSpec, format: WeightFormat, tokens: number, heap = WASM_HEAP_BYTES): PromptMemory {
  const roomBytes = heap - heldBytes(estimateMemory(s, tokens), format);
  const needBytes = workingSet(s, tokens).peak;
  return { needBytes, roomBytes, fits: needBytes <= roomBytes, longest: roomBytes > 0 ? longestPromptWithin(s, roomBytes) : 0 };
}

/**
 * Whether `auto` may pick fp16 for a family: not gemma, whose activations outgrow fp16's range
 * (its checkpoints are bf16, and transformers advises bf16/fp32 for it); fp16 asked for explicitly still runs.
 */
export function autoAllowsFp16(family: string): boolean {
  return !family.startsWith('gemma');
}

/**
 * The weight format a model loads with: the one asked for when it fits with a short prompt (`short`:
 * the estimate at MIN_PROMPT_TOKENS), or (auto) fp16 when it can run and fits, else fp32 when it fits,
 * else int8, each with the working set of the length `est` plans for; null when what was asked for
 * does not fit (the caller refuses, naming the sizes). `fp16` says whether fp16 can run at all (WebGPU with shader-f16,
 * runtime/session.ts `fp16Unavailable`); fp16 asked for where it cannot run is the caller's to handle
 * (loadModel says why and loads what auto picks without it).
 */
export function chooseWeightFormat(est: MemoryEstimate, want: WeightChoice = 'auto', fp16 = false, short: MemoryEstimate = est): WeightFormat | null {
  // a format asked for is kept when it can analyse a short prompt (longer ones are refused one by one,
  // analyze.ts); auto picks one that holds the length it plans for
  if (want === 'fp32') return short.fitsWasm ? 'fp32' : null;
  if (want === 'int8') return short.fitsWasmInt8 ? 'int8' : null;
  if (want === 'fp16') return fp16 && short.fitsWasmFp16 ? 'fp16' : null;
  if (fp16 && est.fitsWasmFp16) return 'fp16';
  // nothing holds the planned length: the smallest format, if it holds a short prompt (longer ones are refused with numbers)
  return est.fitsWasm ? 'fp32' : est.fitsWasmInt8 || short.fitsWasmInt8 ? 'int8' : null;
}

/** why a prompt is refused for memory, in numbers */
export function promptMemoryMessage(tokens: number, format: WeightFormat, m: PromptMemory): string {
  const mib = (b: number) => `${Math.max(0, Math.round(b / 2 ** 20))} MiB`;
  return (
    `The prompt has ${tokens} tokens: its analysis needs about ${mib(m.needBytes)} of working memory, and beside the ${format} weights ` +
    `${mib(m.roomBytes)} of the ${(WASM_HEAP_BYTES / 2 ** 30).toFixed(0)} GiB WebAssembly can address are left. ` +
    (m.longest > 0 ? `Prompts up to about ${m.longest} tokens fit: shorten the context` : 'Shorten the context') +
    (format === 'int8' ? '.' : ', or load the model with int8 weights.')
  );
}
