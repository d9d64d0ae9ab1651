// Tokenizer and chat template from transformers.js, built from the JSON files we fetched
// ourselves (so hub access, caching and progress stay in one place: engine/hub).

import * as transformers from '@huggingface/transformers';

export interface TextTokenizer {
  encode(text: string, opts?: { addSpecialTokens?: boolean }): number[];
  decode(ids: number[]): string;
  /** display text per token; byte pieces are merged until they decode (no mojibake) */
  tokenStrings(ids: number[]): string[];
  /** the prompt text for one user turn, or null when the model has no chat template */
  applyChatTemplate(userText: string): string | null;
  readonly eosTokenIds: number[];
}

type AnyTokenizer = {
  encode(text: string, opts?: { add_special_tokens?: boolean }): number[];
  decode(ids: number[], opts?: { skip_special_tokens?: boolean; clean_up_tokenization_spaces?: boolean }): string;
  apply_chat_template(messages: { role: string; content: string }[], opts: Record<string, unknown>): string;
  chat_template?: unknown;
  eos_token_id?: number;
};

export function createTokenizer(tokenizerJSON: unknown, tokenizerConfig: Record<string, unknown>, chatTemplate?: string | null): TextTokenizer {
  const config = { ...tokenizerConfig };
  if (chatTemplate && !config.chat_template) config.chat_template = chatTemplate;
  const name = String(config.tokenizer_class ?? 'PreTrainedTokenizer').replace(/Fast$/, '');
  const classes = transformers as unknown as Record<string, new (j: unknown, c: unknown) => AnyTokenizer>;
  const Cls = classes[name] && name.endsWith('Tokenizer') ? classes[name] : classes.PreTrainedTokenizer;
  const tok = new Cls(tokenizerJSON, config);
  const eos = typeof tok.eos_token_id === 'number' ? [tok.eos_token_id] : [];

  // no ids is no text (a model that stops at once); transformers.js refuses an empty list
  const decode = (ids: number[]) => (ids.length ? tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }) : '');

  return {
    eosTokenIds: eos,
    encode(text, opts = {}) {
      return tok.encode(text, { add_special_tokens: opts.addSpecialTokens ?? true });
    },
    decode,
    tokenStrings(ids) {
      const out: string[] = new Array(ids.length).fill('');
      let start = 0;
      while (start < ids.length) {
        // extend the group until its bytes form whole characters
        let end = start + 1;
        let text = decode(ids.slice(start, end));
        while (text.endsWith('\uFFFD') && end < ids.length && end - start < 8) {
          const longer = decode(ids.slice(start, end + 1));
          end++;
          text = longer;
          if (!longer.endsWith('\uFFFD')) break;
        }
        out[start] = text;
        start = end;
      }
      return out;
    },
    applyChatTemplate(userText) {
      if (!tok.chat_template) return null;
      return tok.apply_chat_template([{ role: 'user', content: userText }], { tokenize: false, add_generation_prompt: true }) as string;
    },
  };
}
