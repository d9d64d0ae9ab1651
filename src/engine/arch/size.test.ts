// Memory estimates (size.ts) against what the graphs actually hold, and the weight-format choice.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildForwardGraph } from '../graph/forward';
import { Checkpoint } from '../weights/checkpoint';
import { specFromConfig } from './families';
import { autoAllowsFp16, chooseWeightFormat, estimateMemory, heldBytes, MIN_PROMPT_TOKENS, PLANNED_PROMPT_TOKENS, promptMemory, promptMemoryMessage, SESSION_OVERHEAD_BYTES, WASM_HEAP_BYTES } from './size';
import { KNOCKOUT_BATCH, KNOCKOUT_KV_BYTES, knockoutBatch, workingSet } from './working-set';

const hubSpec = (repo: string) => specFromConfig(JSON.parse(readFileSync(`fixtures/hub-configs/${repo}/config.json`, 'utf8')));

describe('estimateMemory counts the weight bytes the graph holds', () => {
  for (const name of readdirSync('fixtures/models')) {
    it(name, () => {
      const dir = `fixtures/models/${name}`;
      const spec = specFromConfig(JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')));
      const ckpt = Checkpoint.fromBuffers([{ name: 'model.safetensors', bytes: new Uint8Array(readFileSync(`${dir}/model.safetensors`)) }]);
      const est = estimateMemory(spec);
      // initializers that hold checkpoint tensors: the tensor itself, gemma's (1 + w) norms, int8 + scales, fp16
      const weightBytes = (format: 'fp32' | 'int8' | 'fp16') =>
        buildForwardGraph(spec, ckpt, { taps: false, knockout: false, logits: 'last', kvCache: 'none', weightFormat: format })
          .initializers.filter((t) => ckpt.has(t.name.replace(/(#qt|#scale|#f16|\+1)$/, '')))
          .reduce((a, t) => a + t.data.byteLength, 0);
      expect(weightBytes('fp32')).toBe(est.fp32Bytes);
      expect(weightBytes('int8')).toBe(est.int8Bytes);
      expect(weightBytes('fp16')).toBe(est.fp16Bytes);
      expect(est.int8Bytes).toBeLessThan(est.fp32Bytes / 2);
      expect(est.fp16Bytes).toBeLessThan(est.fp32Bytes * 0.52);
      expect(est.fp16Bytes).toBeGreaterThan(est.fp32Bytes / 2);
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

  it('fp16 (only where it can run): auto picks it when it fits, else fp32 / int8 as without it; asked for, it is kept or refused by size', () => {
    const small = estimateMemory(hubSpec('Qwen/Qwen2.5-0.5B-Instruct'));
    const llama1b = estimateMemory(hubSpec('unsloth/Llama-3.2-1B-Instruct'));
    const qwen4b = estimateMemory(hubSpec('Qwen/Qwen3-4B'));
    expect([small.fitsWasmFp16, llama1b.fitsWasmFp16, qwen4b.fitsWasmFp16]).toEqual([true, true, false]);
    expect(chooseWeightFormat(small, 'auto', true)).toBe('fp16');
    expect(chooseWeightFormat(llama1b, 'auto', true)).toBe('fp16'); // 2.3 GiB as fp16: no need for int8
    expect(chooseWeightFormat(qwen4b, 'auto', true)).toBeNull(); // 7.5 GiB as fp16, 3.9 GiB as int8 (+ activations: more than 3 GiB)
    expect(chooseWeightFormat(small, 'fp16', true)).toBe('fp16');
    expect(chooseWeightFormat(qwen4b, 'fp16', true)).toBeNull();
    // where fp16 cannot run (the caller falls back and says why)
    expect(chooseWeightFormat(small, 'fp16', false)).toBeNull();
    expect(chooseWeightFormat(small, 'auto', false)).toBe('fp32');
    expect(chooseWeightFormat(llama1b, 'auto', false)).toBe('int8');
    // explicit fp32 / int8 are not changed by fp16 being possible
    expect(chooseWeightFormat(small, 'fp32', true)).toBe('fp32');
    expect(chooseWeightFormat(small, 'int8', true)).toBe('int8');
  });

  it('fp16 bytes: 2 per element of a 2-D weight, fp32 for the rest', () => {
    const s = hubSpec('Qwen/Qwen2.5-0.5B-Instruct'); // tied, q/k/v biases
    const e = estimateMemory(s);
    const { hiddenSize: d, intermediateSize: I, vocabSize: V, numLayers: L, numHeads: H, numKvHeads: KVH, headDim: hd } = s;
    const matrix = V * d + L * ((H + 2 * KVH) * hd * d + H * hd * d + 3 * I * d);
    const other = L * ((H + 2 * KVH) * hd + 2 * d) + d;
    expect(e.params).toBe(matrix + other);
    expect(e.fp16Bytes).toBe(2 * matrix + 4 * other);
    expect(e.tokens).toBe(PLANNED_PROMPT_TOKENS);
    expect(e.activationBytes).toBe(workingSet(s, PLANNED_PROMPT_TOKENS).peak);
    expect(e.fitsWasmFp16).toBe(e.fp16Bytes + SESSION_OVERHEAD_BYTES + e.activationBytes <= WASM_HEAP_BYTES);
  });

  it('int8 bytes: 1 per element of a 2-D weight, 4 per row scale, fp32 for the rest; one layer\'s gate and up dequantised (relevance), an int32 accumulator of one lens block', () => {
    const s = hubSpec('unsloth/Llama-3.2-1B-Instruct'); // tied, no biases
    const e = estimateMemory(s);
    const { hiddenSize: d, intermediateSize: I, vocabSize: V, numLayers: L, numHeads: H, numKvHeads: KVH, headDim: hd } = s;
    const matrix = V * d + L * ((H + 2 * KVH) * hd * d + H * hd * d + 3 * I * d);
    const rows = V + L * ((H + 2 * KVH) * hd + d + 2 * I + d);
    const norms = L * 2 * d + d;
    expect(e.params).toBe(matrix + norms);
    expect(e.int8Bytes).toBe(matrix + 4 * rows + 4 * norms);
    expect(e.dequantBytes).toBe(4 * 2 * I * d);
    // the lens's working-set cap (64 MiB), or [T, V] when smaller
    expect(e.int8AccumulatorBytes).toBe(64 * 2 ** 20);
    expect(estimateMemory(s, 16).int8AccumulatorBytes).toBe(4 * 16 * V);
    expect(e.fitsWasmInt8).toBe(e.int8Bytes + e.dequantBytes + e.int8AccumulatorBytes + SESSION_OVERHEAD_BYTES + e.activationBytes <= WASM_HEAP_BYTES);
    expect(heldBytes(e, 'int8')).toBe(e.int8Bytes + e.dequantBytes + e.int8AccumulatorBytes + SESSION_OVERHEAD_BYTES);
  });
});

describe('the working set decides: auto never picks a format that dies at the length it plans for, and a prompt that would not fit is refused with numbers', () => {
  // a made-up 1B model (Qwen2.5-1.5B's widths, 16 layers) whose fp32 weights fit the heap with a short prompt but not with a 1024-token analysis
  const base = hubSpec('Qwen/Qwen2.5-0.5B-Instruct');
  const edge = { ...base, numLayers: 16, hiddenSize: 1536, intermediateSize: 8960, numHeads: 12, numKvHeads: 2, headDim: 128 };

  it('the fp32 weights alone fit, the working set of a 1024-token analysis does not: auto loads int8, fp32 asked for is kept', () => {
    const est = estimateMemory(edge);
    const short = estimateMemory(edge, MIN_PROMPT_TOKENS);
    expect(est.fp32Bytes + SESSION_OVERHEAD_BYTES).toBeLessThan(WASM_HEAP_BYTES);
    expect([short.fitsWasm, est.fitsWasm, est.fitsWasmInt8]).toEqual([true, false, true]);
    expect(chooseWeightFormat(est, 'auto', false, short)).toBe('int8');
    expect(chooseWeightFormat(est, 'fp32', false, short)).toBe('fp32');
  });

  it('the refusal: the working set at this length, the room beside the weights, the longest prompt that fits', () => {
    const m = promptMemory(edge, 'fp32', 1024);
    expect(m.fits).toBe(false);
    expect(m.needBytes).toBe(workingSet(edge, 1024).peak);
    expect(m.roomBytes).toBe(WASM_HEAP_BYTES - heldBytes(estimateMemory(edge), 'fp32'));
    expect(m.longest).toBeGreaterThanOrEqual(MIN_PROMPT_TOKENS);
    expect(m.longest).toBeLessThan(1024);
    // the longest prompt it names fits, 64 tokens more do not
    expect(promptMemory(edge, 'fp32', m.longest).fits).toBe(true);
    expect(promptMemory(edge, 'fp32', m.longest + 64).fits).toBe(false);
    const text = promptMemoryMessage(1024, 'fp32', m);
    expect(text).toContain('1024 tokens');
    expect(text).toContain(`${Math.round(m.needBytes / 2 ** 20)} MiB`);
    expect(text).toContain(`about ${m.longest} tokens fit`);
    expect(text).toContain('int8');
    // int8 holds the same prompt
    expect(promptMemory(edge, 'int8', 1024).fits).toBe(true);
  });

  it('the curated real models hold an XQuAD-length prompt (1024 tokens) in the format auto picks', () => {
    for (const repo of ['Qwen/Qwen2.5-0.5B-Instruct', 'unsloth/Llama-3.2-1B-Instruct']) {
      const s = hubSpec(repo);
      const f = chooseWeightFormat(estimateMemory(s), 'auto', false, estimateMemory(s, MIN_PROMPT_TOKENS))!;
      expect(promptMemory(s, f, 1024).fits, repo).toBe(true);
    }
  });
});

describe('knockout batches stay within their copy budget on long prompts', () => {
  it('8 windows per batch on short prompts, fewer when the batch copies of the keys and values would pass 128 MiB', () => {
    for (const repo of ['Qwen/Qwen2.5-0.5B-Instruct', 'HuggingFaceTB/SmolLM2-360M-Instruct', 'unsloth/Llama-3.2-1B-Instruct']) {
      const s = hubSpec(repo);
      const kvBytes = (T: number) => 4 * 2 * s.numLayers * s.numKvHeads * T * s.headDim;
      expect(knockoutBatch(s, 64), repo).toBe(KNOCKOUT_BATCH);
      for (const T of [256, 512, 1024, 4096]) {
        const b = knockoutBatch(s, T);
        expect(b).toBeGreaterThanOrEqual(1);
        // within the budget, or a single window (the least a sweep can run)
        expect(b === 1 || 2 * b * kvBytes(T) <= KNOCKOUT_KV_BYTES, `${repo} T=${T}`).toBe(true);
        // and not smaller than it needs to be
        if (b < KNOCKOUT_BATCH) expect(2 * (b + 1) * kvBytes(T)).toBeGreaterThan(KNOCKOUT_KV_BYTES);
      }
    }
    // Qwen2.5-0.5B at 1024 tokens: 24 MiB of keys and values, 2 windows per batch
    expect(knockoutBatch(hubSpec('Qwen/Qwen2.5-0.5B-Instruct'), 1024)).toBe(2);
  });
});

describe('autoAllowsFp16', () => {
  it('keeps every gemma family off fp16 under auto, and allows the others', () => {
    const families = readdirSync('fixtures/models').map((n) => specFromConfig(JSON.parse(readFileSync(`fixtures/models/${n}/config.json`, 'utf8'))).family);
    expect(families.filter((f) => !autoAllowsFp16(f)).sort()).toEqual(['gemma', 'gemma2', 'gemma3']);
    expect(autoAllowsFp16('qwen2') && autoAllowsFp16('llama') && autoAllowsFp16('phi3')).toBe(true);
  });
});
