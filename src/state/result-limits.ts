// The most a recorded result (a result file, a permalink's embedded result) may ask the page to
// draw: what the largest model and prompt xlens supports can produce, and no more. A result
// past these limits was not made by xlens, and drawing it could hold the page for minutes, so it
// is refused with a message that names the limit.
import { ropeTableLength } from '../engine/graph/rope-table';

export const RESULT_CAPS = {
  /** prompt tokens: the engine refuses longer prompts (its rotary tables end there) */
  tokens: ropeTableLength(Number.POSITIVE_INFINITY),
  /**
   * layers: twice the deepest model xlens lists or has met (SmolLM2-360M has 32; Qwen3-4B, too
   * large for a browser, 36); result-limits.test.ts checks every recorded hub config against it
   */
  layers: 64,
  /** attention heads: twice the most of any listed model (Llama 3.2 1B and TinyLlama have 32) */
  heads: 64,
  /** vocabulary: four times the largest of a supported family (gemma3, 262,208) */
  vocab: 1_048_576,
  /** examples of a language-pair matrix: XQuAD has 1,190 per language */
  examples: 10_000,
  /** entries of the top-k list per layer (the engine keeps 10) */
  topK: 100,
} as const;

/** characters of the JSON a permalink's embedded result may unpack to: its payload is at most 32 KB,
 * and a real result compresses 3 to 10 times, so this leaves room for 60 times and refuses
 * "zip bombs" (a few KB of zeros that unpack to megabytes of cells) before they are parsed */
export const MAX_LINK_RESULT_CHARS = 2 * 1024 * 1024;

/** the caps in words, for messages */
export function capsInWords(): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `at most ${n(RESULT_CAPS.layers)} layers, ${n(RESULT_CAPS.heads)} attention heads, ${n(RESULT_CAPS.tokens)} prompt tokens and a vocabulary of ${n(RESULT_CAPS.vocab)}`;
}
