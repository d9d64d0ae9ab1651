import { describe, expect, it } from 'vitest';
import { normaliseHubBase, parseQuery } from './query';

describe('parseQuery', () => {
  it('reads hub, model, backend and debug', () => {
    const q = parseQuery('?hub=http://127.0.0.1:4174/&model=xlens-fixtures/llama-tied-fp32&backend=wasm&debug=1&gen=4&chat=0');
    expect(q).toEqual({
      hubBase: 'http://127.0.0.1:4174',
      model: { kind: 'hub', repo: 'xlens-fixtures/llama-tied-fp32' },
      backend: 'wasm',
      maxNewTokens: 4,
      useChatTemplate: false,
      debug: true,
      errors: [],
    });
  });

  it('treats a name without a slash as a bundled model folder', () => {
    expect(parseQuery('?model=xlens-tiny-base').model).toEqual({ kind: 'local', name: 'xlens-tiny-base' });
  });

  it('rejects bad values with one message each and keeps defaults', () => {
    const q = parseQuery('?hub=javascript:alert(1)&model=a/../b&backend=cuda&gen=1000&chat=yes');
    expect(q.hubBase).toBeUndefined();
    expect(q.model).toBeUndefined();
    expect(q.backend).toBeUndefined();
    expect(q.maxNewTokens).toBeUndefined();
    expect(q.useChatTemplate).toBeUndefined();
    expect(q.errors).toHaveLength(5);
    expect(q.errors.join('\n')).toMatch(/\?hub=.*\n.*\?model=.*\n.*\?backend=.*\n.*\?chat=.*\n.*\?gen=/);
  });

  it('rejects local names that try to leave the folder', () => {
    expect(parseQuery('?model=..').model).toBeUndefined();
    expect(parseQuery('?model=.hidden').model).toBeUndefined();
  });
});

describe('normaliseHubBase', () => {
  it('accepts http(s) URLs and strips trailing slashes', () => {
    expect(normaliseHubBase('https://huggingface.co/')).toBe('https://huggingface.co');
    expect(normaliseHubBase(' http://localhost:8080/mirror// ')).toBe('http://localhost:8080/mirror');
  });
  it('rejects other schemes, credentials, queries', () => {
    for (const bad of ['ftp://x', 'file:///etc', 'https://u:p@x.org', 'https://x.org/?a=1', 'not a url', '']) expect(normaliseHubBase(bad)).toBeNull();
  });
});
