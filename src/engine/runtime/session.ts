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

export async function webgpuAvailable(): Promise<string | null> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'WebGPU is present but no adapter is available';
  } catch (e) {
    return `WebGPU adapter request failed: ${(e as Error).message}`;
  }
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
