// Fetch a model's files with byte-level progress. In the browser, complete downloads are
// kept in the Cache API so a second load works offline; a partial download is never cached.

import { folderUrl, type ModelSource, type ProgressFn, sourceId } from './source';

export const CACHE_NAME = 'xlens-hub-v1';

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
      opts.onProgress?.({ phase: 'download', label: file, loaded: bytes.byteLength, total: bytes.byteLength, cached: true });
      return bytes;
    }
  }
  let lastErr: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) await sleep(500 * 2 ** (attempt - 1), opts.signal);
    let res: Response;
    try {
      res = await fetchImpl(url, { signal: opts.signal });
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
    try {
      const bytes = await readWithProgress(res, file, opts.onProgress);
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

async function readWithProgress(res: Response, file: string, onProgress?: ProgressFn): Promise<Uint8Array> {
  const lenHeader = res.headers.get('content-length');
  const total = lenHeader ? Number(lenHeader) : undefined;
  if (!res.body) {
    const b = new Uint8Array(await res.arrayBuffer());
    onProgress?.({ phase: 'download', label: file, loaded: b.byteLength, total: b.byteLength });
    return b;
  }
  const reader = res.body.getReader();
  let buf = new Uint8Array(total && total > 0 ? total : 1 << 16);
  let loaded = 0;
  let lastReport = 0;
  onProgress?.({ phase: 'download', label: file, loaded: 0, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.byteLength > buf.byteLength) {
      const bigger = new Uint8Array(Math.max(buf.byteLength * 2, loaded + value.byteLength));
      bigger.set(buf.subarray(0, loaded));
      buf = bigger;
    }
    buf.set(value, loaded);
    loaded += value.byteLength;
    if (loaded - lastReport > 1 << 18 || loaded === total) {
      lastReport = loaded;
      onProgress?.({ phase: 'download', label: file, loaded, total });
    }
  }
  if (total !== undefined && loaded !== total) {
    throw new HubError(`${file}: connection closed after ${loaded} of ${total} bytes`);
  }
  onProgress?.({ phase: 'download', label: file, loaded, total: loaded });
  return loaded === buf.byteLength ? buf : buf.slice(0, loaded);
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
