// Error classification against the messages onnxruntime-web 1.30 and the browser really gave.
// "Observed" strings were copied from runs on this machine (Chromium 156, WASM with 2 threads
// and SwiftShader WebGPU; the bad_alloc one also from the Node build); the V8 ones are
// provoked here, since Node's V8 words them exactly as Chromium does.
import { describe, expect, it } from 'vitest';
import { recordedConfig } from '../../../fixtures/random-checkpoint';
import { specFromConfig } from '../arch/families';
import { longestPromptWithin, workingSet } from '../arch/working-set';
import { DeviceLostError, describeDeviceLoss, looksLikeDeviceLoss, OutOfMemoryError, outOfMemoryKind, outOfMemoryMessage } from './errors';

/** observed: a 8015-token prompt on a 4-layer, 4-head fixture (attention maps 3.8 GiB) on the wasm EP */
const ORT_BAD_ALLOC = 'failed to call OrtRun(). ERROR_CODE: 6, ERROR_MESSAGE: std::bad_alloc';

/** observed: the runs interrupted by GPUDevice.destroy() in the middle of an analysis */
const ORT_AFTER_DESTROY_DOWNLOAD =
  "failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /mnt/azure_nvme_temp/_work/1/s/onnxruntime/core/providers/webgpu/buffer_manager.cc:643 void onnxruntime::webgpu::BufferManager::Download(WGPUBuffer, void *, size_t) const map_async_result.status == wgpu::MapAsyncStatus::Success was false. Failed to download data from buffer. wgpu::MapAsyncStatus value: 4, message: Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.";
const ORT_AFTER_DESTROY_REDUCE =
  'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /mnt/azure_nvme_temp/_work/1/s/onnxruntime/core/providers/webgpu/reduction/reduction_ops.h:94 Status onnxruntime::webgpu::ReduceKernel<>::CheckInput(const Tensor *) const [allow_multi_axes = true] input_tensor != nullptr && (input_tensor->Shape().Size() > 0 || allow_empty_input_) was false. Input tensor cannot be null or empty';
/** observed: GPUDeviceLostInfo after GPUDevice.destroy() */
const LOST_INFO = { reason: 'destroyed', message: 'Device was destroyed.' };

/** observed: the next run in the same (2-thread) WASM instance after the bad_alloc above */
const ORT_AFTER_OOM_RESHAPE =
  'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /mnt/azure_nvme_temp/_work/1/s/onnxruntime/core/providers/cpu/tensor/reshape_helper.h:35 onnxruntime::ReshapeHelper::ReshapeHelper(const TensorShape &, TensorShapeVector &, bool) i < input_shape.NumDimensions() was false. The dimension with value zero exceeds the dimension size of the input tensor.';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('outOfMemoryKind', () => {
  it('onnxruntime WASM bad_alloc -> the WebAssembly heap', () => {
    expect(outOfMemoryKind(new Error(ORT_BAD_ALLOC))).toBe('wasm');
  });

  it('WebAssembly memory growth past its maximum (provoked) -> the WebAssembly heap', () => {
    const e = thrown(() => new WebAssembly.Memory({ initial: 1, maximum: 2 }).grow(2));
    expect(String(e)).toMatch(/WebAssembly\.Memory\.grow\(\): Maximum memory size exceeded/);
    expect(outOfMemoryKind(e)).toBe('wasm');
  });

  it('an ArrayBuffer V8 cannot allocate (provoked) -> JavaScript memory', () => {
    const e = thrown(() => new ArrayBuffer(2 ** 40));
    expect(String(e)).toBe('RangeError: Array buffer allocation failed');
    expect(outOfMemoryKind(e)).toBe('js');
  });

  it('a typed array longer than V8 allows (provoked) -> JavaScript memory; a negative length is a bug, not memory', () => {
    const huge = thrown(() => new Float32Array(2 ** 40));
    expect(String(huge)).toMatch(/Invalid typed array length: 1099511627776/);
    expect(outOfMemoryKind(huge)).toBe('js');
    expect(outOfMemoryKind(thrown(() => new Float32Array(-1)))).toBeNull();
  });

  it('onnxruntime allocation failures from its sources (not provoked here) -> the right memory', () => {
    // ort.wasm.mjs copyFromExternalBuffer, and the strings of the 1.30 WASM / WebGPU binaries
    expect(outOfMemoryKind(new Error("Can't create a session. failed to allocate a buffer of size 123456789."))).toBe('wasm');
    expect(outOfMemoryKind(new Error('failed to call OrtRun(). ERROR_CODE: 6, ERROR_MESSAGE: Failed to allocate memory for requested buffer of size 1073741824'))).toBe('wasm');
    expect(outOfMemoryKind(new Error('failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: Failed to create GPU buffer: size=1073741824'))).toBe('gpu');
    // the WebGPU spec's error type (what an 'out-of-memory' error scope yields)
    expect(outOfMemoryKind({ name: 'GPUOutOfMemoryError', message: 'Out of memory' })).toBe('gpu');
  });

  it('the typed error keeps its kind', () => {
    expect(outOfMemoryKind(new OutOfMemoryError('x', 'gpu'))).toBe('gpu');
  });

  it('other failures are not out of memory', () => {
    for (const m of [
      ORT_AFTER_DESTROY_DOWNLOAD,
      ORT_AFTER_DESTROY_REDUCE,
      ORT_AFTER_OOM_RESHAPE,
      'The prompt has 120 tokens; this model accepts at most 64.',
      'xlens-fixtures/no-such-model: config.json was not found (HTTP 404). Check the repo id and revision.',
      'Cancelled',
    ]) {
      expect(outOfMemoryKind(new Error(m)), m).toBeNull();
    }
    expect(outOfMemoryKind(new DeviceLostError(LOST_INFO))).toBeNull();
  });
});

describe('device loss', () => {
  it('recognises the failed buffer download of a run whose device was destroyed', () => {
    expect(looksLikeDeviceLoss(new Error(ORT_AFTER_DESTROY_DOWNLOAD))).toBe(true);
    expect(looksLikeDeviceLoss(new DeviceLostError(LOST_INFO))).toBe(true);
  });

  it('does not call an out-of-memory or an ordinary failure a device loss', () => {
    // the Reduce failure gives no hint by itself: the worker waits for device.lost on any OrtRun failure
    for (const m of [ORT_BAD_ALLOC, ORT_AFTER_OOM_RESHAPE, ORT_AFTER_DESTROY_REDUCE, 'The prompt has 120 tokens; this model accepts at most 64.']) {
      expect(looksLikeDeviceLoss(new Error(m)), m).toBe(false);
    }
  });

  it('describes the loss with the browser reason and message', () => {
    expect(describeDeviceLoss(LOST_INFO)).toBe('reason "destroyed": Device was destroyed.');
    expect(describeDeviceLoss({ reason: 'unknown', message: '' })).toBe('reason "unknown"');
    expect(new DeviceLostError(LOST_INFO).message).toBe('the GPU device was lost (reason "destroyed": Device was destroyed.)');
  });
});

describe('outOfMemoryMessage', () => {
  const base = { memory: 'wasm' as const, modelId: 'xlens-fixtures/gemma3-text-bf16', backend: 'wasm' as const, detail: ORT_BAD_ALLOC };

  it('says what ran out, for which model and prompt, what the stage needs at that length, and what to try', () => {
    const spec = specFromConfig(recordedConfig('Qwen/Qwen2.5-0.5B-Instruct'));
    const m = outOfMemoryMessage({ ...base, stage: 'relevance', tokens: 8000, numLayers: spec.numLayers, numHeads: spec.numHeads, spec });
    expect(m).toMatch(/^Out of memory while computing relevance \(AttnLRP\) of xlens-fixtures\/gemma3-text-bf16 for a prompt of 8000 tokens on WASM/);
    expect(m).toContain('WebAssembly memory');
    const ws = workingSet(spec, 8000);
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    expect(m).toContain(`needs about ${gib(ws.relevance)} next to the model's weights`);
    const fits = longestPromptWithin(spec, 2 ** 30);
    expect(workingSet(spec, fits).peak).toBeLessThanOrEqual(2 ** 30);
    expect(workingSet(spec, fits + 32).peak).toBeGreaterThan(2 ** 30);
    expect(m).toContain(`a shorter prompt (under about ${Math.floor(fits / 100) * 100} tokens needs at most the 1.0 GiB left beside the weights)`);
    expect(m).toContain('a smaller model');
    expect(m).not.toContain('knockout');
    expect(m).toContain(ORT_BAD_ALLOC);
  });

  it('suggests turning the knockout sweep off when it was running, and WASM after a GPU failure', () => {
    const ko = outOfMemoryMessage({ ...base, stage: 'knockout', tokens: 500, numLayers: 4, numHeads: 4 });
    expect(ko).toContain('turning the knockout sweep off');
    expect(ko).not.toContain('WASM backend');
    const gpu = outOfMemoryMessage({ ...base, memory: 'gpu', backend: 'webgpu', stage: 'forward', tokens: 500, numLayers: 4, numHeads: 4 });
    expect(gpu).toContain('on WebGPU: the GPU could not allocate a buffer');
    expect(gpu).toContain('the WASM backend');
  });

  it('a failure while opening the model names no prompt', () => {
    const m = outOfMemoryMessage({ ...base, stage: 'load', tokens: 100 });
    expect(m).toMatch(/^Out of memory while loading xlens-fixtures\/gemma3-text-bf16 on WASM/);
    expect(m).not.toContain('prompt');
    expect(m).toContain('Try a smaller model.');
  });
});
