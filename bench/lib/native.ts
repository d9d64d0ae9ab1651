// onnxruntime-node (native CPU) and onnxruntime-web's Node build (the browser's WASM kernels,
// without the browser), behind one small interface.
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { readFileSync } from 'node:fs';
import type { AppFeedSpec } from '../../src/engine/graph/app-io';
import { feedsFor, type IoShape } from './graph-io';

export const THREADS = 2;

export interface Runner {
  /** one timed run (feeds through graph/app-io.ts, picked by the session's input names) */
  run(shape: IoShape, f: AppFeedSpec, fetches: string[]): Promise<number>;
  /** run with ready-made feeds (all outputs) */
  runFeeds(feeds: Record<string, unknown>): Promise<number>;
  release(): Promise<void>;
}

type AnyOrt = typeof ortNode | typeof ortWeb;

async function wrap(
  o: AnyOrt,
  s: { inputNames: readonly string[]; run(f: never, names: string[]): Promise<Record<string, { dispose?: () => void }>>; release(): Promise<void> },
): Promise<Runner> {
  return {
    async run(shape, spec, fetches) {
      const f = feedsFor(o, shape, s.inputNames, spec);
      const t0 = performance.now();
      const out = await s.run(f as never, fetches);
      const ms = performance.now() - t0;
      for (const t of Object.values(out)) t.dispose?.();
      return ms;
    },
    async runFeeds(f) {
      const t0 = performance.now();
      await s.run(f as never, undefined as never);
      return performance.now() - t0;
    },
    release: () => s.release(),
  };
}

/** native onnxruntime, CPU EP, `threads` intra-op threads */
export async function nativeSession(bytes: Uint8Array, threads = THREADS, profilePrefix?: string): Promise<Runner & { endProfiling(): string | undefined }> {
  const s = await ortNode.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    ...(profilePrefix ? { enableProfiling: true, profileFilePrefix: profilePrefix } : {}),
  });
  const r = await wrap(ortNode, s as never);
  return {
    ...r,
    endProfiling() {
      const sp = s as unknown as { endProfiling(): string | void };
      return sp.endProfiling() ?? undefined;
    },
  };
}

let webConfigured = false;
/** onnxruntime-web in Node: the same WASM kernels as the browser */
export async function nodeWasmSession(bytes: Uint8Array, threads = THREADS): Promise<Runner> {
  if (!webConfigured) {
    ortWeb.env.wasm.numThreads = threads;
    ortWeb.env.logLevel = 'error';
    webConfigured = true;
  }
  const s = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  return wrap(ortWeb, s as never);
}

export function ortVersions(): { node: string; web: string } {
  const v = (p: string) => JSON.parse(readFileSync(p, 'utf8')).version as string;
  return { node: v('node_modules/onnxruntime-node/package.json'), web: v('node_modules/onnxruntime-web/package.json') };
}
