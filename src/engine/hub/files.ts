// Fetch a model's files with byte-level progress. In the browser, complete downloads are
// kept in the Cache API so a second load works offline; a partial download is never cached.

import { folderUrl, type ModelSource, type ProgressFn, sourceId } from './source';

const CACHE_NAME = 'xlens-hub-v1';

export class HubError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export interface GetOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  /** resolve to null instead of throwing when the file does not exist */
  optional?: boolean;
}

export interface FileStore {
  readonly id: string;
  get(file: string, opts?: GetOptions): Promise<Uint8Array | null>;
}

export function openSource(source: ModelSource, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)): FileStore {
  if (source.kind === 'dir') return dirStore(source.path);
  const base = folderUrl(source);
  const id = sourceId(source);
  return {
    id,
    async get(file, opts = {}) {
      return fetchFile(`${base}/${file}`, file, id, fetchImpl, opts);
    },
  };
}

function explain(status: number, file: string, id: string): string {
  if (status === 404) return `${id}: ${file} was not found (HTTP 404). Check the repo id and revision.`;
  if (status === 401 || status === 403)
    return `${id}: access to ${file} was refused (HTTP ${status}). The repo is gated or private; xlens can only load public repos.`;
  return `${id}: downloading ${file} failed (HTTP ${status}).`;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((res, rej) => {
    const t = setTimeout(res, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      rej(signal.reason ?? new DOMException('aborted', 'AbortError'));
    });
  });

async function fetchFile(url: string, file: string, id: string, fetchImpl: typeof fetch, opts: GetOptions): Promise<Uint8Array | null> {
  const cache = typeof caches !== 'undefined' ? await caches.open(CACHE_NAME).catch(() => null) : null;
  if (cache) {
    const hit = await cache.match(url);
    if (hit) {
      const bytes = new Uint8Array(await hit.arrayBuffer());
      const expected = Number(hit.headers.get('content-length'));
      if (!expected || expected === bytes.byteLength) {
        opts.onProgress?.({ phase: 'download', label: file, loaded: bytes.byteLength, total: bytes.byteLength, cached: true });
        return bytes;
      }
      await cache.delete(url); // a damaged entry is dropped and fetched again
    }
  }
  // bytes received so far survive a dropped connection: the next attempt asks for the rest
  const partial: Partial = { buf: null, loaded: 0, total: undefined };
  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) await sleep(500 * 2 ** (attempt - 1), opts.signal);
    let res: Response;
    const resume = partial.buf !== null && partial.loaded > 0;
    try {
      res = await fetchImpl(url, { signal: opts.signal, headers: resume ? { Range: `bytes=${partial.loaded}-` } : undefined });
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      lastErr = new HubError(`${id}: network error while fetching ${file}: ${(e as Error).message}`);
      continue;
    }
    if (res.status === 404 && opts.optional) return null;
    if (!res.ok) {
      if (res.status >= 500 || res.status === 429) {
        lastErr = new HubError(explain(res.status, file, id), res.status);
        continue;
      }
      throw new HubError(explain(res.status, file, id), res.status);
    }
    if (resume && res.status !== 206) {
      // the server ignored the range: start over
      partial.buf = null;
      partial.loaded = 0;
    }
    try {
      const bytes = await readWithProgress(res, file, partial, opts.onProgress);
      if (cache) {
        await cache
          .put(url, new Response(bytes as BodyInit, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) } }))
          .catch(() => undefined); // quota: keep going uncached
      }
      return bytes;
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      lastErr = e;
    }
  }
  throw lastErr instanceof Error ? lastErr : new HubError(`${id}: could not fetch ${file}`);
}

interface Partial {
  buf: Uint8Array | null;
  loaded: number;
  total: number | undefined;
}

async function readWithProgress(res: Response, file: string, p: Partial, onProgress?: ProgressFn): Promise<Uint8Array> {
  const lenHeader = res.headers.get('content-length');
  const bodyLen = lenHeader ? Number(lenHeader) : undefined;
  if (res.status === 206) {
    const range = /bytes (\d+)-(\d+)\/(\d+)/.exec(res.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== p.loaded) throw new HubError(`${file}: the server resumed at the wrong offset`);
    p.total = Number(range[3]);
  } else {
    p.total = bodyLen;
    p.loaded = 0;
    p.buf = null;
  }
  const total = p.total;
  if (!p.buf) p.buf = new Uint8Array(total && total > 0 ? total : 1 << 16);
  const reader = res.body?.getReader();
  let lastReport = 0;
  onProgress?.({ phase: 'download', label: file, loaded: p.loaded, total });
  if (!reader) {
    const b = new Uint8Array(await res.arrayBuffer());
    append(p, b);
  } else {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      append(p, value);
      if (p.loaded - lastReport > 1 << 18 || p.loaded === total) {
        lastReport = p.loaded;
        onProgress?.({ phase: 'download', label: file, loaded: p.loaded, total });
      }
    }
  }
  if (total !== undefined && p.loaded !== total) {
    throw new HubError(`${file}: connection closed after ${p.loaded} of ${total} bytes`);
  }
  onProgress?.({ phase: 'download', label: file, loaded: p.loaded, total: p.loaded });
  return p.loaded === p.buf.byteLength ? p.buf : p.buf.slice(0, p.loaded);
}

function append(p: Partial, value: Uint8Array): void {
  if (!p.buf) p.buf = new Uint8Array(Math.max(1 << 16, value.byteLength));
  if (p.loaded + value.byteLength > p.buf.byteLength) {
    const bigger = new Uint8Array(Math.max(p.buf.byteLength * 2, p.loaded + value.byteLength));
    bigger.set(p.buf.subarray(0, p.loaded));
    p.buf = bigger;
  }
  p.buf.set(value, p.loaded);
  p.loaded += value.byteLength;
}

/** what the browser cache holds: one entry per downloaded file */
export async function listCache(): Promise<{ url: string; bytes: number }[]> {
  if (typeof caches === 'undefined') return [];
  const cache = await caches.open(CACHE_NAME);
  const out: { url: string; bytes: number }[] = [];
  for (const req of await cache.keys()) {
    const res = await cache.match(req);
    const len = Number(res?.headers.get('content-length'));
    out.push({ url: req.url, bytes: Number.isFinite(len) && len > 0 ? len : (await res?.arrayBuffer())?.byteLength ?? 0 });
  }
  return out;
}

/** delete cached files: all of them, or those whose URL starts with `prefix` (one model) */
export async function clearCache(prefix?: string): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  if (!prefix) {
    const n = (await (await caches.open(CACHE_NAME)).keys()).length;
    await caches.delete(CACHE_NAME);
    return n;
  }
  const cache = await caches.open(CACHE_NAME);
  let n = 0;
  for (const req of await cache.keys()) {
    if (req.url.startsWith(prefix)) {
      await cache.delete(req);
      n++;
    }
  }
  return n;
}

function dirStore(path: string): FileStore {
  return {
    id: path,
    async get(file, opts = {}) {
      const fs = await import(/* @vite-ignore */ 'node:fs/promises');
      const p = `${path.replace(/\/+$/, '')}/${file}`;
      try {
        const b = await fs.readFile(p);
        const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        opts.onProgress?.({ phase: 'download', label: file, loaded: bytes.byteLength, total: bytes.byteLength, cached: true });
        return bytes;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          if (opts.optional) return null;
          throw new HubError(`${path}: ${file} was not found`, 404);
        }
        throw e;
      }
    },
  };
}

export async function getJSON<T = Record<string, unknown>>(store: FileStore, file: string, opts: GetOptions = {}): Promise<T | null> {
  const b = await store.get(file, opts);
  if (!b) return null;
  try {
    return JSON.parse(new TextDecoder().decode(b)) as T;
  } catch {
    throw new HubError(`${store.id}: ${file} is not valid JSON`);
  }
}

/** safetensors file names of a checkpoint: the single file, or every shard of the index */
export async function checkpointFiles(store: FileStore, opts: GetOptions = {}): Promise<string[]> {
  const index = await getJSON<{ weight_map: Record<string, string> }>(store, 'model.safetensors.index.json', { ...opts, optional: true });
  if (index?.weight_map) return [...new Set(Object.values(index.weight_map))].sort();
  return ['model.safetensors'];
}
