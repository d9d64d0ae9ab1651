// Run-time failures of onnxruntime-web that xlens recovers from: running out of memory
// (WebAssembly heap, GPU memory, or a JavaScript buffer) and losing the GPU device. The
// classifiers work on error text because that is all onnxruntime gives: its WASM build turns
// a failed C++ allocation into `failed to call OrtRun(). ERROR_CODE: 6, ERROR_MESSAGE:
// std::bad_alloc` (measured, see errors.test.ts for the messages this was checked against).

import type { ModelSpec } from '../arch/spec';
import { longestPromptWithin, workingSet } from '../arch/working-set';
import type { Backend } from './backend';

/** which memory ran out: the WebAssembly heap (4 GiB at most), the GPU's, or the JS heap */
export type MemoryKind = 'wasm' | 'gpu' | 'js';

export class OutOfMemoryError extends Error {
  constructor(
    message: string,
    readonly memory: MemoryKind,
  ) {
    super(message);
    this.name = 'OutOfMemoryError';
  }
}

/** the GPU device onnxruntime's WebGPU backend uses was lost (GPUDeviceLostInfo) */
export interface DeviceLoss {
  /** 'destroyed' or 'unknown' */
  reason: string;
  /** the browser's message */
  message: string;
}

export class DeviceLostError extends Error {
  constructor(readonly loss: DeviceLoss) {
    super(`the GPU device was lost (${describeDeviceLoss(loss)})`);
    this.name = 'DeviceLostError';
  }
}

export function describeDeviceLoss(loss: DeviceLoss): string {
  const msg = loss.message.trim();
  return msg ? `reason "${loss.reason}": ${msg}` : `reason "${loss.reason}"`;
}

function textOf(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  if (e && typeof e === 'object' && 'message' in e) return `${String((e as { name?: unknown }).name ?? '')}: ${String((e as { message: unknown }).message)}`;
  return String(e);
}

// WebAssembly heap: onnxruntime's C++ allocations (bad_alloc; its CPU allocator's own
// message), its JS glue's _malloc checks, Emscripten's heap growth.
const WASM_OOM = [
  /\bstd::bad_alloc\b/,
  /\bbad_alloc\b/,
  /\bbad_array_new_length\b/,
  /Failed to allocate memory for requested buffer of size/i,
  /failed to allocate a buffer of size/i,
  /failed to allocate output tensor/i,
  /Memory allocation failed\. Size=/,
  /WebAssembly\.Memory(?:\.prototype)?\.grow\(\)/i,
  /Cannot enlarge memory/i,
  /Aborted\(OOM\)/,
];
// GPU memory: WebGPU's error type and onnxruntime's WebGPU EP when a buffer cannot be made.
const GPU_OOM = [/GPUOutOfMemoryError/, /Failed to create GPU buffer/i, /\bOut of memory\b.*\b(?:GPU|buffer|device)\b/i, /\b(?:GPU|buffer|device)\b.*\bout of memory\b/i];
// JavaScript: V8's RangeErrors when an ArrayBuffer cannot be allocated, or a typed array is
// longer than V8 allows (only huge lengths: a negative one is a bug, not memory).
const JS_OOM = [/Array buffer allocation failed/i, /Invalid typed array length: \d{9,}/i, /RangeError: Out of memory/i];

/** which memory ran out, if `e` is an out-of-memory failure; null for anything else */
export function outOfMemoryKind(e: unknown): MemoryKind | null {
  if (e instanceof OutOfMemoryError) return e.memory;
  const name = e && typeof e === 'object' ? String((e as { name?: unknown }).name ?? '') : '';
  if (name === 'GPUOutOfMemoryError') return 'gpu';
  const t = textOf(e);
  if (GPU_OOM.some((r) => r.test(t))) return 'gpu';
  if (WASM_OOM.some((r) => r.test(t))) return 'wasm';
  if (JS_OOM.some((r) => r.test(t))) return 'js';
  return null;
}

// What a run fails with when the device goes away under it: onnxruntime's WebGPU EP checks
// that reading a buffer back succeeded; Dawn and the browser say the device is lost/destroyed.
const DEVICE_LOST = [/MapAsyncStatus/, /WebGPU device lost/i, /\bdevice (?:is |was )?(?:lost|destroyed)\b/i, /\bDevice(?:LostError| lost)\b/, /\[Device\].*\bis lost\b/i, /Instance dropped/i];

/** whether an error's text says the GPU device is gone (a hint; `device.lost` is the signal) */
export function looksLikeDeviceLoss(e: unknown): boolean {
  if (e instanceof DeviceLostError) return true;
  return DEVICE_LOST.some((r) => r.test(textOf(e)));
}

export interface OomContext {
  /** which memory ran out */
  memory: MemoryKind;
  modelId: string;
  backend: Backend;
  /** what was running: 'load' (building / opening the session) or an analysis stage */
  stage: 'load' | 'forward' | 'generate' | 'lens' | 'knockout' | 'relevance' | 'matrix';
  /** prompt length in tokens, when known */
  tokens?: number;
  numLayers?: number;
  numHeads?: number;
  /** the model's spec, for what the stage needs at this length */
  spec?: ModelSpec;
  /** memory left beside the weights (the WASM heap's limit minus the session's weights); default 1 GiB */
  roomBytes?: number;
  /** the original error text, kept at the end for bug reports */
  detail: string;
}

const GiB = 2 ** 30;
const gib = (bytes: number) => (bytes >= 0.1 * GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${Math.max(1, Math.round(bytes / 2 ** 20))} MiB`);

const STAGE_TEXT: Record<OomContext['stage'], string> = {
  load: 'loading',
  forward: 'running the forward pass (attention, last-position lens)',
  generate: 'generating the answer',
  lens: 'computing the logit lens',
  knockout: 'running the attention knockout sweep',
  relevance: 'computing relevance (AttnLRP)',
  matrix: 'computing the language-pair matrix',
};

const MEMORY_TEXT: Record<MemoryKind, string> = {
  wasm: 'the WebAssembly memory onnxruntime runs in (4 GiB at most in a browser) is full',
  gpu: 'the GPU could not allocate a buffer',
  js: 'the browser could not allocate a buffer for the results',
};

/** the user-facing message: what ran out, during what, for which model, and what to try */
export function outOfMemoryMessage(c: OomContext): string {
  const parts: string[] = [];
  const prompt = c.tokens ? ` for a prompt of ${c.tokens} tokens` : '';
  const what = c.stage === 'load' ? `loading ${c.modelId}` : `${STAGE_TEXT[c.stage]} of ${c.modelId}${prompt}`;
  parts.push(`Out of memory while ${what} on ${c.backend === 'webgpu' ? 'WebGPU' : 'WASM'}: ${MEMORY_TEXT[c.memory]}.`);
  const L = c.numLayers;
  const H = c.numHeads;
  const tryList: string[] = [];
  if (c.stage !== 'load' && c.stage !== 'matrix' && c.tokens && c.spec) {
    // what the analysis keeps alive next to the weights at this length (arch/working-set.ts)
    const ws = workingSet(c.spec, c.tokens);
    const need = c.stage === 'generate' ? ws.forward : ws[c.stage];
    const room = c.roomBytes ?? GiB;
    const fits = longestPromptWithin(c.spec, room);
    parts.push(`At this length ${STAGE_TEXT[c.stage]} needs about ${gib(need)} next to the model's weights (the largest stage needs ${gib(ws.peak)}).`);
    tryList.push(fits >= 100 ? `a shorter prompt (under about ${Math.floor(fits / 100) * 100} tokens needs at most the ${gib(room)} left beside the weights)` : 'a shorter prompt');
  } else if ((c.stage === 'forward' || c.stage === 'relevance') && c.tokens && L && H) {
    tryList.push('a shorter prompt');
  } else if (c.stage !== 'load') {
    tryList.push('a shorter prompt');
  }
  if (c.stage === 'knockout') tryList.push('turning the knockout sweep off');
  if (c.stage === 'relevance') tryList.push('turning relevance off');
  if (c.stage === 'matrix') tryList.push('fewer languages or examples');
  tryList.push('a smaller model');
  if (c.memory === 'gpu' || c.backend === 'webgpu') tryList.push('the WASM backend, which uses main memory instead of the GPU’s');
  parts.push(`Try ${tryList.length > 1 ? `${tryList.slice(0, -1).join(', ')} or ${tryList[tryList.length - 1]}` : tryList[0]}.`);
  parts.push('The engine is restarted for the next run.');
  parts.push(`(${c.detail})`);
  return parts.join(' ');
}
