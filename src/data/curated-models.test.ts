// Every curated entry against a recorded copy of its config.json: supported family,
// parameter count (hence the download size shown), and its pair is listed.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specFromConfig } from '../engine/arch/families';
import { estimateMemory, paramCount } from '../engine/arch/size';
import { isValidRepoId } from '../engine/hub/source';
import { CURATED_MODELS, downloadBytes, formatBytes, formatParams } from './curated-models';

describe('curated models', () => {
  for (const m of CURATED_MODELS) {
    it(m.repo, () => {
      expect(isValidRepoId(m.repo)).toBe(true);
      const path = `fixtures/hub-configs/${m.repo}/config.json`;
      expect(existsSync(path)).toBe(true);
      const spec = specFromConfig(JSON.parse(readFileSync(path, 'utf8')));
      expect(spec.family).toBe(m.family);
      expect(paramCount(spec)).toBe(m.params);
      if (m.pair) {
        const other = CURATED_MODELS.find((x) => x.repo === m.pair);
        expect(other?.pair).toBe(m.repo);
        expect(other?.kind).not.toBe(m.kind);
      }
    });
  }

  it('shows sizes a user can read', () => {
    const smol = CURATED_MODELS.find((m) => m.repo === 'HuggingFaceTB/SmolLM2-135M-Instruct')!;
    expect(formatBytes(downloadBytes(smol))).toBe('269 MB');
    expect(formatParams(smol.params)).toBe('135M');
    expect(formatParams(1235814400)).toBe('1.24B');
  });

  it('estimates which models fit fp32 WASM memory before downloading', () => {
    const fit = (repo: string) => estimateMemory(specFromConfig(JSON.parse(readFileSync(`fixtures/hub-configs/${repo}/config.json`, 'utf8')))).fitsWasm;
    expect(fit('Qwen/Qwen2.5-0.5B-Instruct')).toBe(true);
    expect(fit('unsloth/Llama-3.2-1B-Instruct')).toBe(false);
  });
});
