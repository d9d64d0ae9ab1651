import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ropeInvFreq, specFromConfig } from './families';
import { UnsupportedModelError } from './spec';

const cfg = (name: string) => JSON.parse(readFileSync(`fixtures/models/${name}/config.json`, 'utf8'));

describe('config.json -> ModelSpec', () => {
  it('names the supported families when model_type is unknown', () => {
    expect(() => specFromConfig({ model_type: 'gpt2' })).toThrow(UnsupportedModelError);
    expect(() => specFromConfig({ model_type: 'gpt2' })).toThrow(/llama, mistral, qwen2, qwen3/);
    expect(() => specFromConfig({})).toThrow(/\(missing\)/);
  });

  it('reads family differences', () => {
    const q3 = specFromConfig(cfg('qwen3-qknorm-bf16'));
    expect(q3.qkNorm).toBe(true);
    expect(q3.headDim).toBe(32);
    expect(q3.hiddenSize).toBe(64);
    const q2 = specFromConfig(cfg('qwen2-bias-bf16'));
    expect(q2.attentionBias).toBe(true);
    expect(q2.oBias).toBe(false);
    expect(q2.slidingWindow).toBeNull(); // use_sliding_window false
    expect(specFromConfig(cfg('mistral-swa-bf16')).slidingWindow).toBe(4);
    expect(specFromConfig(cfg('llama-tied-fp32')).tieWordEmbeddings).toBe(true);
  });

  it('applies llama3 rope scaling: long wavelengths divided by factor, short ones kept, the middle smoothed', () => {
    const c = cfg('llama-llama3rope-bf16');
    const scaled = ropeInvFreq(c, 16).invFreq;
    const plain = ropeInvFreq({ ...c, rope_scaling: null }, 16).invFreq;
    const factor = c.rope_scaling.factor;
    let kept = 0;
    let divided = 0;
    let smoothed = 0;
    for (let i = 0; i < 8; i++) {
      if (Math.abs(scaled[i] - plain[i]) < 1e-12) kept++;
      else if (Math.abs(scaled[i] - plain[i] / factor) / scaled[i] < 1e-6) divided++;
      else {
        smoothed++;
        expect(scaled[i]).toBeLessThan(plain[i]);
        expect(scaled[i]).toBeGreaterThan(plain[i] / factor);
      }
    }
    expect(kept).toBeGreaterThan(0);
    expect(divided).toBeGreaterThan(0);
    expect(smoothed).toBeGreaterThan(0);
  });

  it('rejects unknown rope scaling types clearly', () => {
    expect(() => specFromConfig({ ...cfg('llama-tied-fp32'), rope_scaling: { rope_type: 'longrope' } })).toThrow(/longrope/);
  });
});
