// End-to-end tests on Debian's Chromium (/usr/bin/chromium), once per backend:
// `wasm`, and `webgpu` (--enable-unsafe-webgpu gives a software SwiftShader adapter here:
// real WebGPU, but slow). The app is the production build served by `vite preview`
// (npm run test:e2e builds first); fixture models come from a local hub server.
import { defineConfig } from '@playwright/test';
import { APP_PORT, HUB_PORT, type BackendName } from './e2e/fixtures';

const CHROMIUM = process.env.XLENS_CHROMIUM ?? '/usr/bin/chromium';
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig<{ backend: BackendName }>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // The machine has few cores and WebGPU is software-emulated: one test at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 10 * 60_000,
  expect: { timeout: 30_000 },
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM, args: BASE_ARGS },
  },
  projects: [
    {
      name: 'wasm',
      use: { backend: 'wasm', launchOptions: { executablePath: CHROMIUM, args: BASE_ARGS } },
    },
    {
      name: 'webgpu',
      use: { backend: 'webgpu', launchOptions: { executablePath: CHROMIUM, args: [...BASE_ARGS, '--enable-unsafe-webgpu'] } },
    },
  ],
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${APP_PORT} --strictPort`,
      url: `http://127.0.0.1:${APP_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `npx tsx e2e/hub-server.ts --host 127.0.0.1 --port ${HUB_PORT}`,
      url: `http://127.0.0.1:${HUB_PORT}/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
