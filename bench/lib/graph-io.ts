// How the benches feed the graphs they time, through the app graph's own input/output names
// (src/engine/graph/app-io.ts): no name is spelled here. Browser-safe (the bench page bundles it).

import type { ModelSpec } from '../../src/engine/arch/spec';
import type { ForwardGraphOptions } from '../../src/engine/graph/forward';
import { appFeeds, attnNames, hiddenNames, OUT, presentNames, type AppFeedSpec } from '../../src/engine/graph/app-io';
import type { Ort } from '../../src/engine/runtime/session';

/** a plain next-token forward: what "one forward" of a runtime costs without xlens's taps */
export const PLAIN_GRAPH: ForwardGraphOptions = { taps: false, knockout: false, logits: 'last', kvCache: 'none' };

export type Variant = 'app' | 'plain';

/** the part of a ModelSpec the feeds depend on (small enough to pass to the bench page) */
export type IoShape = Pick<ModelSpec, 'numLayers' | 'numKvHeads' | 'headDim' | 'hiddenSize'>;

export const ioShape = (s: ModelSpec): IoShape => ({ numLayers: s.numLayers, numKvHeads: s.numKvHeads, headDim: s.headDim, hiddenSize: s.hiddenSize });

/** any onnxruntime module (web or node): only its Tensor class is used */
type AnyOrt = { Tensor: unknown };

/**
 * Feeds for a session whose inputs are the app graph's or a subset of them (the plain graph takes only the
 * ids; a knockout-only graph the ids and the mask): appFeeds builds them all, the session's names pick.
 */
export function feedsFor(ort: AnyOrt, shape: IoShape, inputNames: readonly string[], f: AppFeedSpec): Record<string, unknown> {
  const all = appFeeds(ort as Ort, shape as ModelSpec, f) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const n of inputNames) {
    if (!(n in all)) throw new Error(`graph input ${n} is not one of the app graph's (graph/app-io.ts)`);
    out[n] = all[n];
  }
  return out;
}

/** what the analysis forward asks of the app graph (model.forward, a prompt in one chunk): logits, lens and attention at the last position */
export function analysisForwardSpec(ids: number[]): AppFeedSpec {
  const last = [ids.length - 1];
  return { ids, logitRows: last, lensLastRows: last, attnRows: last };
}

/** the outputs model.forward fetches from the app graph */
function analysisForwardFetches(L: number): string[] {
  return [OUT.logits, OUT.lensLast, ...hiddenNames(L), ...attnNames(L), ...presentNames(L)];
}

/** the feed of one timed run of a variant: the analysis forward (app) or next-token logits (plain) */
export function variantSpec(variant: Variant, ids: number[]): AppFeedSpec {
  return variant === 'app' ? analysisForwardSpec(ids) : { ids };
}

export function variantFetches(variant: Variant, L: number): string[] {
  return variant === 'app' ? analysisForwardFetches(L) : [OUT.logits];
}

/** deterministic prompt ids (avoid the special tokens at 304..306 of the fixture tokenizer) */
export function promptIds(T: number, vocab: number): number[] {
  const top = Math.min(vocab, 300);
  return Array.from({ length: T }, (_, i) => (i * 7919 + 13) % top);
}
