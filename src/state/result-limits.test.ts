// The caps are what supported models can produce: every recorded hub config (the curated models
// and the larger ones tests meet) and the bundled tiny models fit under them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_ROPE_POSITIONS } from '../engine/graph/rope-table';
import { CURATED_MODELS } from '../data/curated-models';
import { RESULT_CAPS } from './result-limits';

function configs(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) configs(p, out);
    else if (name === 'config.json') out.push(p);
  }
  return out;
}

describe('result caps', () => {
  it('cover every recorded hub config and the bundled models', () => {
    const files = [...configs('fixtures/hub-configs'), ...configs('public/models')];
    expect(files.length).toBeGreaterThanOrEqual(CURATED_MODELS.length);
    for (const f of files) {
      const raw = JSON.parse(readFileSync(f, 'utf8'));
      const c = raw.text_config ?? raw;
      expect(c.num_hidden_layers, f).toBeLessThanOrEqual(RESULT_CAPS.layers);
      expect(c.num_attention_heads, f).toBeLessThanOrEqual(RESULT_CAPS.heads);
      expect(c.vocab_size, f).toBeLessThanOrEqual(RESULT_CAPS.vocab);
    }
  });

  it('tokens are the engine\'s own limit', () => {
    expect(RESULT_CAPS.tokens).toBe(MAX_ROPE_POSITIONS);
  });
});
