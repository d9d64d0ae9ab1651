// What a first visit downloads before anything is chosen: index.html, the scripts and styles it
// links, and the modules those import statically (not the worker, not lazily imported
// chunks, not models, data or onnxruntime's wasm). Raw and gzip bytes, from a production build:
//   npx vite build && npx tsx bench/first-load-size.ts [dist]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const seen = new Set<string>();
const queue = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
while (queue.length) {
  const f = queue.shift()!;
  if (seen.has(f)) continue;
  seen.add(f);
  if (!f.endsWith('.js')) continue;
  const code = readFileSync(join(dist, f), 'utf8');
  // static imports only: `import … from "./x.js"` and `import "./x.js"`, not import("./x.js")
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"();]*?\sfrom\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(`assets/${m[1]}`);
}
let raw = Buffer.byteLength(html);
let gz = gzipSync(html).length;
const rows = [['index.html', raw, gz]];
for (const f of seen) {
  const b = readFileSync(join(dist, f));
  const g = gzipSync(b, { level: 9 }).length;
  rows.push([f, b.length, g]);
  raw += b.length;
  gz += g;
}
for (const [f, r, g] of rows) console.log(`${String(f).padEnd(40)} ${String(r).padStart(9)} B  ${String(g).padStart(8)} B gzip`);
console.log(`${'first load'.padEnd(40)} ${String(raw).padStart(9)} B  ${String(gz).padStart(8)} B gzip`);
