// The 12 languages of the cross-lingual reading-comprehension examples (the language set of
// Gao et al., EMNLP 2025, "Understanding LLMs' Cross-Lingual Context Retrieval", i.e. XQuAD's).

/** Language codes in their fixed display order. */
export const LANGUAGES = ['ar', 'de', 'el', 'en', 'es', 'hi', 'ro', 'ru', 'th', 'tr', 'vi', 'zh'] as const;

export type LangCode = (typeof LANGUAGES)[number];

/** ISO 15924 script codes used by the 12 languages. */
export type ScriptCode = 'Arab' | 'Latn' | 'Grek' | 'Deva' | 'Cyrl' | 'Thai' | 'Hans';

export interface LanguageInfo {
  code: LangCode;
  /** English name. */
  name: string;
  /** Name of the language in the language itself. */
  nativeName: string;
  dir: 'ltr' | 'rtl';
  script: ScriptCode;
  /** Whether words are separated by spaces (false for Thai and Chinese). */
  spaces: boolean;
}

export const LANGUAGE_INFO: Readonly<Record<LangCode, LanguageInfo>> = {
  ar: { code: 'ar', name: 'Arabic', nativeName: 'العربية', dir: 'rtl', script: 'Arab', spaces: true },
  de: { code: 'de', name: 'German', nativeName: 'Deutsch', dir: 'ltr', script: 'Latn', spaces: true },
  el: { code: 'el', name: 'Greek', nativeName: 'Ελληνικά', dir: 'ltr', script: 'Grek', spaces: true },
  en: { code: 'en', name: 'English', nativeName: 'English', dir: 'ltr', script: 'Latn', spaces: true },
  es: { code: 'es', name: 'Spanish', nativeName: 'Español', dir: 'ltr', script: 'Latn', spaces: true },
  hi: { code: 'hi', name: 'Hindi', nativeName: 'हिन्दी', dir: 'ltr', script: 'Deva', spaces: true },
  ro: { code: 'ro', name: 'Romanian', nativeName: 'Română', dir: 'ltr', script: 'Latn', spaces: true },
  ru: { code: 'ru', name: 'Russian', nativeName: 'Русский', dir: 'ltr', script: 'Cyrl', spaces: true },
  th: { code: 'th', name: 'Thai', nativeName: 'ไทย', dir: 'ltr', script: 'Thai', spaces: false },
  tr: { code: 'tr', name: 'Turkish', nativeName: 'Türkçe', dir: 'ltr', script: 'Latn', spaces: true },
  vi: { code: 'vi', name: 'Vietnamese', nativeName: 'Tiếng Việt', dir: 'ltr', script: 'Latn', spaces: true },
  zh: { code: 'zh', name: 'Chinese (Simplified)', nativeName: '简体中文', dir: 'ltr', script: 'Hans', spaces: false },
};

/** Metadata in `LANGUAGES` order. */
export const LANGUAGE_LIST: readonly LanguageInfo[] = LANGUAGES.map((code) => LANGUAGE_INFO[code]);

export function isLangCode(value: string): value is LangCode {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Pattern matching one character of each script (not anchored, not global). Matches letters
 * and the script's combining marks; intersect with `\p{L}` to test letters only.
 * Han uses `\p{Script=Han}` (never the non-standard `\p{Han}`).
 */
export const SCRIPT_RANGES: Readonly<Record<ScriptCode, RegExp>> = {
  Arab: /\p{Script=Arabic}/u,
  Latn: /\p{Script=Latin}/u,
  Grek: /\p{Script=Greek}/u,
  Deva: /\p{Script=Devanagari}/u,
  Cyrl: /\p{Script=Cyrillic}/u,
  Thai: /\p{Script=Thai}/u,
  Hans: /\p{Script=Han}/u,
};

/** RegExp matching one character of the script the language is written in. */
export function expectedScript(code: LangCode): RegExp {
  return SCRIPT_RANGES[LANGUAGE_INFO[code].script];
}
