// Downloaded model files kept by the browser (Cache API): what is there, how big, and a way
// to delete one model's files or all of them.

import { useCallback, useEffect, useState } from 'react';
import { clearCache, listCache } from '../../engine/hub/files';
import { formatBytes } from '../../data/curated-models';

interface Group {
  /** folder URL: everything before the file name */
  folder: string;
  files: number;
  bytes: number;
}

export function groupByFolder(entries: { url: string; bytes: number }[]): Group[] {
  const map = new Map<string, Group>();
  for (const e of entries) {
    const folder = e.url.slice(0, e.url.lastIndexOf('/') + 1);
    const g = map.get(folder) ?? { folder, files: 0, bytes: 0 };
    g.files++;
    g.bytes += e.bytes;
    map.set(folder, g);
  }
  return [...map.values()].sort((a, b) => b.bytes - a.bytes);
}

/** a readable label for a cached folder: "owner/name@revision" for hub URLs */
export function folderLabel(folder: string): string {
  const m = /\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/$/.exec(folder);
  return m ? `${decodeURIComponent(m[1])}${m[2] === 'main' ? '' : `@${decodeURIComponent(m[2])}`}` : folder;
}

export function CachePanel() {
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  const refresh = useCallback(async () => {
    try {
      setGroups(groupByFolder(await listCache()));
      setError('');
    } catch (e) {
      setError(`The download cache cannot be read: ${(e as Error).message}`);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const clear = async (prefix?: string) => {
    try {
      const n = await clearCache(prefix);
      setStatus(`Deleted ${n} cached file${n === 1 ? '' : 's'}.`);
      await refresh();
    } catch (e) {
      setError(`Could not delete cached files: ${(e as Error).message}`);
    }
  };

  const total = groups?.reduce((a, g) => a + g.bytes, 0) ?? 0;
  return (
    <section className="cache-panel" aria-labelledby="cache-title" data-testid="cache-panel">
      <h3 id="cache-title">Downloaded models</h3>
      {error && <p role="alert">{error}</p>}
      {groups === null ? (
        <p>Reading the cache…</p>
      ) : groups.length === 0 ? (
        <p data-testid="cache-empty">Nothing is cached. Models from the hub are kept here after their first download, so later loads work offline.</p>
      ) : (
        <>
          <p data-testid="cache-total">
            {groups.length} model{groups.length === 1 ? '' : 's'}, {formatBytes(total)} in total.
          </p>
          <ul>
            {groups.map((g) => (
              <li key={g.folder} data-testid="cache-entry">
                <span className="cache-name">{folderLabel(g.folder)}</span> — {g.files} file{g.files === 1 ? '' : 's'}, {formatBytes(g.bytes)}{' '}
                <button type="button" onClick={() => void clear(g.folder)} aria-label={`Delete the cached files of ${folderLabel(g.folder)}`}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void clear()} data-testid="cache-clear-all">
            Delete all cached models
          </button>
        </>
      )}
      <p role="status" aria-live="polite">
        {status}
      </p>
      <button type="button" onClick={() => void refresh()}>
        Refresh
      </button>
    </section>
  );
}
