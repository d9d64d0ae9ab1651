// Which servers the page may contact for model files, and the security headers that hold the
// browser to it. A link may name a model; it never chooses the server on its own:
// - the default hub (huggingface.co, whose file downloads redirect to its CDNs) needs no question;
// - any other hub a link names is contacted only after the user allows it in a dialog naming the
//   host (remembered for this browser only if asked), and only if it is https, or http to this
//   computer (localhost, 127.0.0.1, [::1]) while the page itself is served from this computer;
// - link-local and unspecified addresses (169.254.169.254, the cloud metadata service, fe80::,
//   0.0.0.0) and URLs with a user name or password are refused outright;
// - the Content-Security-Policy lets the page connect to itself, the default hub and its CDNs,
//   this computer when served by `vite dev` / `vite preview`, and the https hubs a deployment
//   lists in XLENS_HUBS at build time. A static header cannot know what a user approves later,
//   so the page offers approval only for hubs its policy allows, and says how to allow others.
// Pure (no DOM), so vite.config.ts, the app and the tests share one definition.

/** the engine's DEFAULT_HUB_BASE (hub-policy.test.ts checks they agree); no import, so vite.config.ts loads this file alone */
export const DEFAULT_HUB = 'https://huggingface.co';
/** where the default hub's file downloads redirect to (LFS and Xet storage, regional CDNs) */
const DEFAULT_HUB_SOURCES = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'] as const;
/** local hubs the dev and preview servers allow (the page there is on this computer too) */
const LOOPBACK_SOURCES = ['http://localhost:*', 'http://127.0.0.1:*', 'https://localhost:*', 'https://127.0.0.1:*'] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const isLoopbackHost = (hostname: string) => LOOPBACK_HOSTS.has(hostname.toLowerCase());

/** link-local (169.254.0.0/16, fe80::/10) and unspecified (0.0.0.0, ::) addresses: never a hub */
function isForbiddenAddress(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (/^169\.254\.\d{1,3}\.\d{1,3}$/.test(h) || h === '0.0.0.0' || h === '[::]' || /^0+(\.0+){0,3}$/.test(h)) return true;
  return /^\[fe[89ab][0-9a-f]?:/.test(h);
}

export type HubCheck =
  | { ok: true; base: string; origin: string; host: string; isDefault: boolean }
  | { ok: false; reason: string };

/**
 * Whether a hub base URL named by a link may be offered to the user at all. `pageOrigin` is the
 * page's own origin (http hubs are local only, and only for a local page).
 */
export function checkHubBase(raw: string, pageOrigin: string): HubCheck {
  if (raw.length > 500) return { ok: false, reason: 'the address is longer than 500 characters.' };
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'it is not a web address.' };
  }
  if (u.username || u.password) return { ok: false, reason: 'it contains a user name or password, and xlens never sends credentials to a hub.' };
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, reason: `a hub is reached over https, not ${u.protocol.replace(/:$/, '')}.` };
  if (u.search || u.hash) return { ok: false, reason: 'a hub address has no query (?) or fragment (#).' };
  if (isForbiddenAddress(u.hostname)) return { ok: false, reason: 'it names a link-local or unspecified network address, which is never a model hub.' };
  if (u.protocol === 'http:') {
    let pageLocal = false;
    try {
      pageLocal = isLoopbackHost(new URL(pageOrigin).hostname);
    } catch {
      pageLocal = false;
    }
    if (!isLoopbackHost(u.hostname) || !pageLocal) return { ok: false, reason: 'plain http is accepted only for a hub on this computer (localhost) while xlens itself runs on this computer; use https.' };
  }
  const base = u.href.replace(/\/+$/, '');
  return { ok: true, base, origin: u.origin, host: u.host, isDefault: base === DEFAULT_HUB };
}

/** whether a CSP host-source (e.g. "https://*.hf.co", "http://127.0.0.1:*") matches an origin */
export function sourceMatches(source: string, origin: string): boolean {
  const m = /^(https?):\/\/(\*\.)?([^:/]+)(?::(\*|\d+))?$/.exec(source);
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (!m || `${m[1]}:` !== o.protocol) return false;
  const host = o.hostname.toLowerCase();
  const hostOk = m[2] ? host.endsWith(`.${m[3]}`) : host === m[3];
  const port = o.port || (o.protocol === 'https:' ? '443' : '80');
  const portOk = m[4] === '*' || (m[4] ?? (m[1] === 'https' ? '443' : '80')) === port;
  return hostOk && portOk;
}

/**
 * Whether the page's security policy lets it connect to a hub origin: the default hub, local hubs
 * while the page itself is local (dev and preview servers send LOOPBACK_SOURCES), and the https
 * hubs the build was told about (XLENS_HUBS).
 */
export function policyAllows(origin: string, pageOrigin: string, extraHubs: readonly string[]): boolean {
  if (DEFAULT_HUB_SOURCES.some((s) => sourceMatches(s, origin))) return true;
  if (extraHubs.some((s) => sourceMatches(s, origin))) return true;
  let pageLocal = false;
  try {
    pageLocal = isLoopbackHost(new URL(pageOrigin).hostname);
  } catch {
    pageLocal = false;
  }
  return pageLocal && LOOPBACK_SOURCES.some((s) => sourceMatches(s, origin));
}

/** XLENS_HUBS ("https://a.example, https://b.example:8443") -> the https origins in it */
export function parseExtraHubs(raw: string | undefined): string[] {
  if (!raw) return [];
  const out: string[] = [];
  for (const part of raw.split(/[\s,]+/).filter(Boolean)) {
    try {
      const u = new URL(part);
      if (u.protocol === 'https:' && !u.username && !u.password && !isForbiddenAddress(u.hostname)) out.push(u.origin);
    } catch {
      // not a URL: left out
    }
  }
  return [...new Set(out)];
}

// --- approved hubs (this browser) ---------------------------------------------------------------

export const APPROVED_HUBS_KEY = 'xlens.approvedHubs';
const MAX_REMEMBERED = 20;

type Store = Pick<Storage, 'getItem' | 'setItem'>;
const storage = (): Store | null => {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null;
  }
};

/** the hub origins this browser was told to remember (anything odd in storage is ignored) */
export function rememberedHubs(s: Store | null = storage()): string[] {
  try {
    const raw = JSON.parse(s?.getItem(APPROVED_HUBS_KEY) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw.filter((x): x is string => typeof x === 'string' && /^https?:\/\/[^/?#@\s]+$/.test(x)).slice(0, MAX_REMEMBERED);
  } catch {
    return [];
  }
}

export function rememberHub(origin: string, s: Store | null = storage()): void {
  try {
    s?.setItem(APPROVED_HUBS_KEY, JSON.stringify([origin, ...rememberedHubs(s).filter((o) => o !== origin)].slice(0, MAX_REMEMBERED)));
  } catch {
    // storage full or blocked: approved for this page only
  }
}

// --- security headers ---------------------------------------------------------------------------

export interface PolicyOptions {
  /** dev and preview servers: the page is on this computer, local hubs are allowed */
  localHubs: boolean;
  /** https hub origins the deployment allows (XLENS_HUBS) */
  extraHubs?: readonly string[];
  /** `vite dev`: its client connects back over a web socket, injects styles and React's refresh preamble */
  dev?: { scriptHashes: readonly string[] };
  /** where the browser reports violations (the dev and preview servers collect them) */
  reportUri?: string;
}

/**
 * The Content-Security-Policy. Scripts only from the page's origin (onnxruntime compiles its
 * WebAssembly: 'wasm-unsafe-eval'; no eval of JavaScript); workers from the page's origin (the
 * engine worker, onnxruntime's thread workers) and blob: (onnxruntime may start its threads
 * from one); connections to itself, the hubs above and nothing else; images from itself and
 * data:/blob: (the PNG export draws the SVG through an image); no plugins, no <base>, no framing,
 * forms post nowhere.
 */
export function contentSecurityPolicy(o: PolicyOptions): string {
  const connect = ["'self'", ...DEFAULT_HUB_SOURCES, ...(o.extraHubs ?? []), ...(o.localHubs ? LOOPBACK_SOURCES : []), ...(o.dev ? ['ws://localhost:*', 'ws://127.0.0.1:*'] : [])];
  const script = ["'self'", "'wasm-unsafe-eval'", ...(o.dev?.scriptHashes.map((h) => `'${h}'`) ?? [])];
  return [
    "default-src 'self'",
    `script-src ${script.join(' ')}`,
    "worker-src 'self' blob:",
    // production styles are one stylesheet; the dev server injects <style> elements
    `style-src 'self'${o.dev ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "manifest-src 'self'",
    ...(o.reportUri ? [`report-uri ${o.reportUri}`] : []),
  ].join('; ');
}

/** where the dev and preview servers collect the browser's violation reports */
export const CSP_REPORT_PATH = '/__csp-report';

/** every header the app is served with (also cross-origin isolation, which threads need) */
export function securityHeaders(o: PolicyOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(o),
    'X-Content-Type-Options': 'nosniff',
    // the page address holds the page state; no server learns it from a Referer
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  };
}

/** the `_headers` file for static hosts that read one (Netlify, Cloudflare Pages) */
export function staticHeadersFile(extraHubs: readonly string[] = []): string {
  const lines = Object.entries(securityHeaders({ localHubs: false, extraHubs })).map(([k, v]) => `  ${k}: ${v}`);
  return [
    '# Security headers for static hosts that read a _headers file (Netlify, Cloudflare Pages).',
    '# Generated by `vite build` from src/state/hub-policy.ts; extra https hubs come from XLENS_HUBS.',
    '/*',
    ...lines,
    '',
  ].join('\n');
}
