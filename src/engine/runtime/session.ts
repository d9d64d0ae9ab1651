// onnxruntime-web sessions: WebGPU first, WASM when WebGPU is missing or fails.
// The ort module is passed in, so the same code runs in the worker (onnxruntime-web/wasm or
// /webgpu builds) and in Node (onnxruntime-web's node build, same WASM kernels).

import type * as OrtNs from 'onnxruntime-web';
import type { SerializedModel } from '../graph/onnx';
import type { Backend, BackendChoice } from './backend';
import type { DeviceLoss } from './errors';

export type Ort = typeof OrtNs;
export type Session = OrtNs.InferenceSession;

export interface SessionResult {
  session: Session;
  backend: Backend;
  fallbackReason?: string;
}

/** what xlens needs to know about the WebGPU adapter before it builds a graph */
export interface WebgpuAdapterInfo {
  /** why WebGPU cannot run here; null when an adapter is available */
  missing: string | null;
  /** the adapter's features ('shader-f16', ...); empty when there is none */
  features: ReadonlySet<string>;
  /** a software adapter (SwiftShader, lavapipe): real WebGPU, but no faster than WASM */
  fallback?: boolean;
}

interface GpuLike {
  requestAdapter(): Promise<{ features?: Iterable<string>; isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean; architecture?: string } } | null>;
}

/** one adapter request per navigator.gpu (and so per worker or page), reused */
const adapterInfos = new WeakMap<GpuLike, Promise<WebgpuAdapterInfo>>();

/**
 * The WebGPU adapter as onnxruntime-web will get it: it calls `requestAdapter()` with
 * `env.webgpu.powerPreference` and `forceFallbackAdapter`, which xlens leaves unset, so the same
 * plain request finds the same adapter. Requested once; only its features are kept (an adapter
 * gives out one device, and onnxruntime requests its own).
 */
export function webgpuAdapterInfo(): Promise<WebgpuAdapterInfo> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) return Promise.resolve({ missing: 'this browser has no WebGPU (navigator.gpu is missing)', features: new Set() });
  let info = adapterInfos.get(gpu);
  if (!info) {
    info = Promise.resolve()
      .then(() => gpu.requestAdapter())
      .then(
        (adapter): WebgpuAdapterInfo =>
          adapter
            ? {
                missing: null,
                features: new Set(adapter.features ?? []),
                fallback: adapter.info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true || /swiftshader|lavapipe|llvmpipe/i.test(adapter.info?.architecture ?? ''),
              }
            : { missing: 'WebGPU is present but no adapter is available', features: new Set() },
        (e: Error): WebgpuAdapterInfo => ({ missing: `WebGPU adapter request failed: ${e.message}`, features: new Set() }),
      );
    adapterInfos.set(gpu, info);
  }
  return info;
}

export async function webgpuAvailable(): Promise<string | null> {
  return (await webgpuAdapterInfo()).missing;
}

/**
 * Why fp16 weights cannot run with this backend choice and adapter, or null when they can: they
 * need WebGPU (onnxruntime's WASM EP computes fp16 Gemms in fp32 on fp32 copies of the weights:
 * more memory than fp32 weights, bench/fp16.ts) on an adapter with `shader-f16` (without it
 * onnxruntime's WebGPU kernels refuse every fp16 program: "Program Cast requires f16 but the device
 * does not support it", at the first run).
 */
export function fp16Unavailable(choice: BackendChoice, gpu: WebgpuAdapterInfo | null): string | null {
  if (choice === 'wasm') return 'fp16 weights run on WebGPU only, and the backend is WASM';
  if (!gpu || gpu.missing) return `fp16 weights need WebGPU: ${gpu?.missing ?? 'no adapter was asked for'}`;
  if (!gpu.features.has('shader-f16')) return 'fp16 weights need the WebGPU feature shader-f16, which this adapter lacks';
  return null;
}

export async function createSession(
  ortByBackend: (b: Backend) => Promise<Ort>,
  model: SerializedModel,
  choice: BackendChoice,
): Promise<SessionResult> {
  const open = async (backend: Backend) =>
    (await ortByBackend(backend)).InferenceSession.create(model.model, {
      executionProviders: [backend],
      externalData: model.external,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      // MLAS pre-packs every Gemm weight into a second copy: +0.65x the weights in the WASM heap for no
      // measured speed-up here (bench/memory.ts, BENCHMARKS.md)
      extra: { session: { disable_prepacking: '1' } },
    });
  let fallbackReason: string | undefined;
  if (choice === 'webgpu' || choice === 'auto') {
    const missing = await webgpuAvailable();
    if (!missing) {
      try {
        return { session: await open('webgpu'), backend: 'webgpu' };
      } catch (e) {
        fallbackReason = `WebGPU session failed (${(e as Error).message}); using WASM`;
      }
    } else {
      fallbackReason = `${missing}; using WASM`;
    }
  }
  return { session: await open('wasm'), backend: 'wasm', fallbackReason: choice === 'wasm' ? undefined : fallbackReason };
}

/** the part of GPUDevice xlens uses (no @webgpu/types dependency) */
export interface GpuDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  destroy(): void;
}

/**
 * The GPUDevice onnxruntime's WebGPU backend runs on. onnxruntime-web 1.30 stores it on
 * `ort.env.webgpu.device` when its first WebGPU session is created (its webgpuInit callback);
 * read before that, the documented getter would create a new device instead, so only call
 * this once a WebGPU session exists. Null when there is none.
 */
export async function webgpuDevice(ort: Ort): Promise<GpuDeviceLike | null> {
  try {
    const d = (await (ort.env.webgpu as { device?: unknown }).device) as GpuDeviceLike | undefined;
    return d && typeof d === 'object' && d.lost instanceof Promise && typeof d.destroy === 'function' ? d : null;
  } catch {
    return null;
  }
}

/** resolves when the device is lost (destroyed, driver reset, GPU process crash); never otherwise */
export function deviceLoss(device: GpuDeviceLike): Promise<DeviceLoss> {
  return device.lost.then((info) => ({ reason: String(info?.reason ?? 'unknown'), message: String(info?.message ?? '') }));
}
