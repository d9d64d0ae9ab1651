// Hub access against a local server with the hub's URL layout: sharded checkpoints,
// progress, error messages and retries. No network beyond loopback.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointFiles, getJSON, openSource } from './files';
import type { ProgressEvent } from './source';
import { folderUrl, isValidRepoId } from './source';

let server: Server;
let base = '';
const hits: Record<string, number> = {};
const big = new Uint8Array(3 << 20).map((_, i) => i % 251);

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    hits[url] = (hits[url] ?? 0) + 1;
    if (url === '/org/sharded/resolve/main/model.safetensors.index.json') {
      res.end(JSON.stringify({ weight_map: { a: 'model-00002-of-00002.safetensors', b: 'model-00001-of-00002.safetensors', c: 'model-00001-of-00002.safetensors' } }));
    } else if (url === '/org/m/resolve/main/config.json') {
      res.end('{"model_type":"llama"}');
    } else if (url === '/org/m/resolve/main/big.bin') {
      res.setHeader('content-length', String(big.length));
      res.end(Buffer.from(big));
    } else if (url === '/org/flaky/resolve/main/config.json') {
      if (hits[url] < 3) {
        res.statusCode = 503;
        res.end();
      } else res.end('{"ok":true}');
    } else if (url === '/org/cut/resolve/main/f.bin') {
      res.setHeader('content-length', '1000');
      res.write(Buffer.alloc(100));
      res.destroy();
    } else if (url === '/org/resume/resolve/main/big.bin') {
      // drops the connection after 1 MiB on every request; honours Range so a download can finish
      const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      const end = Math.min(big.length, start + (1 << 20));
      if (range) {
        res.statusCode = 206;
        res.setHeader('content-range', `bytes ${start}-${big.length - 1}/${big.length}`);
      }
      res.setHeader('content-length', String(big.length - start));
      res.write(Buffer.from(big.subarray(start, end)), () => {
        if (end < big.length) res.destroy();
        else res.end();
      });
    } else if (url.startsWith('/org/gated/')) {
      res.statusCode = 401;
      res.end();
    } else {
      res.statusCode = 404;
      res.end('{"error":"not found"}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('hub files', () => {
  it('builds hub URLs and validates repo ids', () => {
    expect(folderUrl({ kind: 'hub', repo: 'Qwen/Qwen3-0.6B' })).toBe('https://huggingface.co/Qwen/Qwen3-0.6B/resolve/main');
    expect(folderUrl({ kind: 'hub', repo: 'a/b', revision: 'v1', baseUrl: 'http://x/' })).toBe('http://x/a/b/resolve/v1');
    expect(isValidRepoId('Qwen/Qwen2.5-0.5B-Instruct')).toBe(true);
    for (const bad of ['', 'noslash', 'a/b/c', '../x/y', 'a/<script>', 'a/..']) expect(isValidRepoId(bad)).toBe(false);
  });

  it('lists every shard of a sharded checkpoint, and the single file otherwise', async () => {
    expect(await checkpointFiles(openSource({ kind: 'hub', repo: 'org/sharded', baseUrl: base }))).toEqual([
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
    ]);
    expect(await checkpointFiles(openSource({ kind: 'hub', repo: 'org/m', baseUrl: base }))).toEqual(['model.safetensors']);
  });

  it('reports byte-level progress', async () => {
    const events: ProgressEvent[] = [];
    const bytes = await openSource({ kind: 'hub', repo: 'org/m', baseUrl: base }).get('big.bin', { onProgress: (e) => events.push(e) });
    expect(bytes?.length).toBe(big.length);
    expect(Buffer.compare(Buffer.from(bytes!), Buffer.from(big))).toBe(0);
    expect(events.length).toBeGreaterThan(3);
    expect(events.at(-1)).toMatchObject({ loaded: big.length, total: big.length });
    for (let i = 1; i < events.length; i++) expect(events[i].loaded).toBeGreaterThanOrEqual(events[i - 1].loaded);
  });

  it('explains 404 and 401', async () => {
    await expect(getJSON(openSource({ kind: 'hub', repo: 'org/nope', baseUrl: base }), 'config.json')).rejects.toThrow(/not found \(HTTP 404\)/);
    await expect(getJSON(openSource({ kind: 'hub', repo: 'org/gated', baseUrl: base }), 'config.json')).rejects.toThrow(/gated or private/);
  });

  it('retries server errors with backoff', async () => {
    expect(await getJSON(openSource({ kind: 'hub', repo: 'org/flaky', baseUrl: base }), 'config.json')).toEqual({ ok: true });
  });

  it('resumes an interrupted download with Range requests and ends with the same bytes', async () => {
    const events: ProgressEvent[] = [];
    const bytes = await openSource({ kind: 'hub', repo: 'org/resume', baseUrl: base }).get('big.bin', { onProgress: (e) => events.push(e) });
    expect(bytes?.length).toBe(big.length);
    expect(Buffer.compare(Buffer.from(bytes!), Buffer.from(big))).toBe(0);
    expect(hits['/org/resume/resolve/main/big.bin']).toBe(3); // 3 MiB in 1 MiB pieces
  });

  it('never returns a short read as a file', async () => {
    await expect(openSource({ kind: 'hub', repo: 'org/cut', baseUrl: base }).get('f.bin')).rejects.toThrow();
  });
});
