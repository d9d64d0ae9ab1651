// The protocol between the UI thread and the engine worker. Plain, structured-cloneable
// objects only; typed arrays travel as transferables. One worker holds one model; compare
// mode runs a second worker for the second model.
import type { ModelSource, Phase } from '../engine/hub/source';
import type { WeightChoice, WeightFormat } from '../engine/arch/size';
import type { Backend, BackendChoice } from '../engine/runtime/backend';
import type { AnalysisResult, MatrixResult, ResultInput } from '../engine/result';
import type { AnalysisStage } from '../engine/analyses/analyze';
import type { MatrixExample } from '../engine/analyses/matrix';
import type { DeviceLoss } from '../engine/runtime/errors';

// ---- requests (UI -> worker) ----

export interface LoadRequest {
  type: 'load';
  requestId: number;
  source: ModelSource;
  backend: BackendChoice;
  /** weight format (docs/weights.md); default auto: fp16 on WebGPU with shader-f16, else fp32 when it fits, else int8 */
  weights?: WeightChoice;
}

export interface AnalyzeOptionsMsg {
  knockout: boolean;
  relevance: boolean;
  /** knockout window (layers); null = the engine's default ≈ L/4 */
  window: number | null;
  /** answer length cap in tokens; null = the gold answer's length plus a margin */
  maxNewTokens: number | null;
  /**
   * positions the logit lens covers: 'phases' (question, answer span, template after the question, last),
   * 'all', or 'auto' = all on a hardware WebGPU adapter, else the phases (the rest on demand: FillLensRequest)
   */
  lens?: 'phases' | 'all' | 'auto';
  /** also send the forward pass's logits and hidden states (tests, ?debug=1) */
  debug?: boolean;
}

/** One analysis of one input (engine `analyze`). */
export interface AnalyzeRequest {
  type: 'analyze';
  requestId: number;
  input: ResultInput;
  options: AnalyzeOptionsMsg;
}

/**
 * Compute the logit lens at the positions the last analysis left out, from the residual states the
 * worker kept; answered like an analyze request (partial results, then the final one). `input` must be
 * the last analysis's.
 */
export interface FillLensRequest {
  type: 'fill-lens';
  requestId: number;
  input: ResultInput;
}

/** Pair matrix over an example set (engine `pairMatrix`); partial results per cell. */
export interface MatrixRequest {
  type: 'matrix';
  requestId: number;
  examples: MatrixExample[];
  contextLangs: string[];
  questionLangs: string[];
  depths: boolean;
  /** AttnLRP relevance per analysis, for the Major Relevance Depths */
  mrd?: boolean;
  template: 'plain' | 'chat';
  window: number | null;
  maxNewTokens: number | null;
}

/** Stops a load in flight (aborts downloads) or aborts the running analysis / matrix. */
export interface CancelRequest {
  type: 'cancel';
  /** the request to cancel (running or queued); none = whatever runs, and a load */
  requestId?: number;
}

/**
 * Test hook, honoured only by a worker started from a page opened with ?debug=1: destroys the
 * GPUDevice onnxruntime runs on (a genuine device loss) to exercise the switch to WASM.
 */
export interface DebugRequest {
  type: 'debug';
  action: 'lose-gpu-device';
}

export type WorkerRequest = LoadRequest | AnalyzeRequest | FillLensRequest | MatrixRequest | CancelRequest | DebugRequest;

// ---- responses (worker -> UI) ----

export type WorkerStatus = 'loading' | 'running' | 'idle';

export interface StatusMessage {
  type: 'status';
  requestId: number;
  status: WorkerStatus;
  message: string;
}

/** load phases (download bytes per file, graph build, session) and compute steps */
export interface ProgressMessage {
  type: 'progress';
  requestId: number;
  phase: Phase;
  label: string;
  loaded: number;
  total?: number;
  cached?: boolean;
}

export type { AnalysisStage };

export interface StageMessage {
  type: 'stage';
  requestId: number;
  stage: AnalysisStage;
  /** blocks done / total of a stage that runs in blocks (lens rows, knockout batches) */
  done?: number;
  total?: number;
}

export interface SpecSummary {
  family: string;
  modelType: string;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  hiddenSize: number;
  vocabSize: number;
  tieWordEmbeddings: boolean;
}

export interface ReadyMessage {
  type: 'ready';
  requestId: number;
  modelId: string;
  spec: SpecSummary;
  backend: Backend;
  /** why WASM runs although WebGPU was asked for (or auto) */
  fallbackReason?: string;
  /** the format the weights run in (absent = fp32); int8 when asked for or when fp32 would not fit; fp16 on WebGPU with shader-f16 */
  weightFormat?: WeightFormat;
  /** why the weights are not in the format asked for (fp16 where it cannot run) */
  weightFallbackReason?: string;
  /** bytes the weights would take as fp32 (what int8 saves) */
  fp32WeightBytes?: number;
  /**
   * set when the GPU device was lost after loading: the worker re-created the model on WASM and
   * re-ran the interrupted request. Sent as a second `ready` message, with that request's id.
   */
  deviceLost?: DeviceLoss;
  /** threads the WASM backend uses */
  wasmThreads: number;
  crossOriginIsolated: boolean;
  timings: { downloadMs: number; buildMs: number; sessionMs: number; totalMs: number };
  /** whether the tokenizer ships a chat template */
  hasChatTemplate: boolean;
}

/** forward pass tensors of the analysed prompt, only with `debug` */
export interface DebugTensors {
  inputIds: number[];
  logits: Float32Array;
  hidden: Float32Array[];
  T: number;
  V: number;
  d: number;
}

/**
 * An analysis result. `partial`: a stage's result while later stages still run (result.pending lists
 * them); the final message for the request has partial = false.
 */
export interface AnalysisMessage {
  type: 'analysis';
  requestId: number;
  result: AnalysisResult;
  partial: boolean;
  debug?: DebugTensors;
}

export interface MatrixMessage {
  type: 'matrix';
  requestId: number;
  result: MatrixResult;
  done: number;
  total: number;
  /** the final message of the request (complete, or the partial result at cancel / error) */
  final: boolean;
}

export interface ErrorMessage {
  type: 'error';
  requestId: number;
  /** which request failed */
  during: 'load' | 'analyze' | 'fill-lens' | 'matrix';
  /** the engine's error class (HubError, UnsupportedModelError, InputTooLongError, PromptError, ...) */
  name: string;
  message: string;
  cancelled?: boolean;
  /**
   * the worker must not be used again (onnxruntime's WASM instance is unreliable after it ran out
   * of memory, and its heap never shrinks): the client stops it and starts a fresh one next time
   */
  restart?: boolean;
}

export type WorkerMessage = StatusMessage | ProgressMessage | StageMessage | ReadyMessage | AnalysisMessage | MatrixMessage | ErrorMessage;
