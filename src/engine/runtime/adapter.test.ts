// What xlens learns about the WebGPU adapter before it builds a graph (session.ts), and the reason
// fp16 weights cannot run, in the words the page shows.
import { afterEach, describe, expect, it } from 'vitest';
import { fp16Unavailable, webgpuAdapterInfo, webgpuAvailable } from './session';

const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
afterEach(() => {
  if (saved) Object.defineProperty(globalThis, 'navigator', saved);
  else delete (globalThis as { navigator?: unknown }).navigator;
});
const setGpu = (gpu: unknown) => Object.defineProperty(globalThis, 'navigator', { value: gpu === undefined ? {} : { gpu }, configurable: true, writable: true });

describe('webgpuAdapterInfo', () => {
  it('asks for the adapter once per navigator.gpu and keeps its features', async () => {
    let calls = 0;
    setGpu({ requestAdapter: async () => (calls++, { features: new Set(['shader-f16', 'subgroups']) }) });
    const a = await webgpuAdapterInfo();
    const b = await webgpuAdapterInfo();
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect([a.missing, [...a.features].sort()]).toEqual([null, ['shader-f16', 'subgroups']]);
    expect(await webgpuAvailable()).toBeNull();
    // a new navigator.gpu (another worker or page) asks again
    setGpu({ requestAdapter: async () => (calls++, { features: new Set() }) });
    expect((await webgpuAdapterInfo()).features.size).toBe(0);
    expect(calls).toBe(2);
  });

  it('says why WebGPU is missing: no navigator.gpu, no adapter, a failed request (also a synchronous throw)', async () => {
    setGpu(undefined);
    expect(await webgpuAvailable()).toBe('this browser has no WebGPU (navigator.gpu is missing)');
    setGpu({ requestAdapter: async () => null });
    expect(await webgpuAdapterInfo()).toEqual({ missing: 'WebGPU is present but no adapter is available', features: new Set() });
    setGpu({ requestAdapter: async () => Promise.reject(new Error('blocked')) });
    expect(await webgpuAvailable()).toBe('WebGPU adapter request failed: blocked');
    setGpu({
      requestAdapter: () => {
        throw new Error('not allowed');
      },
    });
    expect(await webgpuAvailable()).toBe('WebGPU adapter request failed: not allowed');
  });
});

describe('fp16Unavailable', () => {
  const withF16 = { missing: null, features: new Set(['shader-f16']) };
  const without = { missing: null, features: new Set(['timestamp-query']) };
  it('null only on WebGPU (or auto) with shader-f16', () => {
    expect(fp16Unavailable('auto', withF16)).toBeNull();
    expect(fp16Unavailable('webgpu', withF16)).toBeNull();
    expect(fp16Unavailable('wasm', withF16)).toBe('fp16 weights run on WebGPU only, and the backend is WASM');
    expect(fp16Unavailable('wasm', null)).toBe('fp16 weights run on WebGPU only, and the backend is WASM');
    expect(fp16Unavailable('auto', without)).toBe('fp16 weights need the WebGPU feature shader-f16, which this adapter lacks');
    expect(fp16Unavailable('webgpu', { missing: 'WebGPU is present but no adapter is available', features: new Set() })).toBe(
      'fp16 weights need WebGPU: WebGPU is present but no adapter is available',
    );
  });
});
