/// <reference types="vitest/config" />
// Vite config for the xlens app (and Vitest, which reads this file too).
//
// Four things matter beyond the React plugin:
// - Security headers on dev AND preview servers, and as dist/_headers for static hosts
//   (src/state/hub-policy.ts): a strict Content-Security-Policy, nosniff, no referrer, no framing,
//   and cross-origin isolation (COOP + COEP), which multithreaded WASM (SharedArrayBuffer) needs.
//   XLENS_HUBS (comma-separated https origins) adds hubs besides huggingface.co to connect-src.
// - onnxruntime-web's runtime files (ort-wasm-simd-threaded[.asyncify].{mjs,wasm}) are
//   served by us under /ort/, never from a CDN. We resolve onnxruntime-web with the
//   `onnxruntime-web-use-extern-wasm` condition, so `onnxruntime-web/wasm` is
//   ort.wasm.min.mjs and `onnxruntime-web/webgpu` is ort.webgpu.min.mjs; both fetch their
//   factory + binary from `env.wasm.wasmPaths`, which the worker points at /ort/.
// - @huggingface/transformers is used only for tokenizers. Its web build imports its own
//   copy of onnxruntime-web (a 1.31 dev build) at top level and would point it at a CDN;
//   in the worker bundle that import is replaced by an empty stub.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { CSP_REPORT_PATH, parseExtraHubs, securityHeaders, staticHeadersFile } from './src/state/hub-policy.ts';

const require = createRequire(import.meta.url);

/** Files onnxruntime-web loads at run time: wasm EP (ort.wasm.min.mjs) and WebGPU EP (ort.webgpu.min.mjs). */
export const ORT_RUNTIME_FILES = [
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
] as const;

// The package's exports hide package.json; resolve an exported runtime file instead.
const ortDist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** https hubs besides the default one that this build may connect to */
const EXTRA_HUBS = parseExtraHubs(process.env.XLENS_HUBS);
/** preview serves the built app on this computer: local hubs (the tests' hub server) are allowed */
const previewHeaders = securityHeaders({ localHubs: true, extraHubs: EXTRA_HUBS, reportUri: CSP_REPORT_PATH });

/**
 * The dev and preview servers collect the browser's CSP violation reports (from the page and its
 * workers) at CSP_REPORT_PATH: POST adds one (and prints it), GET lists them. The end-to-end
 * tests read the list after every test: a violation fails the test.
 */
function cspReports() {
  const reports: unknown[] = [];
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => {
    if ((req.url ?? '').split('?')[0] !== CSP_REPORT_PATH) return next();
    if (req.method === 'GET') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(reports));
      return;
    }
    if (req.method !== 'POST') {
      res.statusCode = 405;
      res.end();
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => {
      if (body.length < 65536) body += c.toString('utf8');
    });
    req.on('end', () => {
      try {
        const r = JSON.parse(body);
        if (reports.length < 10000) reports.push(r);
        const v = r['csp-report'] ?? r;
        console.error(`CSP violation: ${v['violated-directive'] ?? v.effectiveDirective ?? '?'} blocked ${v['blocked-uri'] ?? v.blockedURL ?? '?'} on ${v['document-uri'] ?? v.documentURL ?? '?'}`);
      } catch {
        // not a report
      }
      res.statusCode = 204;
      res.end();
    });
  };
}

/**
 * Security headers: on every response of the preview server, on the dev server with the hashes of
 * the inline scripts it injects into index.html (React's refresh preamble), and as `_headers` in
 * the build for static hosts.
 */
function securityHeadersPlugin(): Plugin {
  let devHashes: string[] = [];
  const devHeaders = () => securityHeaders({ localHubs: true, extraHubs: EXTRA_HUBS, dev: { scriptHashes: devHashes }, reportUri: CSP_REPORT_PATH });
  return {
    name: 'xlens:security-headers',
    configureServer(server) {
      server.middlewares.use(cspReports());
      server.middlewares.use((_req, res, next) => {
        // set when the response starts: index.html's inline scripts are hashed while it is transformed
        const writeHead = res.writeHead;
        res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
          for (const [k, v] of Object.entries(devHeaders())) if (!this.hasHeader(k) || k === 'Content-Security-Policy') this.setHeader(k, v);
          return writeHead.apply(this, args);
        } as typeof writeHead;
        next();
      });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.server) return html;
        const hashes = new Set(devHashes);
        for (const m of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) hashes.add(`sha256-${createHash('sha256').update(m[1]).digest('base64')}`);
        devHashes = [...hashes];
        return html;
      },
    },
    configurePreviewServer(server) {
      server.middlewares.use(cspReports());
      server.middlewares.use((_req, res, next) => {
        for (const [k, v] of Object.entries(previewHeaders)) res.setHeader(k, v);
        next();
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: staticHeadersFile(EXTRA_HUBS) });
    },
  };
}

/** Serve (dev) and emit (build) onnxruntime-web's runtime files under /ort/. */
function ortRuntimeFiles(): Plugin {
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const url = (req.url ?? '').split('?')[0];
    const m = /^\/ort\/([^/]+)$/.exec(url);
    if (!m || !(ORT_RUNTIME_FILES as readonly string[]).includes(m[1])) return next();
    const file = join(ortDist, m[1]);
    res.setHeader('Content-Type', m[1].endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
    res.setHeader('Content-Length', statSync(file).size);
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
    createReadStream(file).pipe(res);
  };
  return {
    name: 'xlens:ort-runtime-files',
    configureServer(server) {
      server.middlewares.use(serve);
    },
    generateBundle() {
      for (const name of ORT_RUNTIME_FILES) {
        this.emitFile({ type: 'asset', fileName: `ort/${name}`, source: readFileSync(join(ortDist, name)) });
      }
    },
  };
}

/** the port `npm start`, `npm run preview` and `npm run dev` listen on */
const PORT = (() => {
  const raw = process.env.PORT;
  if (raw === undefined || raw === '') return 5173;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`PORT=${raw} is not a port number (1-65535)`);
  return n;
})();

const ORT_STUB_ID = '\0xlens:transformers-ort-stub';

/** In the worker bundle, transformers.js gets an empty onnxruntime instead of its own copy. */
function stubTransformersOrt(): Plugin {
  return {
    name: 'xlens:stub-transformers-ort',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !importer.replace(/\\/g, '/').includes('/@huggingface/transformers/')) return null;
      if (source === 'onnxruntime-common' || source.startsWith('onnxruntime-web')) return ORT_STUB_ID;
      return null;
    },
    load(id) {
      // `Tensor` is the only named import; `env` stays undefined so transformers.js skips
      // its ONNX setup (which would set CDN wasm paths).
      if (id === ORT_STUB_ID) return 'export class Tensor { constructor() { throw new Error("xlens: transformers.js ONNX is disabled"); } }\n';
      return null;
    },
  };
}

export default defineConfig({
  // One page, no client-side routes: a missing file (e.g. a bundled model that is not there)
  // must be a 404, not index.html.
  appType: 'mpa',
  plugins: [react(), ortRuntimeFiles(), stubTransformersOrt(), securityHeadersPlugin()],
  define: { __XLENS_HUBS__: JSON.stringify(EXTRA_HUBS.join(',')) },
  resolve: {
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  worker: {
    format: 'es',
    plugins: () => [stubTransformersOrt()],
  },
  optimizeDeps: {
    // Pre-bundling would move ort's .mjs away from its files and would bypass the stub.
    exclude: ['onnxruntime-web', '@huggingface/transformers'],
  },
  // `PORT=8080 npm start` serves on another port (5173 when PORT is unset)
  server: { port: PORT, headers: isolationHeaders },
  preview: { port: PORT, headers: previewHeaders },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // gzip-sizing 40 MB of wasm on every build is slow and says nothing useful
    reportCompressedSize: false,
  },
  test: {
    environment: 'node',
    exclude: ['**/node_modules/**', '**/dist/**', 'e2e/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
