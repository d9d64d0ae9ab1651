import { describe, expect, it } from 'vitest';
import { defaultPageState, type PageState } from './page-state';
import { HUB_URLS } from '../../test/state/result-generators';
import { decodeUrl, encodeUrl } from './url-state';

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
      example: 'bakery-owner',
      custom: null,
      template: 'chat',
      analyses: { knockout: false, relevance: true, window: 3 },
      view: { lensMetric: 'rank', head: 2, segmentChart: 'lines', pinnedLayer: 4, pinnedToken: 17 },
      compare: { model: { kind: 'bundled', name: 'xlens-tiny-instruct' }, diff: true },
      matrix: { contextLangs: ['de', 'th'], questionLangs: ['en'], depths: false },
      lessonStep: 2,
    };
    const q = encodeUrl(s, { hubBase: 'http://127.0.0.1:4174', debug: true, maxNewTokens: 4 });
    const d = decodeUrl(q, { pageOrigin: 'http://127.0.0.1:4173' });
    expect(d.errors).toEqual([]);
    expect(d.state).toEqual(s);
    // custom text never goes into the query (permalink.ts puts it in the fragment)
    expect(encodeUrl({ ...s, example: null, custom: { context: 'مرحبا Lisbon', question: 'Where?', answer: 'Lisbon' } })).not.toMatch(/ctx=|[?&]q=|ans=|Lisbon/);
    expect(d.runtime).toEqual({ hubBase: 'http://127.0.0.1:4174', debug: true, maxNewTokens: 4 });
  });

  it('reads ?weights= and reports a bad value', () => {
    expect(decodeUrl('?weights=int8').state.weights).toBe('int8');
    expect(decodeUrl('?weights=fp16')).toMatchObject({ state: { weights: 'fp16' }, errors: [] });
    expect(encodeUrl({ ...defaultPageState(), weights: 'fp16' })).toContain('&weights=fp16');
    expect(encodeUrl({ ...defaultPageState(), weights: 'fp32' })).toContain('&weights=fp32');
    const d = decodeUrl('?weights=int4');
    expect(d.state.weights).toBe('auto');
    expect(d.errors.join('\n')).toMatch(/Ignored weights=\u2068"int4"\u2069 \(weight format\): use auto, fp32, int8 or fp16\./);
    expect(decodeUrl('?weights=bf16').state.weights).toBe('auto');
  });

  it('keeps the default page short and readable', () => {
    const s = { ...defaultPageState(), example: 'bakery-owner' };
    expect(encodeUrl(s)).toBe('?model=xlens-tiny-instruct&cl=en&ql=en&ex=bakery-owner');
    expect(decodeUrl(encodeUrl(s)).state).toEqual(s);
  });

  it('reads a fixture model from a local hub the way the tests write it', () => {
    const d = decodeUrl('?hub=http://127.0.0.1:4174/&model=xlens-fixtures/llama-tied-fp32&backend=wasm&debug=1&gen=4', { pageOrigin: 'http://127.0.0.1:4173' });
    expect(d.errors).toEqual([]);
    expect(d.state.model).toEqual({ kind: 'hub', repo: 'xlens-fixtures/llama-tied-fp32', hub: 'http://127.0.0.1:4174' });
    expect(d.runtime).toEqual({ hubBase: 'http://127.0.0.1:4174', debug: true, maxNewTokens: 4 });
    expect(decodeUrl('?model=xlens-tiny-base').state.model).toEqual({ kind: 'bundled', name: 'xlens-tiny-base' });
  });

  it('ignores each bad parameter with a message naming it in words, and keeps the rest', () => {
    const d = decodeUrl('?hub=javascript:alert(1)&model=a/../b&backend=cuda&cl=xx&ql=zh&ko=yes&pl=-1&mcl=ar,ar&gen=1000&tab=<b>&lm=x&seg=pie&pt=99999&step=x&head=-2');
    expect(d.state.questionLang).toBe('zh');
    expect(d.state.contextLang).toBe('en');
    expect(d.state.model).toEqual(defaultPageState().model);
    expect(d.state.backend).toBe('auto');
    const all = d.errors.join('\n');
    for (const p of ['model', 'backend', 'cl', 'ko', 'pl', 'mcl', 'gen', 'tab', 'lm', 'seg', 'pt', 'step', 'head']) expect(all).toContain(`Ignored ${p}=`);
    expect(all).toMatch(/Did not use the hub .*javascript/);
    expect(d.errors).toHaveLength(14);
    // words a user knows, never the page state's internal field names
    for (const words of ['(context language)', '(lens metric)', '(segment chart style)', '(pinned token)', '(lesson step)', '(attention head)']) expect(all).toContain(words);
    expect(all).not.toMatch(/contextLang|questionLang|view\.|lensMetric|segmentChart|pinnedLayer|pinnedToken|lessonStep|"analyses"|"custom"/);
  });

  it('names a bad revision, a bad debug value, a result in the query, mis-cased and unknown settings', () => {
    const d = decodeUrl('?model=owner/name&rev=../x&debug=yes&r=1.AAAA&CL=ar&Model=x&bogus=1&utm_source=mail');
    const all = d.errors.join('\n');
    expect(d.state.model).toEqual({ kind: 'hub', repo: 'owner/name' });
    expect(all).toMatch(/Ignored rev=.*\(model revision\): a revision is a branch, tag or commit/);
    expect(all).toMatch(/Ignored debug=.*\(debug mode\): use debug=1/);
    expect(all).toMatch(/Ignored r= in the query: a link carries its result after the #/);
    expect(all).toMatch(/Ignored \u2068CL\u2069=: settings are lower case; did you mean cl=\?/);
    expect(all).toMatch(/Ignored \u2068Model\u2069=: settings are lower case; did you mean model=\?/);
    expect(all).toMatch(/Ignored \u2068bogus\u2069=: xlens has no such setting/);
    expect(all).not.toMatch(/utm_source/);
    expect(decodeUrl('?model=xlens-tiny-base&rev=main').errors.join()).toMatch(/only hub models have revisions/);
    expect(decodeUrl('?debug=0').errors).toEqual([]);
  });

  it('hubs by class: https is offered (the user is asked later); everything else is refused with a notice', () => {
    const local = 'http://127.0.0.1:4173';
    const remote = 'https://xlens.example';
    for (const base of HUB_URLS.foreignHttps) {
      const d = decodeUrl(`?hub=${encodeURIComponent(base)}&model=owner/name`, { pageOrigin: remote });
      expect(d.errors, base).toEqual([]);
      expect(d.runtime.hubBase).toBe(new URL(base).href.replace(/\/+$/, ''));
    }
    for (const cls of ['foreignHttp', 'linkLocal', 'credentials', 'schemes'] as const) {
      for (const base of HUB_URLS[cls]) {
        for (const pageOrigin of [local, remote]) {
          const d = decodeUrl(`?hub=${encodeURIComponent(base)}&model=owner/name`, { pageOrigin });
          expect(d.runtime.hubBase, `${cls} ${base}`).toBe('https://huggingface.co');
          expect(d.state.model).toEqual({ kind: 'hub', repo: 'owner/name' });
          expect(d.errors.join('\n')).toMatch(/Did not use the hub .* named in the link: .*Hub models load from https:\/\/huggingface\.co instead\./);
        }
      }
    }
    for (const base of HUB_URLS.loopbackHttp) {
      expect(decodeUrl(`?hub=${encodeURIComponent(base)}`, { pageOrigin: local }).errors, base).toEqual([]);
      expect(decodeUrl(`?hub=${encodeURIComponent(base)}`, { pageOrigin: remote }).errors.join()).toMatch(/plain http is accepted only for a hub on this computer/);
    }
    expect(decodeUrl('?hub=https%3A%2F%2Fuser%3Asecret%40huggingface.co').errors.join()).toMatch(/never sends credentials/);
  });

  it('reads old links with custom text in the query, and names over-long text', () => {
    expect(decodeUrl('?ctx=Ana%20lives%20in%20Lisbon.&q=Where%3F&ans=Lisbon').state.custom).toEqual({ context: 'Ana lives in Lisbon.', question: 'Where?', answer: 'Lisbon' });
    const d = decodeUrl(`?ctx=${'a'.repeat(5000)}&q=b&ans=a`);
    expect(d.state.custom).toBeNull();
    expect(d.errors[0]).toMatch(/Ignored ctx=.*\(custom context\): the context and the question may have up to 4,000 characters/);
  });

  it('a link with thousands of made-up settings gets a few lines', () => {
    const q = new URLSearchParams();
    for (let i = 0; i < 20000; i++) q.set(`x${i}`, '1');
    const d = decodeUrl(`?${q}`);
    expect(d.errors).toHaveLength(6);
    expect(d.errors[5]).toMatch(/…and 19,995 more settings xlens does not have were ignored\./);
  });
});
