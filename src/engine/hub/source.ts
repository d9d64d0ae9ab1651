// Where a model's files come from. The same code path serves the real Hugging Face hub,
// a local test server that mimics its URL layout, a folder served by the app
// (public/models/...), and (in Node) a directory on disk.

export const DEFAULT_HUB_BASE = 'https://huggingface.co';

export type ModelSource =
  | { kind: 'hub'; repo: string; revision?: string; baseUrl?: string }
  /** a folder reachable over http(s): `${url}/config.json`, ... */
  | { kind: 'url'; url: string }
  /** Node only: a directory on disk */
  | { kind: 'dir'; path: string };

export type Phase = 'download' | 'build' | 'session' | 'compute';

export interface ProgressEvent {
  phase: Phase;
  /** file being downloaded, or a short label of the step */
  label: string;
  loaded: number;
  /** undefined when unknown (no content-length) */
  total?: number;
  /** true when served from the cache */
  cached?: boolean;
}

export type ProgressFn = (e: ProgressEvent) => void;

/** A stable, human-readable id for a source (used in results and permalinks). */
export function sourceId(s: ModelSource): string {
  switch (s.kind) {
    case 'hub':
      return s.revision && s.revision !== 'main' ? `${s.repo}@${s.revision}` : s.repo;
    case 'url':
      return s.url;
    case 'dir':
      return s.path;
  }
}

/** Base URL of a source's folder, with no trailing slash. */
export function folderUrl(s: ModelSource): string {
  if (s.kind === 'hub') {
    const base = (s.baseUrl ?? DEFAULT_HUB_BASE).replace(/\/+$/, '');
    return `${base}/${s.repo}/resolve/${encodeURIComponent(s.revision ?? 'main')}`;
  }
  if (s.kind === 'url') return s.url.replace(/\/+$/, '');
  throw new Error('a directory source has no URL');
}

/** Hugging Face repo ids: `owner/name`, letters, digits, '-', '_', '.'; at most 96 chars per part. */
export function isValidRepoId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/.test(id) && !id.includes('..');
}
