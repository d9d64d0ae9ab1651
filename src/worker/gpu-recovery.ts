// Recovery from a lost GPU device (driver reset, GPU process crash, or destroy()): every run on
// WebGPU is raced against the device's `lost` promise (a run on a lost device may reject, or
// never settle); on a loss the worker re-creates the model on WASM (weights come from the Cache
// API, no download), the interrupted request runs again there, and the UI gets a second `ready`
// message that says why the backend changed. No onnxruntime here: the worker hands in the
// device and the way to reload, so the logic is tested with fakes (gpu-recovery.test.ts).
import type { Backend } from '../engine/runtime/backend';
import { DeviceLostError, describeDeviceLoss, looksLikeDeviceLoss, type DeviceLoss } from '../engine/runtime/errors';
import { deviceLoss, type GpuDeviceLike } from '../engine/runtime/session';
import { errorText, isCancel } from './run-control';

export interface RecoverableModel {
  readonly backend: Backend;
  dispose(): Promise<void>;
}

export interface GpuRecoveryHooks<M> {
  /** the model requests run on now (null before the first load) */
  model(): M | null;
  /**
   * Re-create the model on WASM, make it the one `model()` returns, and tell the UI (a second
   * `ready` for this request, with `reason` as its fallback reason).
   */
  reloadOnWasm(requestId: number, loss: DeviceLoss, reason: string, signal: AbortSignal): Promise<M>;
  /** how long to wait for `lost` after a run failed with a GPU-looking error (ms) */
  lossGraceMs?: number;
}

/** the GPU device a WebGPU model runs on, and its loss once the browser reports it */
interface GpuWatch {
  device: GpuDeviceLike;
  lost: Promise<DeviceLoss>;
  loss: DeviceLoss | null;
}

/** why the backend changed, as the UI shows it */
export function wasmFallbackReason(loss: DeviceLoss, interrupted: boolean): string {
  return (
    `the GPU device was lost (${describeDeviceLoss(loss)})` +
    (interrupted ? '; xlens switched to WASM and re-ran the interrupted analysis' : '; xlens switched to WASM')
  );
}

/** resolves with the promise's value, or null after `ms` */
function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([p, new Promise<null>((res) => setTimeout(() => res(null), ms))]);
}

/** free a model whose device is gone, once nothing runs on it any more (errors are moot now) */
function disposeLater(m: RecoverableModel, running: Promise<unknown>): void {
  const free = () => void m.dispose().catch(() => undefined);
  running.then(free, free);
}

export class GpuRecovery<M extends RecoverableModel> {
  private gpu: GpuWatch | null = null;
  /** bumped whenever a run is abandoned (device lost): the abandoned run posts nothing more */
  private attemptSeq = 0;

  constructor(private readonly hooks: GpuRecoveryHooks<M>) {}

  /** listen for the loss of the device the current WebGPU model runs on (null: none to watch) */
  watch(device: GpuDeviceLike | null): void {
    if (!device) {
      this.gpu = null;
      return;
    }
    const w: GpuWatch = { device, lost: deviceLoss(device), loss: null };
    void w.lost.then((loss) => {
      w.loss = loss;
    });
    this.gpu = w;
  }

  /** the watched device (the ?debug=1 test hook destroys it) */
  get device(): GpuDeviceLike | null {
    return this.gpu?.device ?? null;
  }

  private async switchToWasm(requestId: number, loss: DeviceLoss, signal: AbortSignal, interrupted: boolean): Promise<M> {
    const m = await this.hooks.reloadOnWasm(requestId, loss, wasmFallbackReason(loss, interrupted), signal);
    this.gpu = null;
    return m;
  }

  /**
   * Runs `run` on the current model. On WebGPU the run is raced against the device's loss;
   * after a loss the model is re-created on WASM and `run` starts again there. `live()` is false
   * for an abandoned run: it must not post.
   */
  async run(requestId: number, signal: AbortSignal, run: (m: M, live: () => boolean) => Promise<void>): Promise<void> {
    let interrupted = false;
    for (;;) {
      let m = this.hooks.model();
      if (!m) throw new Error('No model is loaded yet.');
      if (m.backend === 'webgpu' && this.gpu?.loss) {
        // lost between requests: nothing runs on the old model any more
        const old = m;
        m = await this.switchToWasm(requestId, this.gpu.loss, signal, interrupted);
        if (!interrupted) disposeLater(old, Promise.resolve());
      }
      const token = ++this.attemptSeq;
      const live = () => token === this.attemptSeq;
      const g = m.backend === 'webgpu' ? this.gpu : null;
      const p = run(m, live);
      if (!g) return p;
      try {
        await Promise.race([
          p,
          g.lost.then((loss) => {
            throw new DeviceLostError(loss);
          }),
        ]);
        return;
      } catch (e) {
        if (interrupted || isCancel(e)) throw e;
        // a run that failed because the device went away may reject before `lost` resolves
        let loss = g.loss;
        if (!loss && (looksLikeDeviceLoss(e) || /OrtRun|WebGPU|GPU/i.test(errorText(e)))) {
          loss = (await within(g.lost, this.hooks.lossGraceMs ?? 2000)) ?? (looksLikeDeviceLoss(e) ? { reason: 'unknown', message: errorText(e) } : null);
        }
        if (!loss) throw e;
        g.loss = loss;
        this.attemptSeq++;
        interrupted = true;
        disposeLater(m, p);
        signal.throwIfAborted();
      }
    }
  }
}
