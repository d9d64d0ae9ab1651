// Shared Playwright fixtures: the backend a project tests, and where the servers listen.
import { test as base, expect } from '@playwright/test';

export type BackendName = 'wasm' | 'webgpu';

export const APP_PORT = Number(process.env.XLENS_APP_PORT ?? 4173);
export const HUB_PORT = Number(process.env.XLENS_HUB_PORT ?? 4174);
export const HUB_URL = `http://127.0.0.1:${HUB_PORT}`;

export const test = base.extend<{ backend: BackendName }>({
  backend: ['wasm', { option: true }],
});

export { expect };
