// What the user reads when a run fails: the engine's error classes in plain words.
import type { ResultInput } from '../engine/result';
import { isLangCode, LANGUAGE_INFO } from '../data/languages';
import { modelLabel } from './input';
import type { ModelRef } from './page-state';

/** "The answer …" -> "the answer …" after a colon; acronyms and ids ("WASM", "owner/name") stay */
function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

/** a friendlier first line for the engine's error classes */
export function describeError(name: string, message: string, during: string): string {
  switch (name) {
    case 'HubError':
      return `Could not load the model: ${message}`;
    case 'UnsupportedModelError':
      return `This model's architecture is not supported: ${message}`;
    case 'ModelTooLargeError':
      return `The model is too large for the browser: ${message}`;
    case 'SafetensorsError':
      return `The model's weights are damaged or incomplete: ${message}`;
    case 'InputTooLongError':
      // the engine's message starts "The prompt has N tokens; …": one sentence, not two nested
      return `The prompt is too long: ${message.replace(/^The prompt has/, 'it has')}`;
    case 'OutOfMemoryError':
      return message;
    case 'PromptError':
      return `The input cannot be analysed: ${lowerFirst(message)}`;
    default:
      return during === 'load' ? `Could not load the model: ${message}` : `The analysis failed: ${message}`;
  }
}

/** a prompt longer than the model accepts, for an XQuAD item: say what to do about it */
export function xquadTooLongMessage(message: string, input: ResultInput, model: ModelRef): string {
  const m = /(\d+) tokens.*?at most (\d+)/.exec(message);
  const n = (x: string) => Number(x).toLocaleString('en');
  const lang = input.contextLang && isLangCode(input.contextLang) ? LANGUAGE_INFO[input.contextLang].name : 'this language';
  const what = m ? `with the ${lang} paragraph the prompt has ${n(m[1])} tokens, and ${modelLabel(model)} reads at most ${n(m[2])}` : message;
  return `This XQuAD item is too long for the model: ${what}. Nothing was analysed. Choose a shorter paragraph (another question or article), another context language, or a model with a longer context.`;
}
