// Shared Playwright fixtures: the backend a project tests, and where the servers listen.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

export type BackendName = 'wasm' | 'webgpu';

export const APP_PORT = Number(process.env.XLENS_APP_PORT ?? 4173);
export const HUB_PORT = Number(process.env.XLENS_HUB_PORT ?? 4174);
export const HUB_URL = `http://127.0.0.1:${HUB_PORT}`;

export const test = base.extend<{ backend: BackendName }>({
  backend: ['wasm', { option: true }],
});

export { expect };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** the first example the tiny models answer, or the first parallel example when there are none */
export function firstExample(): string {
  const tinyFile = join(ROOT, 'src/data/tiny-examples.json');
  const tiny = existsSync(tinyFile) ? JSON.parse(readFileSync(tinyFile, 'utf8')) : { items: [] };
  const items = Array.isArray(tiny) ? tiny : tiny.items;
  if (items.length) return items[0].id;
  return JSON.parse(readFileSync(join(ROOT, 'src/data/examples/xquad-style.json'), 'utf8')).items[0].id;
}
