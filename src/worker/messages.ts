// The protocol between the UI thread and the engine worker. Plain, structured-cloneable
// objects only; typed arrays travel as transferables.
import type { ModelSource, Phase } from '../engine/hub/source';
import type { Backend, BackendChoice } from '../engine/runtime/backend';

// ---- requests (UI -> worker) ----

export interface LoadRequest {
  type: 'load';
  requestId: number;
  source: ModelSource;
  backend: BackendChoice;
}

export interface RunRequest {
  type: 'run';
  requestId: number;
  prompt: string;
  /** wrap the prompt as the user turn of the model's chat template (when it has one) */
  useChatTemplate: boolean;
  /** greedy answer length cap */
  maxNewTokens: number;
  /** include the full logits of the forward pass in the result (tests, ?debug=1) */
  debug?: boolean;
}

/** Stops a load in flight (aborts downloads) or drops a run at its next step. */
export interface CancelRequest {
  type: 'cancel';
}

export type WorkerRequest = LoadRequest | RunRequest | CancelRequest;

// ---- responses (worker -> UI) ----

export type WorkerStatus = 'loading' | 'running' | 'idle';

export interface StatusMessage {
  type: 'status';
  requestId: number;
  status: WorkerStatus;
  message: string;
}

export interface ProgressMessage {
  type: 'progress';
  requestId: number;
  phase: Phase;
  label: string;
  loaded: number;
  total?: number;
  cached?: boolean;
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
  /** threads the WASM backend uses */
  wasmThreads: number;
  crossOriginIsolated: boolean;
  timings: { downloadMs: number; buildMs: number; sessionMs: number; totalMs: number };
  /** whether the tokenizer ships a chat template */
  hasChatTemplate: boolean;
}

export interface LensRow {
  /** 0 = embeddings, l = after layer l */
  layer: number;
  topId: number;
  topToken: string;
  topProb: number;
}

export interface RunResult {
  modelId: string;
  backend: Backend;
  prompt: string;
  /** the chat template was applied */
  usedChatTemplate: boolean;
  inputIds: number[];
  /** display text of every input token */
  tokens: string[];
  /** logit lens at the last position, L+1 rows */
  lens: LensRow[];
  generatedIds: number[];
  generatedText: string;
  timings: { tokenizeMs: number; forwardMs: number; lensMs: number; generateMs: number };
  /** full logits [T*V] and hidden states (L+1 of [T*d]) of the forward pass, only with `debug` */
  debug?: { logits: Float32Array; hidden: Float32Array[]; T: number; V: number; d: number };
}

export interface ResultMessage {
  type: 'result';
  requestId: number;
  result: RunResult;
}

export interface ErrorMessage {
  type: 'error';
  requestId: number;
  /** which request failed */
  during: 'load' | 'run';
  message: string;
  cancelled?: boolean;
}

export type WorkerMessage = StatusMessage | ProgressMessage | ReadyMessage | ResultMessage | ErrorMessage;
