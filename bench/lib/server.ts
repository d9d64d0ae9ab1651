// A small cross-origin-isolated HTTP server for the browser benches: COOP same-origin +
// COEP require-corp on every response (SharedArrayBuffer, so WASM threads), serving
//   /              the bench page
//   /harness.js    bench/browser/harness.ts bundled by esbuild
//   /ort/<file>    onnxruntime-web's dist files (ort.wasm.min.mjs + its threaded wasm)
//   /blob/<key>    in-memory buffers registered by the bench (serialised ONNX models)
//   /files/<path>  model folders under bench/out, public/models and fixtures (read from disk)
//   /hub/xlens-bench/<name>/resolve/<rev>/<file>   bench/out/<name>/<file> in the hub's URL
//                  layout, with CORS and CORP cross-origin (for the app, which is another origin)
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, resolve } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const ORT_DIST = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
const ROOT = resolve('.');
const FILE_ROOTS = ['bench/out', 'public/models', 'fixtures/models'];

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>xlens bench</title></head>
<body><pre id="log">loading</pre><script type="module">
import * as h from '/harness.js';
window.xbench = h;
document.getElementById('log').textContent = 'ready ' + (self.crossOriginIsolated ? 'isolated' : 'NOT isolated');
</script></body></html>`;

function mime(p: string): string {
  if (p.endsWith('.wasm')) return 'application/wasm';
  if (p.endsWith('.mjs') || p.endsWith('.js')) return 'text/javascript';
  if (p.endsWith('.json')) return 'application/json';
  if (p.endsWith('.html')) return 'text/html';
  return 'application/octet-stream';
}

let harness: Promise<string> | null = null;
/** the browser harness with the engine, transformers.js (tokenizers only) and no bundled onnxruntime */
function bundleHarness(): Promise<string> {
  harness ??= build({
    entryPoints: ['bench/browser/harness.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    external: ['/ort/*', 'node:*'],
    plugins: [
      {
        // as in vite.config.ts: transformers.js gets an empty onnxruntime (we only use its tokenizers)
        name: 'stub-transformers-ort',
        setup(b) {
          b.onResolve({ filter: /^onnxruntime-(web|common)/ }, (args) =>
            args.importer.includes('@huggingface/transformers') ? { path: 'ort-stub', namespace: 'stub' } : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
            contents: 'export class Tensor { constructor() { throw new Error("transformers.js ONNX is disabled"); } }\nexport const env = undefined;\n',
            loader: 'js',
          }));
        },
      },
    ],
  }).then((r) => r.outputFiles[0].text);
  return harness;
}

export interface BenchServer {
  url: string;
  /** make `bytes` available at `${url}/blob/${key}` */
  put(key: string, bytes: Uint8Array): string;
  drop(key: string): void;
  close(): Promise<void>;
  server: Server;
}

export async function startServer(port = 0): Promise<BenchServer> {
  const blobs = new Map<string, Uint8Array>();
  await bundleHarness();
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const send = (status: number, body: string | Uint8Array, type = 'text/plain') => {
      res.writeHead(status, { ...ISOLATION, 'Content-Type': type, 'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength });
      res.end(body);
    };
    const stream = (file: string) => {
      res.writeHead(200, { ...ISOLATION, 'Content-Type': mime(file), 'Content-Length': statSync(file).size });
      createReadStream(file).pipe(res);
    };
    if (path === '/' || path === '/index.html') return send(200, PAGE, 'text/html');
    if (path === '/harness.js') {
      bundleHarness().then((js) => send(200, js, 'text/javascript'), (e) => send(500, String(e)));
      return;
    }
    if (path === '/favicon.ico') return send(204, '');
    let m = /^\/ort\/([\w.-]+)$/.exec(path);
    if (m) {
      const file = join(ORT_DIST, m[1]);
      return existsSync(file) ? stream(file) : send(404, 'not found');
    }
    m = /^\/blob\/([\w.-]+)$/.exec(path);
    if (m) {
      const b = blobs.get(m[1]);
      return b ? send(200, b, 'application/octet-stream') : send(404, 'no such blob');
    }
    m = /^\/files\/(.+)$/.exec(path);
    if (m) {
      const rel = normalize(m[1]);
      const file = resolve(ROOT, rel);
      if (!FILE_ROOTS.some((r) => file.startsWith(resolve(ROOT, r) + '/')) || !existsSync(file) || !statSync(file).isFile()) return send(404, 'not found');
      return stream(file);
    }
    m = /^\/hub\/xlens-bench\/([\w.-]+)\/resolve\/[^/]+\/([\w.-]+)$/.exec(path);
    if (m || path.startsWith('/hub/')) {
      const cors = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'Cache-Control': 'no-store' };
      const file = m ? resolve(ROOT, 'bench/out', m[1], m[2]) : '';
      if (!m || !existsSync(file) || !statSync(file).isFile()) {
        const body = JSON.stringify({ error: 'Entry not found' });
        res.writeHead(404, { ...cors, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      res.writeHead(200, { ...cors, 'Content-Type': mime(file), 'Content-Length': statSync(file).size });
      createReadStream(file).pipe(res);
      return;
    }
    send(404, 'not found');
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}`;
  return {
    url,
    server,
    put(key, bytes) {
      blobs.set(key, bytes);
      return `${url}/blob/${key}`;
    },
    drop(key) {
      blobs.delete(key);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
