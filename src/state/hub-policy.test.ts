// The hub policy: which hubs a link may name, which the security policy lets the page reach,
// and the headers themselves.
import { describe, expect, it } from 'vitest';
import { DEFAULT_HUB_BASE } from '../engine/hub/source';
import { checkHubBase, contentSecurityPolicy, DEFAULT_HUB, parseExtraHubs, policyAllows, rememberedHubs, rememberHub, securityHeaders, sourceMatches, staticHeadersFile } from './hub-policy';
import { HUB_URLS } from '../../test/state/result-generators';

const LOCAL = 'http://127.0.0.1:4173';
const REMOTE = 'https://xlens.example';

describe('hub policy', () => {
  it('agrees with the engine on the default hub', () => {
    expect(DEFAULT_HUB).toBe(DEFAULT_HUB_BASE);
  });

  it('by class: https may be offered, local http only to a local page, the rest never', () => {
    for (const u of HUB_URLS.foreignHttps) for (const page of [LOCAL, REMOTE]) expect(checkHubBase(u, page).ok, u).toBe(true);
    for (const cls of ['foreignHttp', 'linkLocal', 'credentials', 'schemes'] as const) for (const u of HUB_URLS[cls]) for (const page of [LOCAL, REMOTE]) expect(checkHubBase(u, page).ok, `${cls} ${u}`).toBe(false);
    for (const u of HUB_URLS.loopbackHttp) {
      expect(checkHubBase(u, LOCAL).ok, u).toBe(true);
      expect(checkHubBase(u, REMOTE).ok, u).toBe(false);
    }
    const d = checkHubBase('https://huggingface.co/', REMOTE);
    expect(d.ok && d.isDefault).toBe(true);
  });

  it('the security policy reaches the default hub and its CDNs, local hubs from a local page, and listed hubs only', () => {
    for (const o of ['https://huggingface.co', 'https://cdn-lfs.huggingface.co', 'https://cdn-lfs-us-1.hf.co', 'https://cas-bridge.xethub.hf.co', 'https://us.aws.cdn.hf.co']) expect(policyAllows(o, REMOTE, []), o).toBe(true);
    for (const o of ['https://evil.example', 'https://huggingface.co.evil.example', 'http://huggingface.co', 'https://hf-mirror.com']) expect(policyAllows(o, REMOTE, []), o).toBe(false);
    expect(policyAllows('http://127.0.0.1:4174', LOCAL, [])).toBe(true);
    expect(policyAllows('http://127.0.0.1:4174', REMOTE, [])).toBe(false);
    expect(policyAllows('https://hf-mirror.com', REMOTE, parseExtraHubs('https://hf-mirror.com, http://x.example, https://a:b@c.example, junk'))).toBe(true);
    expect(parseExtraHubs('https://hf-mirror.com, http://x.example, https://a:b@c.example, junk, https://169.254.169.254')).toEqual(['https://hf-mirror.com']);
    expect(sourceMatches('https://*.hf.co', 'https://hf.co')).toBe(false);
    expect(sourceMatches('http://127.0.0.1:*', 'http://127.0.0.1:9')).toBe(true);
  });

  it('remembers approved hubs in storage and ignores anything odd there', () => {
    const data = new Map<string, string>();
    const store = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    rememberHub('http://127.0.0.1:4174', store);
    rememberHub('https://hf-mirror.com', store);
    expect(rememberedHubs(store)).toEqual(['https://hf-mirror.com', 'http://127.0.0.1:4174']);
    data.set('xlens.approvedHubs', JSON.stringify(['javascript:alert(1)', 'https://a@b.example', 7, 'https://ok.example']));
    expect(rememberedHubs(store)).toEqual(['https://ok.example']);
    data.set('xlens.approvedHubs', '{not json');
    expect(rememberedHubs(store)).toEqual([]);
  });

  it('the headers: a strict policy for static hosts, local hubs and violation reports on the servers', () => {
    const csp = contentSecurityPolicy({ localHubs: false });
    for (const d of ["script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "worker-src 'self' blob:", "style-src 'self';"]) expect(csp).toContain(d);
    expect(csp).toMatch(/connect-src 'self' https:\/\/huggingface\.co https:\/\/\*\.huggingface\.co https:\/\/\*\.hf\.co;/);
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|127\.0\.0\.1|report-uri|https: |\*;/);
    const served = securityHeaders({ localHubs: true, reportUri: '/__csp-report' });
    expect(served['Content-Security-Policy']).toContain('http://127.0.0.1:*');
    expect(served['Content-Security-Policy']).toContain('report-uri /__csp-report');
    expect(served).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    const file = staticHeadersFile(['https://hf-mirror.com']);
    expect(file).toMatch(/^\/\*$/m);
    expect(file).toContain('https://*.hf.co https://hf-mirror.com;');
    expect(file).not.toContain('127.0.0.1');
  });
});
