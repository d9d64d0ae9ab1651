// Text that came from data (a result file, a link, a model's tokens) on its way to a person or
// a file: lone surrogates (byte-level tokens can hold half a character) become U+FFFD so the
// text encodes as UTF-8 and as a URI; control characters become visible symbols; bidirectional
// and invisible format characters are shown, and the text is isolated so it cannot reorder
// the sentence around it.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** the string with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed) */
function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * C0 controls other than tab, line feed and carriage return as their Control Pictures (NUL ->
 * ␀, ESC -> ␛), DEL as ␡, C1 controls as U+FFFD; lone surrogates as U+FFFD.
 */
export function visibleControls(s: string): string {
  return wellFormed(s).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u0080-\u009F]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\uFFFD';
  });
}

/** bidirectional controls and invisible format characters (Unicode category Cf, and the BOM) */
export const FORMAT_CHARS = /[\p{Cf}\u180E]/gu;

/** a format character as a visible code, e.g. "⟨U+202E⟩" */
const codeOf = (c: string) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;

/**
 * A data-derived name (model id, host, file name, a parameter's value) for a message: control
 * and format characters made visible, so "owner/\u202Eledom" shows its override instead of
 * obeying it, and wrapped in first-strong isolates (U+2068 … U+2069), so an Arabic or Hebrew
 * name cannot reorder the sentence around it. Nothing inside can close the isolate early: every
 * bidi control inside has been made visible.
 */
export function isolateName(s: string): string {
  return `\u2068${visibleControls(s).replace(FORMAT_CHARS, codeOf)}\u2069`;
}
