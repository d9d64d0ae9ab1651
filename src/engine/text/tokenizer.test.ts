import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from './tokenizer';

const load = (name: string) =>
  createTokenizer(
    JSON.parse(readFileSync(`fixtures/models/${name}/tokenizer.json`, 'utf8')),
    JSON.parse(readFileSync(`fixtures/models/${name}/tokenizer_config.json`, 'utf8')),
  );

describe('tokenizer', () => {
  const tok = load('qwen2-bias-bf16');

  it('round-trips text in several scripts', () => {
    for (const s of ['Where does Ana live?', 'أين تعيش آنا؟', '安娜住在哪里？', 'อันนาอาศัยอยู่ที่ไหน', 'Πού μένει η Άννα;']) {
      expect(tok.decode(tok.encode(s))).toBe(s);
    }
  });

  it('decodes no ids as no text (a model that ends its answer at once)', () => {
    expect(tok.decode([])).toBe('');
  });

  it('merges byte pieces so no token shows mojibake, and the pieces concatenate to the text', () => {
    for (const s of ['安娜住在北京。', 'مرحبا بالعالم', 'ภาษาไทย', 'नमस्ते']) {
      const ids = tok.encode(s);
      const pieces = tok.tokenStrings(ids);
      expect(pieces.length).toBe(ids.length);
      expect(pieces.join('')).toBe(s);
      expect(pieces.some((p) => p.includes('\uFFFD'))).toBe(false);
    }
  });

  it('applies the chat template when there is one', () => {
    const text = tok.applyChatTemplate('hello');
    expect(text).toContain('<|im_start|>user\nhello<|im_end|>');
    expect(text?.endsWith('<|im_start|>assistant\n')).toBe(true);
    const plain = load('llama-tied-fp32');
    expect(plain.applyChatTemplate('hello')).toBeNull();
  });
});
