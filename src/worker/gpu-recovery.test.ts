// GPU-loss recovery with fake devices and models: which model each attempt runs on, what the UI
// is told, which runs may still post, and what is freed.
import { describe, expect, it, vi } from 'vitest';
import type { Backend } from '../engine/runtime/backend';
import type { DeviceLoss } from '../engine/runtime/errors';
import { GpuRecovery, wasmFallbackReason, type RecoverableModel } from './gpu-recovery';
import { Cancelled, CurrentRun, isCancel } from './run-control';

class FakeDevice {
  private resolve!: (info: { reason?: string; message?: string }) => void;
  readonly lost = new Promise<{ reason?: string; message?: string }>((res) => (this.resolve = res));
  destroy(): void {
    this.resolve({ reason: 'destroyed', message: 'Device was destroyed.' });
  }
}

interface FakeModel extends RecoverableModel {
  name: string;
  disposed: number;
}

function fakeModel(name: string, backend: Backend): FakeModel {
  const m: FakeModel = {
    name,
    backend,
    disposed: 0,
    dispose: async () => {
      m.disposed++;
    },
  };
  return m;
}

/** a worker with one model loaded on `backend`; the WASM model it reloads to is `wasm` */
function setup(backend: Backend = 'webgpu') {
  let current: FakeModel | null = fakeModel(backend, backend);
  const first = current;
  const wasm = fakeModel('wasm-reloaded', 'wasm');
  const reloads: { loss: DeviceLoss; reason: string }[] = [];
  const during = { reload: () => {} };
  const recovery = new GpuRecovery<FakeModel>({
    model: () => current,
    reloadOnWasm: async (_id, loss, reason) => {
      during.reload();
      reloads.push({ loss, reason });
      current = wasm;
      return wasm;
    },
    lossGraceMs: 20,
  });
  const device = new FakeDevice();
  if (backend === 'webgpu') recovery.watch(device);
  return { recovery, device, first, wasm, reloads, during, unload: () => (current = null) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const never = () => new Promise<void>(() => {});

describe('GpuRecovery', () => {
  it('runs once on WASM, passing results and errors through', async () => {
    const { recovery, reloads } = setup('wasm');
    const ran: string[] = [];
    await recovery.run(1, new AbortController().signal, async (m, live) => {
      ran.push(m.name);
      expect(live()).toBe(true);
    });
    expect(ran).toEqual(['wasm']);
    await expect(recovery.run(2, new AbortController().signal, async () => Promise.reject(new Error('WebGPU said no')))).rejects.toThrow('WebGPU said no');
    expect(reloads).toEqual([]);
  });

  it('refuses a run before any model is loaded', async () => {
    const { recovery, unload } = setup();
    unload();
    await expect(recovery.run(1, new AbortController().signal, async () => {})).rejects.toThrow('No model is loaded yet.');
  });

  it('re-runs on WASM a run the lost device left hanging, and silences the abandoned one', async () => {
    const { recovery, device, first, wasm, reloads, during } = setup();
    const attempts: { name: string; live: () => boolean }[] = [];
    // the abandoned run is silent from the loss on, already while the model reloads
    let liveDuringReload: boolean | null = null;
    during.reload = () => (liveDuringReload = attempts[0].live());
    const done = recovery.run(7, new AbortController().signal, (m, live) => {
      attempts.push({ name: m.name, live });
      return m === first ? never() : Promise.resolve();
    });
    await tick();
    device.destroy();
    await done;
    expect(attempts.map((a) => a.name)).toEqual(['webgpu', 'wasm-reloaded']);
    expect(liveDuringReload).toBe(false);
    expect(attempts[0].live()).toBe(false);
    expect(attempts[1].live()).toBe(true);
    expect(reloads).toEqual([{ loss: { reason: 'destroyed', message: 'Device was destroyed.' }, reason: wasmFallbackReason({ reason: 'destroyed', message: 'Device was destroyed.' }, true) }]);
    expect(reloads[0].reason).toMatch(/re-ran the interrupted analysis/);
    // the hung run never settles, so its model is never freed under it
    expect(first.disposed).toBe(0);
    expect(wasm.disposed).toBe(0);
    expect(recovery.device).toBeNull();
  });

  it('frees the lost model once its interrupted run has settled', async () => {
    const { recovery, device, first } = setup();
    let fail!: (e: Error) => void;
    const done = recovery.run(1, new AbortController().signal, (m) => (m === first ? new Promise<void>((_, rej) => (fail = rej)) : Promise.resolve()));
    await tick();
    device.destroy();
    await done;
    expect(first.disposed).toBe(0);
    fail(new Error('mapAsync failed'));
    await tick();
    expect(first.disposed).toBe(1);
  });

  it('a device lost between requests: the next request loads on WASM first and says so without "re-ran"', async () => {
    const { recovery, device, first, reloads } = setup();
    device.destroy();
    await tick();
    const ran: string[] = [];
    await recovery.run(3, new AbortController().signal, async (m) => {
      ran.push(m.name);
    });
    expect(ran).toEqual(['wasm-reloaded']);
    expect(reloads.map((r) => r.reason)).toEqual([wasmFallbackReason({ reason: 'destroyed', message: 'Device was destroyed.' }, false)]);
    expect(reloads[0].reason).not.toMatch(/re-ran/);
    await tick();
    expect(first.disposed).toBe(1);
  });

  it('an error that is not about the GPU stays that error', async () => {
    const { recovery, reloads } = setup();
    await expect(recovery.run(1, new AbortController().signal, async () => Promise.reject(new Error('tokenizer exploded')))).rejects.toThrow('tokenizer exploded');
    // GPU words but no loss within the grace period: still the run's own error
    await expect(recovery.run(1, new AbortController().signal, async () => Promise.reject(new Error('WebGPU validation error')))).rejects.toThrow('WebGPU validation error');
    expect(reloads).toEqual([]);
  });

  it('a run that fails before `lost` arrives waits for it, then recovers', async () => {
    const { recovery, device, first, reloads } = setup();
    const ran: string[] = [];
    await recovery.run(1, new AbortController().signal, async (m) => {
      ran.push(m.name);
      if (m === first) {
        setTimeout(() => device.destroy(), 5);
        throw new Error('OrtRun failed: GPU buffer');
      }
    });
    expect(ran).toEqual(['webgpu', 'wasm-reloaded']);
    expect(reloads[0].loss.reason).toBe('destroyed');
  });

  it('an error that says the device is lost counts as a loss even when `lost` never comes', async () => {
    const { recovery, reloads } = setup();
    const ran: string[] = [];
    await recovery.run(1, new AbortController().signal, async (m) => {
      ran.push(m.name);
      if (m.backend === 'webgpu') throw new Error('WebGPU device lost during readback');
    });
    expect(ran).toEqual(['webgpu', 'wasm-reloaded']);
    expect(reloads[0].loss).toEqual({ reason: 'unknown', message: 'WebGPU device lost during readback' });
  });

  it('a cancel is never mistaken for a loss, and a loss after Cancel does not re-run', async () => {
    const { recovery, device, first, reloads } = setup();
    await expect(recovery.run(1, new AbortController().signal, async () => Promise.reject(new Cancelled()))).rejects.toBeInstanceOf(Cancelled);
    expect(reloads).toEqual([]);
    const ctl = new AbortController();
    const ran: string[] = [];
    const done = recovery.run(2, ctl.signal, (m) => {
      ran.push(m.name);
      return m === first ? never() : Promise.resolve();
    });
    await tick();
    ctl.abort(new Cancelled());
    device.destroy();
    await expect(done).rejects.toBeInstanceOf(Cancelled);
    expect(ran).toEqual(['webgpu']);
  });

  it('a failure of the re-run on WASM is the request\'s error', async () => {
    const { recovery, device, first } = setup();
    const done = recovery.run(1, new AbortController().signal, (m) => (m === first ? never() : Promise.reject(new Error('out of memory'))));
    await tick();
    device.destroy();
    await expect(done).rejects.toThrow('out of memory');
  });
});

describe('CurrentRun', () => {
  it('Cancel aborts the run in flight with a Cancelled reason, and only that run', async () => {
    const current = new CurrentRun();
    current.abort(); // nothing in flight: no effect on the next run
    let seen: AbortSignal | null = null;
    const run = current.run(async (signal) => {
      seen = signal;
      expect(signal.aborted).toBe(false);
      await tick();
      signal.throwIfAborted();
      return 'finished';
    });
    current.abort();
    const e = await run.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Cancelled);
    expect(isCancel(e)).toBe(true);
    expect(seen!.aborted).toBe(true);
    // the next run starts with a fresh signal; an abort after it ended changes nothing
    await expect(current.run(async (signal) => (signal.aborted ? 'aborted' : 'ok'))).resolves.toBe('ok');
    current.abort();
  });

  it('tells a cancel from other errors', () => {
    expect(isCancel(new Cancelled())).toBe(true);
    expect(isCancel(new DOMException('stop', 'AbortError'))).toBe(true);
    expect(isCancel(new Error('Cancelled.'))).toBe(false);
  });
});
