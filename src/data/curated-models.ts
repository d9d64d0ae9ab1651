// The small hub models a user would try first, in base / post-trained pairs where both exist.
// Parameter counts are computed from each model's config.json (recorded copies in
// fixtures/hub-configs/, checked by curated-models.test.ts); download size = params x 2 bytes
// (bf16 safetensors). Gated originals (meta-llama, google) are listed via public mirrors,
// since xlens loads public repos only.

export interface CuratedModel {
  repo: string;
  label: string;
  family: 'llama' | 'qwen2' | 'qwen3' | 'gemma3';
  params: number;
  /** base = pre-trained only; post-trained = instruction/chat tuned */
  kind: 'base' | 'post-trained';
  /** the other half of a base / post-trained pair */
  pair?: string;
  /** published by */
  origin: string;
}

export const CURATED_MODELS: CuratedModel[] = [
  { repo: 'HuggingFaceTB/SmolLM2-135M', label: 'SmolLM2 135M', family: 'llama', params: 134515008, kind: 'base', pair: 'HuggingFaceTB/SmolLM2-135M-Instruct', origin: 'Hugging Face' },
  { repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', label: 'SmolLM2 135M Instruct', family: 'llama', params: 134515008, kind: 'post-trained', pair: 'HuggingFaceTB/SmolLM2-135M', origin: 'Hugging Face' },
  { repo: 'unsloth/gemma-3-270m', label: 'Gemma 3 270M', family: 'gemma3', params: 268098176, kind: 'base', pair: 'unsloth/gemma-3-270m-it', origin: 'Google (mirror)' },
  { repo: 'unsloth/gemma-3-270m-it', label: 'Gemma 3 270M IT', family: 'gemma3', params: 268098176, kind: 'post-trained', pair: 'unsloth/gemma-3-270m', origin: 'Google (mirror)' },
  { repo: 'HuggingFaceTB/SmolLM2-360M', label: 'SmolLM2 360M', family: 'llama', params: 361821120, kind: 'base', pair: 'HuggingFaceTB/SmolLM2-360M-Instruct', origin: 'Hugging Face' },
  { repo: 'HuggingFaceTB/SmolLM2-360M-Instruct', label: 'SmolLM2 360M Instruct', family: 'llama', params: 361821120, kind: 'post-trained', pair: 'HuggingFaceTB/SmolLM2-360M', origin: 'Hugging Face' },
  { repo: 'Qwen/Qwen2.5-0.5B', label: 'Qwen2.5 0.5B', family: 'qwen2', params: 494032768, kind: 'base', pair: 'Qwen/Qwen2.5-0.5B-Instruct', origin: 'Alibaba Qwen' },
  { repo: 'Qwen/Qwen2.5-0.5B-Instruct', label: 'Qwen2.5 0.5B Instruct', family: 'qwen2', params: 494032768, kind: 'post-trained', pair: 'Qwen/Qwen2.5-0.5B', origin: 'Alibaba Qwen' },
  { repo: 'Qwen/Qwen3-0.6B-Base', label: 'Qwen3 0.6B Base', family: 'qwen3', params: 596049920, kind: 'base', pair: 'Qwen/Qwen3-0.6B', origin: 'Alibaba Qwen' },
  { repo: 'Qwen/Qwen3-0.6B', label: 'Qwen3 0.6B', family: 'qwen3', params: 596049920, kind: 'post-trained', pair: 'Qwen/Qwen3-0.6B-Base', origin: 'Alibaba Qwen' },
  { repo: 'unsloth/gemma-3-1b-it', label: 'Gemma 3 1B IT', family: 'gemma3', params: 999885952, kind: 'post-trained', origin: 'Google (mirror)' },
  { repo: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', label: 'TinyLlama 1.1B Chat', family: 'llama', params: 1100048384, kind: 'post-trained', origin: 'TinyLlama' },
  { repo: 'unsloth/Llama-3.2-1B', label: 'Llama 3.2 1B', family: 'llama', params: 1235814400, kind: 'base', pair: 'unsloth/Llama-3.2-1B-Instruct', origin: 'Meta (mirror)' },
  { repo: 'unsloth/Llama-3.2-1B-Instruct', label: 'Llama 3.2 1B Instruct', family: 'llama', params: 1235814400, kind: 'post-trained', pair: 'unsloth/Llama-3.2-1B', origin: 'Meta (mirror)' },
];

/** bytes of the bf16 safetensors download */
export function downloadBytes(m: CuratedModel): number {
  return m.params * 2;
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${Math.round(n / 1e6)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

export function formatParams(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : `${Math.round(n / 1e6)}M`;
}
