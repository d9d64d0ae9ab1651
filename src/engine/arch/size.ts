// Parameter counts and memory estimates from a ModelSpec, before anything is downloaded.

import type { ModelSpec } from './spec';

export type WeightFormat = 'fp32' | 'int8' | 'fp16';
/**
 * what the user asks for: a format, or 'auto' = fp16 on WebGPU with shader-f16, else fp32 when it
 * fits, else int8 (docs/weights.md)
 */
export type WeightChoice = 'auto' | WeightFormat;

/** parameters split by how the int8 format holds them */
export function paramBreakdown(s: ModelSpec): { params: number; matrix: number; matrixRows: number; largestLayerMatrix: number } {
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

/** WebAssembly (wasm32) can address at most 4 GiB; leave room for activations and the runtime */
export const WASM_WEIGHT_BUDGET = 3 * 2 ** 30;

export interface MemoryEstimate {
  params: number;
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
   * int8: the int32 accumulator [T, V] of a vocabulary-wide projection (logits, one layer's lens),
   * alive beside its fp32 result, which fp32 weights do not need
   */
  int8AccumulatorBytes: number;
  /** activations of one analysis forward of `tokens` tokens (taps, attention, lens), fp32 */
  activationBytes: number;
  /** whether fp32 weights + activations fit the WASM budget */
  fitsWasm: boolean;
  /** whether int8 weights + the dequantised copies + the accumulator + activations fit the WASM budget */
  fitsWasmInt8: boolean;
  /**
   * whether fp16 weights + activations fit the WASM budget. fp16 runs on WebGPU, but onnxruntime-web
   * first copies the weights into its WASM heap to create the session, so the same 4 GiB applies
   */
  fitsWasmFp16: boolean;
}

export function estimateMemory(s: ModelSpec, tokens = 256): MemoryEstimate {
  const { params, matrix, matrixRows, largestLayerMatrix } = paramBreakdown(s);
  const fp32Bytes = params * 4;
  const int8Bytes = matrix + 4 * matrixRows + 4 * (params - matrix);
  const fp16Bytes = 2 * matrix + 4 * (params - matrix);
  const dequantBytes = 4 * largestLayerMatrix;
  const T = tokens;
  const int8AccumulatorBytes = 4 * T * s.vocabSize;
  const L = s.numLayers;
  const activationBytes =
    4 *
    (L * s.numHeads * T * T * 2 + // scores and probabilities (probabilities kept as outputs)
      (L + 1) * T * s.hiddenSize * 3 + // residual taps
      T * s.vocabSize * 2 + // logits and one layer's lens at a time
      T * s.intermediateSize * 3);
  return {
    params,
    fp32Bytes,
    int8Bytes,
    fp16Bytes,
    dequantBytes,
    int8AccumulatorBytes,
    activationBytes,
    fitsWasm: fp32Bytes + activationBytes <= WASM_WEIGHT_BUDGET,
    fitsWasmInt8: int8Bytes + dequantBytes + int8AccumulatorBytes + activationBytes <= WASM_WEIGHT_BUDGET,
    fitsWasmFp16: fp16Bytes + activationBytes <= WASM_WEIGHT_BUDGET,
  };
}

/**
 * The weight format a model loads with: the one asked for, or (auto) fp16 when it can run and fits,
 * else fp32 when it fits, else int8; null when what was asked for does not fit (the caller refuses,
 * naming the sizes). `fp16` says whether fp16 can run at all (WebGPU with shader-f16,
 * runtime/session.ts `fp16Unavailable`); fp16 asked for where it cannot run is the caller's to handle
 * (loadModel says why and loads what auto picks without it).
 */
/**
 * Whether `auto` may pick fp16 for a family: not gemma, whose activations outgrow fp16's range
 * (its checkpoints are bf16, and transformers advises bf16/fp32 for it); fp16 asked for explicitly still runs.
 */
export function autoAllowsFp16(family: string): boolean {
  return !family.startsWith('gemma');
}

export function chooseWeightFormat(est: MemoryEstimate, want: WeightChoice = 'auto', fp16 = false): WeightFormat | null {
  if (want === 'fp32') return est.fitsWasm ? 'fp32' : null;
  if (want === 'int8') return est.fitsWasmInt8 ? 'int8' : null;
  if (want === 'fp16') return fp16 && est.fitsWasmFp16 ? 'fp16' : null;
  if (fp16 && est.fitsWasmFp16) return 'fp16';
  return est.fitsWasm ? 'fp32' : est.fitsWasmInt8 ? 'int8' : null;
}
