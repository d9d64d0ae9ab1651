// The writing systems of the 12 languages: which script a text is in (to notice custom text
// labelled with the wrong language), sample characters (to test whether the browser has a font
// for the script), and the fonts that render it, with their Debian/Ubuntu packages.
import { LANGUAGE_LIST, SCRIPT_RANGES, type LangCode, type ScriptCode } from './languages';

export interface ScriptInfo {
  code: ScriptCode;
  name: string;
  /** the languages of the app written in it */
  langs: LangCode[];
  /** a few common letters, each a single glyph (no combining marks) */
  sample: string[];
  /** Noto fonts that cover it */
  fonts: string[];
  /** Debian / Ubuntu packages with those fonts (fonts-noto-core holds most Noto scripts) */
  packages: string[];
}

const langsOf = (s: ScriptCode) => LANGUAGE_LIST.filter((l) => l.script === s).map((l) => l.code);

export const SCRIPTS: Readonly<Record<ScriptCode, ScriptInfo>> = {
  Latn: { code: 'Latn', name: 'Latin', langs: langsOf('Latn'), sample: ['a', 'ş', 'ă', 'ệ'], fonts: ['Noto Sans'], packages: ['fonts-noto-core', 'fonts-dejavu-core'] },
  Grek: { code: 'Grek', name: 'Greek', langs: langsOf('Grek'), sample: ['α', 'λ', 'Ω'], fonts: ['Noto Sans'], packages: ['fonts-noto-core', 'fonts-dejavu-core'] },
  Cyrl: { code: 'Cyrl', name: 'Cyrillic', langs: langsOf('Cyrl'), sample: ['ж', 'ы', 'Д'], fonts: ['Noto Sans'], packages: ['fonts-noto-core', 'fonts-dejavu-core'] },
  Arab: { code: 'Arab', name: 'Arabic', langs: langsOf('Arab'), sample: ['ب', 'ع', 'ه'], fonts: ['Noto Sans Arabic', 'Noto Naskh Arabic'], packages: ['fonts-noto-core', 'fonts-dejavu-core'] },
  Deva: { code: 'Deva', name: 'Devanagari', langs: langsOf('Deva'), sample: ['क', 'ह', 'न'], fonts: ['Noto Sans Devanagari'], packages: ['fonts-noto-core', 'fonts-lohit-deva'] },
  Thai: { code: 'Thai', name: 'Thai', langs: langsOf('Thai'), sample: ['ก', 'ท', 'ย'], fonts: ['Noto Sans Thai'], packages: ['fonts-noto-core', 'fonts-thai-tlwg'] },
  Hans: { code: 'Hans', name: 'Chinese (Han)', langs: langsOf('Hans'), sample: ['中', '文', '城'], fonts: ['Noto Sans CJK SC'], packages: ['fonts-noto-cjk', 'fonts-wqy-microhei'] },
};

/** the script most of a text's letters are written in, or null for a text without letters */
export function dominantScript(text: string): ScriptCode | null {
  const counts = new Map<ScriptCode, number>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    for (const [code, re] of Object.entries(SCRIPT_RANGES) as [ScriptCode, RegExp][]) {
      if (re.test(ch)) {
        counts.set(code, (counts.get(code) ?? 0) + 1);
        break;
      }
    }
  }
  let best: ScriptCode | null = null;
  for (const [code, n] of counts) if (best === null || n > counts.get(best)!) best = code;
  return best;
}
