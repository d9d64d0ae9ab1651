// The local hub server speaks the hub's URL layout with the headers a cross-origin isolated
// page needs.
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, HUB_URL, test } from './fixtures';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

test.describe('local hub server', () => {
  test.skip(({ backend }) => backend !== 'wasm', 'no browser involved; once is enough');

  test('serves fixture files with length, CORS and CORP headers', async ({ request }) => {
    const res = await request.get(`${HUB_URL}/xlens-fixtures/llama-tied-fp32/resolve/main/config.json`);
    expect(res.status()).toBe(200);
    const h = res.headers();
    expect(h['access-control-allow-origin']).toBe('*');
    expect(h['cross-origin-resource-policy']).toBe('cross-origin');
    expect(Number(h['content-length'])).toBe(statSync(join(ROOT, 'fixtures/models/llama-tied-fp32/config.json')).size);
    expect((await res.json()).model_type).toBe('llama');
  });

  test('unknown repos, files and escapes are JSON 404s / 400s', async ({ request }) => {
    const unknownRepo = await request.get(`${HUB_URL}/xlens-fixtures/nope/resolve/main/config.json`);
    expect(unknownRepo.status()).toBe(404);
    expect(await unknownRepo.json()).toEqual({ error: 'Repository not found' });
    const unknownOrg = await request.get(`${HUB_URL}/someone/llama-tied-fp32/resolve/main/config.json`);
    expect(unknownOrg.status()).toBe(404);
    const unknownFile = await request.get(`${HUB_URL}/xlens-fixtures/llama-tied-fp32/resolve/main/model.safetensors.index.json`);
    expect(unknownFile.status()).toBe(404);
    expect(unknownFile.headers()['access-control-allow-origin']).toBe('*');
    const escape = await request.get(`${HUB_URL}/xlens-fixtures/llama-tied-fp32/resolve/main/..%2F..%2F..%2Fpackage.json`);
    expect([400, 404]).toContain(escape.status());
  });
});
