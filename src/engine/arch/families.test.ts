import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layerRope, ropeInvFreq, ropeTables, specFromConfig } from './families';
import { UnsupportedModelError } from './spec';

const cfg = (name: string) => JSON.parse(readFileSync(`fixtures/models/${name}/config.json`, 'utf8'));

describe('config.json -> ModelSpec', () => {
  it('names the supported families when model_type is unknown', () => {
    expect(() => specFromConfig({ model_type: 'gpt2' })).toThrow(UnsupportedModelError);
    expect(() => specFromConfig({ model_type: 'gpt2' })).toThrow(/llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3, phi3/);
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

describe('gemma, gemma2, gemma3, phi3', () => {
  it('gemma: sqrt(d) embedding scale, (1 + w) norms, GeGLU from hidden_activation, head_dim from config, tied', () => {
    const s = specFromConfig(cfg('gemma-bf16'));
    expect(s.family).toBe('gemma');
    expect(s.embedScale).toBe(8);
    expect(s.normPlusOne).toBe(true);
    expect(s.hiddenAct).toBe('gelu_tanh'); // hidden_act "gelu" is ignored, as transformers does
    expect(s.headDim).toBe(32);
    expect(s.numKvHeads).toBe(1);
    expect(s.tieWordEmbeddings).toBe(true);
    expect(s.sandwichNorms).toBe(false);
    expect(s.attnScale).toBeCloseTo(1 / Math.sqrt(32), 12);
    expect(s.layerWindows).toEqual([null, null, null]);
    // no hidden_activation at all -> gelu_pytorch_tanh
    const c = cfg('gemma-bf16');
    delete c.hidden_activation;
    expect(specFromConfig(c).hiddenAct).toBe('gelu_tanh');
    expect(specFromConfig({ ...cfg('gemma-bf16'), hidden_activation: 'gelu' }).hiddenAct).toBe('gelu');
  });

  it('gemma2: sandwich norms, query_pre_attn_scalar, soft-capping, sliding window on even layers', () => {
    const s = specFromConfig(cfg('gemma2-softcap-bf16'));
    expect(s.sandwichNorms).toBe(true);
    expect(s.attnScale).toBeCloseTo(24 ** -0.5, 12);
    expect(s.attnSoftcap).toBe(2);
    expect(s.finalSoftcap).toBe(3);
    expect(s.slidingWindow).toBe(4);
    expect(s.layerWindows).toEqual([4, null, 4, null]);
    expect(s.qkNorm).toBe(false);
    // config.layer_types wins over the even/odd rule; missing soft-capping keys take Gemma2Config's defaults
    const c = cfg('gemma2-softcap-bf16');
    c.layer_types = ['full_attention', 'sliding_attention', 'full_attention', 'sliding_attention'];
    delete c.attn_logit_softcapping;
    c.final_logit_softcapping = null;
    const s2 = specFromConfig(c);
    expect(s2.layerWindows).toEqual([null, 4, null, 4]);
    expect(s2.attnSoftcap).toBe(50);
    expect(s2.finalSoftcap).toBeNull();
  });

  it('gemma3: q/k norms, sliding pattern, local RoPE base for sliding layers, scaled global RoPE, no attention capping', () => {
    const s = specFromConfig(cfg('gemma3-text-bf16'));
    expect(s.family).toBe('gemma3');
    expect(s.modelType).toBe('gemma3_text');
    expect(s.qkNorm).toBe(true);
    expect(s.sandwichNorms).toBe(true);
    expect(s.layerWindows).toEqual([3, 3, null, 3]); // sliding_window_pattern 3: every third layer global
    expect(s.layerLocalRope).toEqual([true, true, false, true]);
    expect(s.attnSoftcap).toBeNull();
    expect(s.finalSoftcap).toBeNull();
    expect(s.attnScale).toBeCloseTo(32 ** -0.5, 12);
    const local = layerRope(s, 0);
    const global = layerRope(s, 2);
    expect(local.theta).toBe(10000);
    expect(global.theta).toBe(1e6);
    const plainGlobal = ropeTables(1e6, null, {}, 32).invFreq;
    for (let i = 0; i < 16; i++) expect(global.invFreq[i]).toBeCloseTo(plainGlobal[i] / 8, 12); // linear x8, global only
    expect(local.invFreq[1]).toBeCloseTo(Math.fround(1 / Math.fround(10000 ** Math.fround(2 / 32))), 12);
    // attn_logit_softcapping is ignored: Gemma3Attention never passes it to the attention function
    expect(specFromConfig({ ...cfg('gemma3-text-bf16'), attn_logit_softcapping: 50 }).attnSoftcap).toBeNull();
    // the real 1B/270m layout: 6-layer pattern without a layer_types list
    const s6 = specFromConfig({ ...cfg('gemma3-text-bf16'), num_hidden_layers: 12, sliding_window_pattern: 6 });
    expect(s6.layerWindows.map((w) => w !== null)).toEqual([true, true, true, true, true, false, true, true, true, true, true, false]);
  });

  it('gemma3: a multimodal config is read for its text_config, with Gemma3TextConfig defaults', () => {
    const s = specFromConfig({
      architectures: ['Gemma3ForConditionalGeneration'],
      model_type: 'gemma3',
      eos_token_id: [1, 106],
      text_config: { hidden_size: 2560, intermediate_size: 10240, model_type: 'gemma3_text', num_hidden_layers: 34, rope_scaling: { factor: 8.0, rope_type: 'linear' }, sliding_window: 1024 },
      vision_config: { model_type: 'siglip_vision_model' },
    });
    expect(s.family).toBe('gemma3');
    expect(s.hiddenSize).toBe(2560);
    expect(s.numHeads).toBe(8);
    expect(s.numKvHeads).toBe(4);
    expect(s.headDim).toBe(256);
    expect(s.vocabSize).toBe(262208);
    expect(s.eosTokenIds).toEqual([1, 106]);
    expect(s.attnScale).toBeCloseTo(1 / 16, 12);
    expect(s.layerWindows.filter((w) => w === null).length).toBe(5); // layers 5, 11, 17, 23, 29
    expect(s.embedScale).toBe(Math.fround(Math.sqrt(2560)));
    expect(() => specFromConfig({ model_type: 'gemma3' })).toThrow(/text_config/);
  });

  it('phi3: fused projections, partial rotary, longrope tables and attention factor, sliding window on every layer', () => {
    const c = cfg('phi3-fused-fp16');
    const s = specFromConfig(c);
    expect(s.fusedQkv).toBe(true);
    expect(s.fusedGateUp).toBe(true);
    expect(s.rope.dim).toBe(8); // head_dim 16 x 0.5
    expect(s.rope.invFreq.length).toBe(4);
    expect(s.layerWindows).toEqual([6, 6, 6]);
    expect(s.rope.attentionScaling).toBeCloseTo(Math.sqrt(1 + Math.log(64 / 8) / Math.log(8)), 12);
    expect(s.rope.long?.after).toBe(8);
    const base = ropeTables(c.rope_theta, null, c, 8).invFreq;
    c.rope_scaling.short_factor.forEach((f: number, i: number) => expect(s.rope.invFreq[i]).toBeCloseTo(base[i] / f, 7));
    c.rope_scaling.long_factor.forEach((f: number, i: number) => expect(s.rope.long!.invFreq[i]).toBeCloseTo(base[i] / f, 7));
    // "su" is the old name of longrope; wrong factor lengths are rejected clearly
    expect(specFromConfig({ ...c, rope_scaling: { ...c.rope_scaling, type: 'su' } }).rope.long).not.toBeNull();
    expect(() => specFromConfig({ ...c, rope_scaling: { type: 'longrope', short_factor: [1], long_factor: [1] } })).toThrow(/length 4/);
    // Phi-3-mini: no partial rotary, no scaling
    const mini = specFromConfig({ ...c, partial_rotary_factor: undefined, rope_scaling: null });
    expect(mini.rope.dim).toBe(16);
    expect(mini.rope.long).toBeNull();
    expect(mini.rope.attentionScaling).toBe(1);
  });

  it('rejects what it cannot run with a message naming it', () => {
    expect(() => specFromConfig({ ...cfg('gemma3-text-bf16'), use_bidirectional_attention: true })).toThrow(/bidirectional/);
    expect(() => specFromConfig({ ...cfg('gemma-bf16'), hidden_activation: 'relu' })).toThrow(/relu/);
    expect(() => specFromConfig({ ...cfg('llama-tied-fp32'), partial_rotary_factor: 0.5 })).toThrow(/partial_rotary_factor/);
    expect(() => specFromConfig({ ...cfg('llama-tied-fp32'), rope_scaling: { rope_type: 'yarn', factor: 4 } })).toThrow(/yarn/);
  });
});
