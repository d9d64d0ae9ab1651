// Builds public/data/xquad/ (what the app and the CLI read) from the SQuAD v1.1 JSON of
// XQuAD, one file per language:
//   npx tsx tools/xquad/build.ts [--from /work/shared/data/xquad] [--to public/data/xquad]
// The source folder holds xquad.<lang>.json for the 12 languages and the CC BY-SA 4.0
// licence text; the licence is copied beside the output and README.md there says where the
// data comes from and what was changed (the licence asks for both).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LANGUAGES } from '../../src/data/languages';
import { deriveXquad, serialiseXquad, type SquadJson, type XquadFile } from '../../src/data/xquad/format';
import { XQUAD_CREDIT } from '../../src/data/xquad';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LICENCE = 'LICENSE-CC-BY-SA-4.0.txt';

const { values } = parseArgs({
  options: { from: { type: 'string', default: '/work/shared/data/xquad' }, to: { type: 'string', default: join(ROOT, 'public/data/xquad') } },
});
const from = resolve(values.from!);
const to = resolve(values.to!);
if (!existsSync(join(from, 'xquad.en.json'))) {
  process.stderr.write(`No XQuAD source in ${from} (expected xquad.<lang>.json for ${LANGUAGES.join(', ')}); pass --from <folder>.\n`);
  process.exit(2);
}
mkdirSync(to, { recursive: true });

const rows: string[] = [];
const files: XquadFile[] = [];
for (const lang of LANGUAGES) {
  const raw = JSON.parse(readFileSync(join(from, `xquad.${lang}.json`), 'utf8')) as SquadJson;
  const file = deriveXquad(raw, lang);
  files.push(file);
  const text = serialiseXquad(file);
  writeFileSync(join(to, `${lang}.json`), text);
  const paragraphs = file.articles.reduce((n, a) => n + a.paragraphs.length, 0);
  const questions = file.articles.reduce((n, a) => n + a.paragraphs.reduce((m, p) => m + p.qas.length, 0), 0);
  rows.push(`| ${lang} | ${file.articles.length} | ${paragraphs} | ${questions} | ${file.corrections.length} | ${(Buffer.byteLength(text) / 1024).toFixed(0)} KB |`);
  process.stderr.write(`${lang}: ${questions} questions, ${file.corrections.length} corrected offsets\n`);
}
// copied as text: the source may be read-only, the copy must not be
writeFileSync(join(to, LICENCE), readFileSync(join(from, LICENCE)));

const readme = `# XQuAD, as xlens ships it

${XQUAD_CREDIT}

- **Source**: the public repository [google-deepmind/xquad](https://github.com/google-deepmind/xquad)
  (Mikel Artetxe, Sebastian Ruder, Dani Yogatama, "On the Cross-lingual Transferability of
  Monolingual Representations", ACL 2020), SQuAD v1.1 JSON per language; Romanian from
  Dumitrescu et al., "LiRo: Benchmark and leaderboard for Romanian language tasks" (NeurIPS 2021
  Datasets and Benchmarks). XQuAD's English text is SQuAD v1.1's (Rajpurkar et al. 2016), from
  Wikipedia.
- **Licence**: [CC BY-SA 4.0](${LICENCE}) (full text beside this file). These files are
  derived from XQuAD and are shared under the same licence.
- **Changes made** (by \`tools/xquad/build.ts\`, run with \`npx tsx tools/xquad/build.ts --from
  <folder with xquad.<lang>.json>\`): each language in one file \`<lang>.json\`; surrounding
  whitespace removed from contexts, questions and answers, and each answer offset moved with
  its context's start; only the first answer of each question is kept (XQuAD has one);
  questions stored as \`[id, question, answer, answer_start]\`. An offset that does not point at
  its answer text would be replaced by the nearest occurrence of that text and listed in the
  file's \`corrections\` (none in this release). No text was changed.

| language | articles | paragraphs | questions | corrected offsets | size |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

The question ids are XQuAD's (the same in every language); xlens names an item
\`xquad-<id>\` in its page address (\`?ex=xquad-56beb4343aeaaa14008c925b\`).
`;
writeFileSync(join(to, 'README.md'), readme);
process.stderr.write(`wrote ${files.length} files to ${to}\n`);
