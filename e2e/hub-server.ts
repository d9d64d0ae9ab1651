// A local stand-in for the Hugging Face hub, for end-to-end tests (plain node:http, no deps).
//
//   GET /{org}/{name}/resolve/{revision}/{file}
//     org xlens-fixtures -> fixtures/models/{name}/{file}
//     org xlens          -> public/models/{name}/{file}
//     org xlens-generated -> fixtures/generated/{name}/{file} (written by the specs, git-ignored)
//
// Failure modes for tests, each over the fixture models:
//     org xlens-gated       -> 401 on every file (gated repo)
//     org xlens-private     -> 403 on every file
//     org xlens-flaky       -> *.safetensors: the first plain GET since /reset drops the
//                              connection halfway; Range requests are honoured, so a client
//                              that resumes gets the rest
//     org xlens-truncated   -> *.safetensors served cut to 60% (a complete but short response)
//     org xlens-unsupported -> config.json with model_type "gpt2"
//     org xlens-big         -> config.json only: the recorded config of {any org}/{name} in
//                              fixtures/hub-configs (e.g. Qwen3-4B, too large for browser memory
//                              even as int8, which xlens must refuse before downloading weights)
//   GET /reset clears the flaky counters.
//
// Any revision is accepted. Range requests (bytes=N-) get 206. Responses carry Content-Length, CORS `*` and
// `Cross-Origin-Resource-Policy: cross-origin` (the app is cross-origin isolated with
// COEP require-corp). Unknown repos and files get a 404 with a JSON body, like the hub.
//
// Run: tsx e2e/hub-server.ts [--port 4174] [--host 127.0.0.1]
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const ORGS: Record<string, string> = {
  'xlens-fixtures': join(ROOT, 'fixtures', 'models'),
  xlens: join(ROOT, 'public', 'models'),
  // checkpoints the specs write before they run (real-vocabulary shapes, fixtures/random-checkpoint.ts)
  'xlens-generated': join(ROOT, 'fixtures', 'generated'),
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

function baseHeaders(): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': '*',
    'Access-Control-Expose-Headers': 'Content-Length, Content-Range, ETag, X-Repo-Commit',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
}

function sendJSON(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...baseHeaders(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function contentType(file: string): string {
  if (file.endsWith('.json')) return 'application/json';
  if (file.endsWith('.jinja') || file.endsWith('.txt') || file.endsWith('.md')) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

/** Maps a request path to a file on disk, or null. Never leaves the org's folder. */
export function resolveHubPath(pathname: string): { repoDir: string; file: string } | { error: string; status: number } {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  // org / name / resolve / revision / file...
  if (parts.length < 5 || parts[2] !== 'resolve') return { status: 404, error: 'Not found' };
  const [org, name, , , ...fileParts] = parts;
  const orgDir = ORGS[org];
  if (!orgDir || !NAME.test(name)) return { status: 404, error: 'Repository not found' };
  if (fileParts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0'))) return { status: 400, error: 'Bad path' };
  const repoDir = join(orgDir, name);
  try {
    if (!statSync(repoDir).isDirectory()) return { status: 404, error: 'Repository not found' };
  } catch {
    return { status: 404, error: 'Repository not found' };
  }
  const file = join(repoDir, ...fileParts);
  if (!file.startsWith(repoDir + sep)) return { status: 400, error: 'Bad path' };
  return { repoDir, file };
}

const FAILURE_ORGS = ['xlens-gated', 'xlens-private', 'xlens-flaky', 'xlens-truncated', 'xlens-unsupported', 'xlens-big'];
const flakyHits = new Map<string, number>();

function handle(req: IncomingMessage, res: ServerResponse) {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, baseHeaders());
    res.end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJSON(res, 405, { error: 'Method not allowed' });
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') return sendJSON(res, 200, { ok: true });
  if (url.pathname === '/reset') {
    flakyHits.clear();
    return sendJSON(res, 200, { ok: true });
  }
  const parts = url.pathname.split('/').filter(Boolean);
  const failure = FAILURE_ORGS.includes(parts[0]) ? parts[0] : null;
  if (failure === 'xlens-gated') return sendJSON(res, 401, { error: 'Access to model is restricted. You must be authenticated.' });
  if (failure === 'xlens-private') return sendJSON(res, 403, { error: 'Forbidden' });
  if (failure === 'xlens-big') {
    const name = parts[1] ?? '';
    const file = parts.slice(4).join('/');
    if (!NAME.test(name) || file !== 'config.json') return sendJSON(res, 404, { error: 'Entry not found' });
    const configs = join(ROOT, 'fixtures', 'hub-configs');
    const cfg = readdirSync(configs)
      .map((org) => join(configs, org, name, 'config.json'))
      .find((f) => existsSync(f));
    if (!cfg) return sendJSON(res, 404, { error: 'Repository not found' });
    return sendJSON(res, 200, JSON.parse(readFileSync(cfg, 'utf8')));
  }
  const r = resolveHubPath(failure ? '/xlens-fixtures/' + parts.slice(1).join('/') : url.pathname);
  if ('error' in r) return sendJSON(res, r.status, { error: r.error });
  let size: number;
  let mtime: number;
  try {
    const st = statSync(r.file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
    mtime = st.mtimeMs;
  } catch {
    return sendJSON(res, 404, { error: 'Entry not found' });
  }
  if (failure === 'xlens-unsupported' && r.file.endsWith('config.json')) {
    const cfg = JSON.parse(readFileSync(r.file, 'utf8'));
    return sendJSON(res, 200, { ...cfg, model_type: 'gpt2', architectures: ['GPT2LMHeadModel'] });
  }
  const isWeights = r.file.endsWith('.safetensors');
  if (failure === 'xlens-truncated' && isWeights) size = Math.floor(size * 0.6);
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (start >= size && size > 0) {
    res.writeHead(416, { ...baseHeaders(), 'Content-Range': `bytes */${size}` });
    res.end();
    return;
  }
  const headers: Record<string, string> = {
    ...baseHeaders(),
    'Content-Type': contentType(r.file),
    'Content-Length': String(size - start),
    'Accept-Ranges': 'bytes',
    ETag: `"${size.toString(16)}-${Math.floor(mtime).toString(16)}"`,
    'Cache-Control': 'no-cache',
  };
  if (range) headers['Content-Range'] = `bytes ${start}-${size - 1}/${size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(r.file, { start, end: size - 1 });
  if (failure === 'xlens-flaky' && isWeights && !range) {
    const n = (flakyHits.get(url.pathname) ?? 0) + 1;
    flakyHits.set(url.pathname, n);
    if (n === 1) {
      // send half, then drop the connection
      const half = Math.floor(size / 2);
      createReadStream(r.file, { start: 0, end: half - 1 })
        .on('end', () => setTimeout(() => res.destroy(), 50))
        .pipe(res, { end: false });
      return;
    }
  }
  stream.pipe(res);
}

export function startHubServer(port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer(handle);
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(arg('port', process.env.HUB_PORT ?? '4174'));
  const host = arg('host', '127.0.0.1');
  startHubServer(port, host).then(
    () => process.stdout.write(`xlens hub server on http://${host}:${port} (orgs: ${Object.keys(ORGS).join(', ')})\n`),
    (e) => {
      process.stderr.write(`hub server: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
