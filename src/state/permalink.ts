// Permalinks: a URL that restores the page (a PageState) and may carry the computed result,
// so a recipient sees every view with no model download.
// One file, longer than most: the link's layout, its compression and the quantiser that fits a result
// into it are one format, versioned together.
//
// Layout:   {base}?{state}#t=1.{text}&r=1.{payload}
// - state: the app's readable query parameters (url-state.ts: ?model=..&cl=ar&ql=en&..), the
//   same format the address bar shows, validated field by field through parsePageState. It is
//   short: custom text is never in it.
// - custom text: `t=1.` + base64url(deflate-raw(UTF-8 JSON {context, question, answer})) in the
//   fragment, which never leaves the browser: servers refuse long request lines (Node's http
//   server answers 431 above 16 KB of headers, nginx 414 above 8 KB, static hosts less) and
//   would log the user's text. `t=0.` is the same JSON uncompressed (for links made
//   synchronously). Old links are still read: ?ctx=&q=&ans= in the query, and page parameters
//   in the fragment (#model=..&ctx=..), which override those in the query.
// - result: `r=1.` + base64url(deflate-raw(UTF-8 JSON {recorded, result})), always in the
//   fragment, so results (and the text inside them) never reach a server. "1" is the payload
//   format; the result inside carries its own schemaVersion.
//
// Size budget: the whole URL stays <= URL_BUDGET = 32 KB. Browsers accept far more (Chromium
// 2 MB, Firefox ~1 MB, Safari ~80 KB), so they are not the limit: the channels people share
// links through are (Slack cuts messages at 40,000 characters, many mail clients, chat apps and
// URL shorteners cut or refuse much longer links, and some wrap lines in the middle of a URL).
// 32 KB keeps a tiny-model analysis with knockout and relevance (~10-20 KB) inside it and is
// under every limit we know of. Above it, encodePermalink returns tooLarge and the UI offers a
// result file instead (a 24-layer hub model's analysis is several hundred KB compressed). An
// embedded result may unpack to at most MAX_LINK_RESULT_CHARS, so a small link cannot make the
// page parse and draw megabytes of zeros.
//
// Quantisation: embedded results keep 4 significant digits for every real-valued field the
// schema marks (engine/result-schema.ts `q`: probabilities, attention, shares, knockout
// effects, relevance, matrix means), which the schema allows
// (it is defined to 6). Views show about 3 significant digits, so a value is kept at 4 only
// if it displays the same as the original in every format a view uses (3 significant digits;
// 2 or 3 decimals below 1, 1 decimal above; and ln(p) for probabilities); otherwise the
// original value is kept. The recipient therefore sees the same numbers as the sender.
// Integers (ids, ranks, layers) are exact. Quantising saves ~20% of the compressed size.
//
// Decoding never throws: a malformed, truncated, tampered or hostile permalink gives a valid
// state (the default where needed), result null, and human-readable messages.

import { SCHEMA_VERSION, type XlensResult } from '../engine/result';
import { RESULT_SCHEMAS, type Quant, type SchemaNode } from '../engine/result-schema';
import { defaultPageState, LIMITS, parsePageState, type CustomText, type PageState } from './page-state';
import { validateResult } from './result-file';
import { MAX_LINK_RESULT_CHARS } from './result-limits';
import { decodeUrl, encodeUrl, type DecodeOptions, type UrlRuntime } from './url-state';

/** the whole URL, in characters (all ASCII: the encoders percent-encode everything else) */
export const URL_BUDGET = 32 * 1024;
/** a URL longer than this is refused before any decoding (Chromium's own URL limit) */
const MAX_DECODE_URL = 2 * 1024 * 1024;
/** payload format written after `r=` */
const PAYLOAD_FORMAT = '1';
/** significant digits of embedded real numbers */
const QUANT_DIGITS = 4;
/** parameters of the fragment that are not page state: the result and the custom text */
const RESULT_PARAM = 'r';
const TEXT_PARAM = 't';
/** characters the custom text JSON may unpack to: three fields of at most 4,000 characters, each escaped to at most 6 */
const MAX_TEXT_CHARS = 6 * (2 * LIMITS.text + LIMITS.answer) + 100;

/** who computed an embedded result, shown on the recipient's read-only banner */
export interface Recorded {
  /** model id as in the result (repo id, URL or folder) */
  model: string;
  backend: 'webgpu' | 'wasm';
  /** ISO date-time of the run */
  date: string;
}

export interface EncodeOptions {
  /** page URL without query or fragment, e.g. location.origin + location.pathname */
  base: string;
  result?: XlensResult | null;
  /** defaults to the result's model id, backend and createdAt */
  recorded?: Recorded;
  /** runtime options to keep in the link (a non-default hub base) */
  runtime?: Partial<UrlRuntime>;
}

export interface Encoded {
  /** the link (for tooLarge results: the link without the result, still usable) */
  url: string;
  /** characters of the link that would carry the result (== url.length unless tooLarge) */
  length: number;
  budget: number;
  /** the link with the result would pass the budget: offer a result file instead */
  tooLarge: boolean;
  /** characters of the compressed result payload, when a result was given */
  resultChars?: number;
}

export interface Decoded {
  /** always valid (parsePageState); the default page where the link said nothing usable */
  state: PageState;
  runtime: UrlRuntime;
  result: XlensResult | null;
  recorded: Recorded | null;
  /** one clear message per ignored setting; empty for a good link */
  errors: string[];
  /** why an embedded result was not loaded (or its note was replaced); empty when none was or it loaded */
  resultErrors: string[];
}

// --- base64url ------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function toBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63];
    if (i + 1 < bytes.length) out += B64[(n >> 6) & 63];
  }
  return out;
}

/** strict: null on any character outside the base64url alphabet or an impossible length */
export function fromBase64url(s: string): Uint8Array | null {
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
      acc &= (1 << bits) - 1;
    }
  }
  return out.subarray(0, o);
}

// --- compression ------------------------------------------------------------------------------

async function pump(stream: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array | 'too-large'> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      // a small payload that inflates past the limit (a "zip bomb") is refused, not held
      await reader.cancel().catch(() => {});
      return 'too-large';
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const r = await pump(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw')), Infinity);
  return r as Uint8Array;
}

/** inflate at most `max` bytes; throws on damaged data, 'too-large' past the limit */
async function inflateRaw(bytes: Uint8Array, max: number): Promise<Uint8Array | 'too-large'> {
  return pump(new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')), max);
}

// --- quantisation -----------------------------------------------------------------------------

const sig = (x: number, d: number) => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(d)));

/** the formats views use for real numbers; a quantised value must look the same in all of them */
function sameOnScreen(a: number, b: number, isProb: boolean, fourDecimals: boolean): boolean {
  if (a.toPrecision(3) !== b.toPrecision(3)) return false;
  // tooltips show probabilities and relevance with 4 decimals (viz/layer-heatmap/columns.ts fmtProb)
  if (fourDecimals && Math.abs(b) >= 0.001 && a.toFixed(4) !== b.toFixed(4)) return false;
  // fixed decimals: 2-3 for shares and probabilities (0.12, 0.123), 1 for percentages and depths (-87.0)
  if (Math.abs(b) < 1 ? a.toFixed(2) !== b.toFixed(2) || a.toFixed(3) !== b.toFixed(3) : a.toFixed(1) !== b.toFixed(1)) return false;
  if (isProb && a > 0 && b > 0) {
    const la = Math.log(a);
    const lb = Math.log(b);
    if (la.toPrecision(3) !== lb.toPrecision(3) || la.toFixed(2) !== lb.toFixed(2)) return false;
  }
  return true;
}

/** x rounded to QUANT_DIGITS significant digits when that displays the same; x otherwise */
export function quantise(x: number, isProb = false, fourDecimals = isProb): number {
  const q = sig(x, QUANT_DIGITS);
  return sameOnScreen(q, x, isProb, fourDecimals) ? q : x;
}

/** one real number by its schema rule (engine/result-schema.ts `Quant`) */
function quantiseNumber(q: Quant, x: number, root: XlensResult): number {
  if (q === 'prob') return quantise(x, true);
  // relevance values are shown like probabilities (4 decimals) in the relevance tooltip
  if (q === 'relevance') return quantise(x, false, true);
  if (q === 'knockoutEffect' && root.kind === 'analysis' && root.knockout) {
    // the tooltip shows p' = base·(1 + effect/100) with 4 decimals: the base stays exact and an
    // effect is rounded only where p' shows the same
    const base = root.knockout.baseProb;
    const pAfter = (e: number) => base * (1 + e / 100);
    const r = quantise(x);
    return sameOnScreen(pAfter(r), pAfter(x), true, true) ? r : x;
  }
  return quantise(x);
}

/** does a value of this node hold a number the permalink rounds? */
function rounds(n: SchemaNode): boolean {
  if (n.k === 'num') return n.q !== undefined;
  if (n.k === 'list' || n.k === 'map') return rounds(n.of);
  if (n.k === 'obj') return Object.values(n.f).some(rounds);
  return false;
}

/** a copy of `x` with the numbers the schema marks rounded; parts with none are shared, not copied */
function quantiseNode(n: SchemaNode, x: unknown, root: XlensResult): unknown {
  if (x === null || x === undefined || !rounds(n)) return x;
  if (n.k === 'num') return quantiseNumber(n.q!, x as number, root);
  if (n.k === 'list') {
    const row = (x as unknown[]).map((v) => quantiseNode(n.of, v, root));
    // a relevance row is rounded only if its sum (shown with 3 decimals) stays the same
    if (n.of.k === 'num' && n.of.q === 'relevance') {
      const sum = (r: number[]) => r.reduce((a, b) => a + b, 0).toFixed(3);
      return sum(row as number[]) === sum(x as number[]) ? row : x;
    }
    return row;
  }
  const o = x as Record<string, unknown>;
  if (n.k === 'map') return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, quantiseNode(n.of, v, root)]));
  if (n.k === 'obj') return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, n.f[k] ? quantiseNode(n.f[k], v, root) : v]));
  return x;
}

/**
 * A copy of a (validated) result with real numbers at 4 significant digits where that shows the
 * same. Which numbers, and by which rule, is the schema's `q` of each field; the rest (ids,
 * ranks, layers, counts, timings, the knockout base, the target logit) stay exact.
 */
export function quantiseResult<T extends XlensResult>(r: T): T {
  return quantiseNode(RESULT_SCHEMAS[r.kind], r, r) as T;
}

// --- custom text ------------------------------------------------------------------------------

const utf8 = new TextEncoder();

/** `1.` + compressed custom text, for the `t=` fragment parameter */
export async function encodeTextPayload(c: CustomText): Promise<string> {
  const bytes = await deflateRaw(utf8.encode(JSON.stringify({ context: c.context, question: c.question, answer: c.answer })));
  return `1.${toBase64url(bytes)}`;
}

/** `0.` + the same JSON uncompressed: for links that must be made synchronously */
function encodeTextPayloadSync(c: CustomText): string {
  return `0.${toBase64url(utf8.encode(JSON.stringify({ context: c.context, question: c.question, answer: c.answer })))}`;
}

/** Decode `t=`. Never throws: the custom text, or null and why. */
async function decodeTextPayload(payload: string): Promise<{ custom: CustomText | null; error?: string }> {
  const fail = (why: string) => ({ custom: null, error: `Ignored the custom text in the link: ${why}` });
  try {
    const m = /^([01])\.(.*)$/s.exec(payload);
    if (!m) return fail('it is in a format this xlens cannot read (it may have been cut off).');
    const bytes = fromBase64url(m[2]);
    if (!bytes || !bytes.length) return fail('it is damaged (characters a link cannot carry, or empty).');
    let raw: Uint8Array | 'too-large';
    if (m[1] === '1') {
      try {
        raw = await inflateRaw(bytes, MAX_TEXT_CHARS);
      } catch {
        return fail('it could not be decompressed (the link was probably cut off or altered).');
      }
    } else raw = bytes.length > MAX_TEXT_CHARS ? 'too-large' : bytes;
    if (raw === 'too-large') return fail(`it is longer than the ${LIMITS.text.toLocaleString('en-US')} characters a context or question may have.`);
    let v: unknown;
    try {
      v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      return fail('it is damaged (not UTF-8 JSON).');
    }
    const r = parsePageState({ v: 1, custom: v });
    if (r.errors.length || !r.state.custom) return fail(r.errors[0]?.replace(/^Ignored the custom text: /, '') ?? 'it is not a context, question and answer.');
    return { custom: r.state.custom };
  } catch {
    return fail('it could not be read.');
  }
}

// --- encode -----------------------------------------------------------------------------------

export function recordedOf(r: XlensResult): Recorded {
  return { model: r.model.id, backend: r.backend, date: r.createdAt };
}

function joinUrl(base: string, query: string, fragmentParts: string[]): string {
  const clean = base.replace(/[?#].*$/, '');
  const frag = fragmentParts.filter(Boolean).join('&');
  return `${clean}${query === '?' ? '' : query}${frag ? `#${frag}` : ''}`;
}

/** the page part of an address: the query, and the fragment's `t=` when there is custom text */
async function pageParts(state: PageState, runtime?: Partial<UrlRuntime>): Promise<{ query: string; fragment: string }> {
  const query = encodeUrl(state, runtime);
  return { query, fragment: state.custom ? `${TEXT_PARAM}=${await encodeTextPayload(state.custom)}` : '' };
}

/** The state-only link, synchronously (custom text uncompressed): the lesson's per-step links. */
export function encodeStateLink(state: PageState, base: string, runtime?: Partial<UrlRuntime>): string {
  return joinUrl(base, encodeUrl(state, runtime), [state.custom ? `${TEXT_PARAM}=${encodeTextPayloadSync(state.custom)}` : '']);
}

/** The state-only link with compressed custom text (what "Copy link" copies). */
export async function encodeStateLinkCompressed(state: PageState, base: string, runtime?: Partial<UrlRuntime>): Promise<string> {
  const { query, fragment } = await pageParts(state, runtime);
  return joinUrl(base, query, [fragment]);
}

/** The address for the address bar: "?query" plus "#t=..&r=.." (the result payload as given). */
export async function pageAddress(state: PageState, runtime: Partial<UrlRuntime>, resultPayload?: string | null): Promise<string> {
  const { query, fragment } = await pageParts(state, runtime);
  const frag = [fragment, resultPayload ? `${RESULT_PARAM}=${resultPayload}` : ''].filter(Boolean).join('&');
  return `${query === '?' ? '' : query}${frag ? `#${frag}` : ''}`;
}

/** the `r=` payload of a fragment ("#..."), or null */
export function resultPayloadOf(hash: string): string | null {
  try {
    return new URLSearchParams(hash.replace(/^#/, '')).get(RESULT_PARAM);
  } catch {
    return null;
  }
}

/** The compressed payload for `r=` (without the key). */
export async function encodeResultPayload(result: XlensResult, recorded?: Recorded): Promise<string> {
  const envelope = { recorded: recorded ?? recordedOf(result), result: quantiseResult(result) };
  const bytes = await deflateRaw(new TextEncoder().encode(JSON.stringify(envelope)));
  return `${PAYLOAD_FORMAT}.${toBase64url(bytes)}`;
}

/**
 * Encode a page (and optionally its result) as a link. With a result over the budget, `url` is
 * the state-only link and `tooLarge` is true: offer "Download result file" instead.
 */
export async function encodePermalink(state: PageState, opts: EncodeOptions): Promise<Encoded> {
  const { query, fragment } = await pageParts(state, opts.runtime);
  const stateOnly = joinUrl(opts.base, query, [fragment]);
  if (!opts.result) return { url: stateOnly, length: stateOnly.length, budget: URL_BUDGET, tooLarge: stateOnly.length > URL_BUDGET };
  const payload = await encodeResultPayload(opts.result, opts.recorded);
  const url = joinUrl(opts.base, query, [fragment, `${RESULT_PARAM}=${payload}`]);
  const tooLarge = url.length > URL_BUDGET;
  return { url: tooLarge ? stateOnly : url, length: url.length, budget: URL_BUDGET, tooLarge, resultChars: payload.length };
}

// --- decode -----------------------------------------------------------------------------------

const DATE_MAX = 64;

function parseRecorded(x: unknown, result: XlensResult): { recorded: Recorded; error?: string } {
  const fallback = recordedOf(result);
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { recorded: fallback, error: x === undefined ? undefined : 'The link\'s "recorded" note was invalid; the result\'s own model, backend and date are shown.' };
  const r = x as Record<string, unknown>;
  const ok =
    typeof r.model === 'string' && r.model.length > 0 && r.model.length <= 500 &&
    (r.backend === 'webgpu' || r.backend === 'wasm') &&
    typeof r.date === 'string' && r.date.length <= DATE_MAX && !Number.isNaN(Date.parse(r.date));
  if (!ok) return { recorded: fallback, error: 'The link\'s "recorded" note was invalid; the result\'s own model, backend and date are shown.' };
  return { recorded: { model: r.model as string, backend: r.backend as Recorded['backend'], date: r.date as string } };
}

/** Decode the `r=` payload. Never throws. */
export async function decodeResultPayload(payload: string): Promise<{ result: XlensResult | null; recorded: Recorded | null; errors: string[] }> {
  const fail = (msg: string | string[]) => ({ result: null, recorded: null, errors: Array.isArray(msg) ? msg : [msg] });
  try {
    const dot = payload.indexOf('.');
    if (dot < 0) return fail('The link\'s embedded result is damaged (no format marker); it may have been cut off. Re-run live, or ask for the result file.');
    const format = payload.slice(0, dot);
    if (format !== PAYLOAD_FORMAT) {
      return fail(`The link's embedded result uses format ${JSON.stringify(format.slice(0, 12))}, which this xlens cannot read (it reads format ${PAYLOAD_FORMAT}). Re-run live, or open the link in the xlens that made it.`);
    }
    const bytes = fromBase64url(payload.slice(dot + 1));
    if (!bytes || bytes.length === 0) return fail('The link\'s embedded result is damaged (it contains characters a link cannot carry, or it is empty); it may have been cut off or edited. Re-run live, or ask for the result file.');
    let raw: Uint8Array | 'too-large';
    try {
      raw = await inflateRaw(bytes, MAX_LINK_RESULT_CHARS);
    } catch {
      return fail('The link\'s embedded result is damaged: it could not be decompressed (the link was probably cut off or altered). Re-run live, or ask for the result file.');
    }
    if (raw === 'too-large') return fail(`The link's embedded result would unpack to more than ${MAX_LINK_RESULT_CHARS / 1048576} MB; a link made by xlens carries at most ${URL_BUDGET / 1024} KB of result, which unpacks to far less. It was refused; the page is shown without it.`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      return fail('The link\'s embedded result is damaged (not UTF-8 text).');
    }
    let env: unknown;
    try {
      env = JSON.parse(text);
    } catch {
      return fail('The link\'s embedded result is damaged (not valid JSON; the link may have been cut off).');
    }
    if (typeof env !== 'object' || env === null || Array.isArray(env) || !('result' in env)) return fail('The link\'s embedded data is not an xlens result.');
    const e = env as Record<string, unknown>;
    const check = validateResult(e.result);
    if (!check.ok) return fail(['The link\'s embedded result was not loaded:', ...check.errors]);
    const { recorded, error } = parseRecorded(e.recorded, check.result);
    return { result: check.result, recorded, errors: error ? [error] : [] };
  } catch (err) {
    return fail(`The link's embedded result could not be read (${err instanceof Error ? err.message.slice(0, 120) : 'unknown error'}).`);
  }
}

function safeDecodeUrl(search: string, opts: DecodeOptions = {}): ReturnType<typeof decodeUrl> {
  try {
    const d = decodeUrl(search, opts);
    // belt and braces: whatever decodeUrl returns must still be a valid state
    const again = parsePageState(d.state);
    return again.errors.length ? { ...d, state: defaultPageState(), errors: [...d.errors, ...again.errors] } : d;
  } catch {
    return { ...decodeUrl('', opts), errors: ['The page settings in the link could not be read; the default page is shown.'] };
  }
}

/**
 * Decode a permalink (a full URL, or just "?query#fragment"). Never throws; the state is always
 * valid. Parameters in the fragment override those in the query; `t=` (custom text) overrides
 * ?ctx=&q=&ans= and any example.
 */
export async function decodePermalink(href: string, opts: DecodeOptions = {}): Promise<Decoded> {
  const errors: string[] = [];
  const resultErrors: string[] = [];
  const bad = (msg: string): Decoded => {
    const d = safeDecodeUrl('', opts);
    return { state: d.state, runtime: d.runtime, result: null, recorded: null, errors: [msg], resultErrors: [] };
  };
  if (typeof href !== 'string') return bad('The link is not text; the default page is shown.');
  if (href.length > MAX_DECODE_URL) return bad(`The link is ${(href.length / 1048576).toFixed(1)} MB long, more than any browser keeps; the default page is shown.`);
  let search = '';
  let hash = '';
  try {
    const u = new URL(href, 'http://xlens.invalid/');
    search = u.search;
    hash = u.hash;
  } catch {
    return bad('The link is not a valid address; the default page is shown.');
  }
  let frag: URLSearchParams;
  try {
    frag = new URLSearchParams(hash.replace(/^#/, ''));
  } catch {
    frag = new URLSearchParams();
  }
  const payload = frag.get(RESULT_PARAM);
  const text = frag.get(TEXT_PARAM);
  frag.delete(RESULT_PARAM);
  frag.delete(TEXT_PARAM);
  for (const key of new Set(frag.keys())) {
    if (key.toLowerCase() === RESULT_PARAM || key.toLowerCase() === TEXT_PARAM) {
      errors.push(`Ignored #${key}=: fragment settings are lower case; did you mean #${key.toLowerCase()}=? ${key.toLowerCase() === RESULT_PARAM ? 'The result in the link was not loaded.' : 'The custom text in the link was not loaded.'}`);
      frag.delete(key);
    }
  }
  let merged = search;
  if ([...frag.keys()].length) {
    const q = new URLSearchParams(search);
    for (const k of new Set(frag.keys())) q.delete(k);
    for (const [k, v] of frag) q.append(k, v);
    merged = `?${q}`;
  }
  const st = safeDecodeUrl(merged, opts);
  errors.push(...st.errors);
  let state = st.state;
  if (text !== null) {
    const t = await decodeTextPayload(text);
    if (t.custom) state = { ...state, custom: t.custom, example: null };
    else if (t.error) errors.push(t.error);
  }
  let result: XlensResult | null = null;
  let recorded: Recorded | null = null;
  if (payload !== null) {
    const r = await decodeResultPayload(payload);
    result = r.result;
    recorded = r.recorded;
    resultErrors.push(...r.errors);
  }
  return { state, runtime: st.runtime, result, recorded, errors, resultErrors };
}

/** a message for the share dialog when a result is too large for a link */
export function tooLargeMessage(e: Encoded): string {
  return `With its results this link would be ${(e.length / 1024).toFixed(0)} KB, over the ${e.budget / 1024} KB that links can safely carry. Download the result file and share it instead; the link below restores the page without results.`;
}


