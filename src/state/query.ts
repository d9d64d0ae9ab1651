// Reads the app's settings from the page URL (?hub=...&model=...&backend=...), validated.
// Tests use it to point the app at a local hub server; anything invalid becomes a clear
// message instead of a silent default.
import { isValidRepoId } from '../engine/hub/source';
import type { BackendChoice } from '../engine/runtime/backend';

export const BACKENDS: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm'];
export const MAX_NEW_TOKENS = 16;

/** folder names under public/models/ */
export function isValidLocalName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/.test(name) && !name.includes('..');
}

/** http(s) URL without query or fragment; returns the normalised URL or null */
export function normaliseHubBase(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.search || u.hash || u.username || u.password) return null;
  return u.href.replace(/\/+$/, '');
}

export interface QuerySettings {
  hubBase?: string;
  model?: { kind: 'local'; name: string } | { kind: 'hub'; repo: string };
  backend?: BackendChoice;
  prompt?: string;
  useChatTemplate?: boolean;
  maxNewTokens?: number;
  debug: boolean;
  /** one message per rejected parameter */
  errors: string[];
}

export function parseQuery(search: string): QuerySettings {
  const q = new URLSearchParams(search);
  const out: QuerySettings = { debug: q.get('debug') === '1', errors: [] };

  const hub = q.get('hub');
  if (hub !== null) {
    const base = normaliseHubBase(hub);
    if (base) out.hubBase = base;
    else out.errors.push(`Ignored ?hub=${JSON.stringify(hub)}: the hub base URL must be an http(s) URL such as https://huggingface.co.`);
  }

  const model = q.get('model');
  if (model !== null) {
    if (model.includes('/')) {
      if (isValidRepoId(model)) out.model = { kind: 'hub', repo: model };
      else out.errors.push(`Ignored ?model=${JSON.stringify(model)}: a hub repo id looks like "owner/name" (letters, digits, "-", "_", ".").`);
    } else if (isValidLocalName(model)) {
      out.model = { kind: 'local', name: model };
    } else {
      out.errors.push(`Ignored ?model=${JSON.stringify(model)}: not a model folder name or a hub repo id ("owner/name").`);
    }
  }

  const backend = q.get('backend');
  if (backend !== null) {
    if ((BACKENDS as readonly string[]).includes(backend)) out.backend = backend as BackendChoice;
    else out.errors.push(`Ignored ?backend=${JSON.stringify(backend)}: use auto, webgpu or wasm.`);
  }

  const prompt = q.get('prompt');
  if (prompt !== null) {
    if (prompt.length <= 8000) out.prompt = prompt;
    else out.errors.push('Ignored ?prompt=...: longer than 8000 characters.');
  }

  const chat = q.get('chat');
  if (chat !== null) {
    if (chat === '0' || chat === '1') out.useChatTemplate = chat === '1';
    else out.errors.push(`Ignored ?chat=${JSON.stringify(chat)}: use 0 or 1.`);
  }

  const gen = q.get('gen');
  if (gen !== null) {
    const n = Number(gen);
    if (Number.isInteger(n) && n >= 0 && n <= 64) out.maxNewTokens = n;
    else out.errors.push(`Ignored ?gen=${JSON.stringify(gen)}: use a whole number of tokens from 0 to 64.`);
  }
  return out;
}
