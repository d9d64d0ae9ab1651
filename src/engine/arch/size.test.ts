// Memory estimates (size.ts) against what the graphs actually hold, and the weight-format choice.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildForwardGraph } from '../graph/forward';
import { Checkpoint } from '../weights/checkpoint';
import { specFromConfig } from './families';
import { chooseWeightFormat, estimateMemory, WASM_WEIGHT_BUDGET } from './size';

const hubSpec = (repo: string) => specFromConfig(JSON.parse(readFileSync(`fixtures/hub-configs/${repo}/config.json`, 'utf8')));

describe('estimateMemory counts the weight bytes the graph holds', () => {
  for (const name of readdirSync('fixtures/models')) {
    it(name, () => {
      const dir = `fixtures/models/${name}`;
      const spec = specFromConfig(JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')));
      const ckpt = Checkpoint.fromBuffers([{ name: 'model.safetensors', bytes: new Uint8Array(readFileSync(`${dir}/model.safetensors`)) }]);
      const est = estimateMemory(spec);
      // initializers that hold checkpoint tensors: the tensor itself, gemma's (1 + w) norms, int8 + scales
      const weightBytes = (format: 'fp32' | 'int8') =>
        buildForwardGraph(spec, ckpt, { taps: false, knockout: false, logits: 'last', kvCache: 'none', weightFormat: format })
          .initializers.filter((t) => ckpt.has(t.name.replace(/(#q|#scale|\+1)$/, '')))
          .reduce((a, t) => a + t.data.byteLength, 0);
      expect(weightBytes('fp32')).toBe(est.fp32Bytes);
      expect(weightBytes('int8')).toBe(est.int8Bytes);
      expect(est.int8Bytes).toBeLessThan(est.fp32Bytes / 2);
    });
  }
});

describe('weight format choice', () => {
  it('auto: fp32 when it fits, int8 when only int8 fits, none when neither does', () => {
    const small = estimateMemory(hubSpec('Qwen/Qwen2.5-0.5B-Instruct'));
    const llama1b = estimateMemory(hubSpec('unsloth/Llama-3.2-1B-Instruct'));
    const qwen4b = estimateMemory(hubSpec('Qwen/Qwen3-4B'));
    expect([small.fitsWasm, small.fitsWasmInt8]).toEqual([true, true]);
    expect([llama1b.fitsWasm, llama1b.fitsWasmInt8]).toEqual([false, true]);
    expect([qwen4b.fitsWasm, qwen4b.fitsWasmInt8]).toEqual([false, false]);
    expect(chooseWeightFormat(small)).toBe('fp32');
    expect(chooseWeightFormat(llama1b, 'auto')).toBe('int8');
    expect(chooseWeightFormat(qwen4b)).toBeNull();
  });

  it('an explicit format is kept when it fits and refused when it does not', () => {
    const small = estimateMemory(hubSpec('Qwen/Qwen2.5-0.5B-Instruct'));
    const llama1b = estimateMemory(hubSpec('unsloth/Llama-3.2-1B-Instruct'));
    expect(chooseWeightFormat(small, 'int8')).toBe('int8');
    expect(chooseWeightFormat(small, 'fp32')).toBe('fp32');
    expect(chooseWeightFormat(llama1b, 'fp32')).toBeNull();
    expect(chooseWeightFormat(llama1b, 'int8')).toBe('int8');
  });

  it('int8 bytes: 1 per element of a 2-D weight, 4 per row scale, fp32 for the rest; the unembedding dequantised while running', () => {
    const s = hubSpec('unsloth/Llama-3.2-1B-Instruct'); // tied, no biases
    const e = estimateMemory(s);
    const { hiddenSize: d, intermediateSize: I, vocabSize: V, numLayers: L, numHeads: H, numKvHeads: KVH, headDim: hd } = s;
    const matrix = V * d + L * ((H + 2 * KVH) * hd * d + H * hd * d + 3 * I * d);
    const rows = V + L * ((H + 2 * KVH) * hd + d + 2 * I + d);
    const norms = L * 2 * d + d;
    expect(e.params).toBe(matrix + norms);
    expect(e.int8Bytes).toBe(matrix + 4 * rows + 4 * norms);
    expect(e.dequantBytes).toBe(4 * (V * d + 2 * I * d));
    expect(e.fitsWasmInt8).toBe(e.int8Bytes + e.dequantBytes + e.activationBytes <= WASM_WEIGHT_BUDGET);
  });
});
