// How a token's text is shown in charts: whitespace made visible, never empty.
export function displayToken(t: string): string {
  if (t.length === 0) return '∅';
  return t.replace(/ /g, '␣').replace(/\n/g, '↵').replace(/\t/g, '⇥').replace(/\r/g, '');
}
