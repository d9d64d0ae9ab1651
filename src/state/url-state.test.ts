import { describe, expect, it } from 'vitest';
import { defaultPageState, type PageState } from './page-state';
import { decodeUrl, encodeUrl, normaliseHubBase } from './url-state';

describe('URL <-> PageState', () => {
  it('round-trips every field', () => {
    const s: PageState = {
      ...defaultPageState(),
      tab: 'compare',
      model: { kind: 'hub', repo: 'xlens-fixtures/qwen2-bias-bf16', hub: 'http://127.0.0.1:4174' },
      backend: 'wasm',
      weights: 'int8',
      contextLang: 'ar',
      questionLang: 'zh',
      example: null,
      custom: { context: 'مرحبا Lisbon & co', question: 'Where? #1', answer: 'Lisbon' },
      template: 'chat',
      analyses: { knockout: false, relevance: true, window: 3 },
      view: { lensMetric: 'rank', head: 2, segmentChart: 'lines', pinnedLayer: 4, pinnedToken: 17 },
      compare: { model: { kind: 'bundled', name: 'xlens-tiny-instruct' }, diff: true },
      matrix: { contextLangs: ['de', 'th'], questionLangs: ['en'], depths: false },
      lessonStep: 2,
    };
    const q = encodeUrl(s, { hubBase: 'http://127.0.0.1:4174', debug: true, maxNewTokens: 4 });
    const d = decodeUrl(q);
    expect(d.errors).toEqual([]);
    expect(d.state).toEqual(s);
    expect(d.runtime).toEqual({ hubBase: 'http://127.0.0.1:4174', debug: true, maxNewTokens: 4 });
  });

  it('reads ?weights= and reports a bad value', () => {
    expect(decodeUrl('?weights=int8').state.weights).toBe('int8');
    expect(decodeUrl('?weights=fp16')).toMatchObject({ state: { weights: 'fp16' }, errors: [] });
    expect(encodeUrl({ ...defaultPageState(), weights: 'fp16' })).toContain('&weights=fp16');
    expect(encodeUrl({ ...defaultPageState(), weights: 'fp32' })).toContain('&weights=fp32');
    const d = decodeUrl('?weights=int4');
    expect(d.state.weights).toBe('auto');
    expect(d.errors.join('\n')).toMatch(/Ignored \?weights="int4".*Use auto, fp32, int8 or fp16\./);
    expect(decodeUrl('?weights=bf16').state.weights).toBe('auto');
  });

  it('keeps the default page short and readable', () => {
    const s = { ...defaultPageState(), example: 'bakery-owner' };
    expect(encodeUrl(s)).toBe('?model=xlens-tiny-instruct&cl=en&ql=en&ex=bakery-owner');
    expect(decodeUrl(encodeUrl(s)).state).toEqual(s);
  });

  it('reads a fixture model from a local hub the way the tests write it', () => {
    const d = decodeUrl('?hub=http://127.0.0.1:4174/&model=xlens-fixtures/llama-tied-fp32&backend=wasm&debug=1&gen=4');
    expect(d.errors).toEqual([]);
    expect(d.state.model).toEqual({ kind: 'hub', repo: 'xlens-fixtures/llama-tied-fp32', hub: 'http://127.0.0.1:4174' });
    expect(d.runtime).toEqual({ hubBase: 'http://127.0.0.1:4174', debug: true, maxNewTokens: 4 });
    expect(decodeUrl('?model=xlens-tiny-base').state.model).toEqual({ kind: 'bundled', name: 'xlens-tiny-base' });
  });

  it('ignores each bad parameter with a message naming it, and keeps the rest', () => {
    const d = decodeUrl('?hub=javascript:alert(1)&model=a/../b&backend=cuda&cl=xx&ql=zh&ko=yes&pl=-1&mcl=ar,ar&gen=1000&tab=<b>');
    expect(d.state.questionLang).toBe('zh');
    expect(d.state.contextLang).toBe('en');
    expect(d.state.model).toEqual(defaultPageState().model);
    expect(d.state.backend).toBe('auto');
    for (const p of ['hub', 'model', 'backend', 'cl', 'ko', 'pl', 'mcl', 'gen', 'tab']) expect(d.errors.join('\n')).toContain(`?${p}=`);
    expect(d.errors).toHaveLength(9);
  });

  it('rejects over-long custom text', () => {
    const d = decodeUrl(`?ctx=${'a'.repeat(5000)}&q=b&ans=a`);
    expect(d.state.custom).toBeNull();
    expect(d.errors[0]).toMatch(/\?ctx=.*custom/);
  });

  it('normalises hub base URLs', () => {
    expect(normaliseHubBase('https://huggingface.co/')).toBe('https://huggingface.co');
    expect(normaliseHubBase('ftp://x')).toBeNull();
    expect(normaliseHubBase('https://x.org/?a=1')).toBeNull();
  });
});
