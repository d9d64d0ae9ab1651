// Tokenizer and chat template from transformers.js, built from the JSON files we fetched
// ourselves (so hub access, caching and progress stay in one place: engine/hub).

import * as transformers from '@huggingface/transformers';

export interface TextTokenizer {
  encode(text: string, opts?: { addSpecialTokens?: boolean }): number[];
  decode(ids: number[]): string;
  /**
   * display text per token of a sequence: the pieces concatenate to the decoded text; a piece never
   * splits a character (byte pieces are merged into the token that starts the character) nor a
   * grapheme cluster (a Thai or Devanagari combining mark stays with its base); a token whose whole
   * text was merged into the previous one shows ''. Leading spaces are kept (sentencepiece too).
   * `clusters: false` merges byte pieces only (a token's own characters, for naming one token).
   */
  tokenStrings(ids: number[], opts?: { clusters?: boolean }): string[];
  /** display text of one token on its own (a lens top-1, a target): leading space kept; a lone combining mark on a dotted circle */
  tokenText(id: number): string;
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

const graphemes = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter('und', { granularity: 'grapheme' }) : null;
const LEADING_MARK = /^\p{M}/u;

/**
 * Move piece boundaries that fall inside a grapheme cluster to the cluster's end, so the token that
 * starts a cluster shows all of it. The pieces still concatenate to the same text.
 */
function alignToGraphemes(pieces: string[]): string[] {
  const text = pieces.join('');
  if (!graphemes || !text) return pieces;
  const ends = new Set<number>([0, text.length]);
  for (const s of graphemes.segment(text)) ends.add(s.index + s.segment.length);
  const out: string[] = [];
  let from = 0; // where the current piece starts after the earlier boundaries moved
  let end = 0; // the original boundary after piece i
  for (const piece of pieces) {
    end += piece.length;
    let cut = Math.max(end, from);
    while (!ends.has(cut)) cut++;
    out.push(text.slice(from, cut));
    from = cut;
  }
  return out;
}

export function createTokenizer(tokenizerJSON: unknown, tokenizerConfig: Record<string, unknown>, chatTemplate?: string | null): TextTokenizer {
  const config = { ...tokenizerConfig };
  if (chatTemplate && !config.chat_template) config.chat_template = chatTemplate;
  const name = String(config.tokenizer_class ?? 'PreTrainedTokenizer').replace(/Fast$/, '');
  const classes = transformers as unknown as Record<string, new (j: unknown, c: unknown) => AnyTokenizer>;
  const Cls = classes[name] && name.endsWith('Tokenizer') ? classes[name] : classes.PreTrainedTokenizer;
  const tok = new Cls(tokenizerJSON, config);
  const eos = typeof tok.eos_token_id === 'number' ? [tok.eos_token_id] : [];

  const decode = (ids: number[]) => (ids.length ? tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }) : '');
  // Sentencepiece decoders drop the leading space of a whole sequence ("▁Maria" -> "Maria"). Decoding a
  // piece after an anchor token and cutting the anchor's text keeps that space where the piece has it.
  const anchorIds = tok.encode('a', { add_special_tokens: false });
  const anchorText = decode(anchorIds);
  const anchored = anchorIds.length === 1 && anchorText.length > 0;
  const decodePiece = (ids: number[]) => {
    if (!anchored) return decode(ids);
    const s = decode([...anchorIds, ...ids]);
    return s.startsWith(anchorText) ? s.slice(anchorText.length) : decode(ids);
  };

  /** pieces of a sequence: a group of tokens shares one piece (on its first token) until its bytes form whole characters */
  const bytePieces = (ids: number[]) => {
    const out: string[] = new Array(ids.length).fill('');
    let start = 0;
    while (start < ids.length) {
      let end = start + 1;
      let text = decodePiece(ids.slice(start, end));
      while (text.endsWith('\uFFFD') && end < ids.length && end - start < 8) {
        end++;
        text = decodePiece(ids.slice(start, end));
      }
      out[start] = text;
      start = end;
    }
    return out;
  };

  return {
    eosTokenIds: eos,
    encode(text, opts = {}) {
      return tok.encode(text, { add_special_tokens: opts.addSpecialTokens ?? true });
    },
    decode,
    tokenStrings(ids, opts = {}) {
      const pieces = bytePieces(ids);
      return opts.clusters === false ? pieces : alignToGraphemes(pieces);
    },
    tokenText(id) {
      const s = decodePiece([id]);
      return LEADING_MARK.test(s) ? `\u25CC${s}` : s;
    },
    applyChatTemplate(userText) {
      if (!tok.chat_template) return null;
      return tok.apply_chat_template([{ role: 'user', content: userText }], { tokenize: false, add_generation_prompt: true }) as string;
    },
  };
}
