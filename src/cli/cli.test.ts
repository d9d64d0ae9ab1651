// The command line as a user meets it: help for every command, typed switches, mistakes named
// with the fix, bundled models by name, analyze's knockout / relevance / phases, and an XQuAD
// evaluation that continues where a stopped run left off.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LANGUAGES } from '../data/languages';
import { Args, helpText, parseCommandArgs, UsageError } from './args';
import { SPECS } from './commands';
import { BUNDLED_DIR, resolveModel } from './node-engine';
import { runCli } from './run';
import { markdownTable, planTasks, readRecords, scoreTable, type ItemRecord } from './xquad-eval';

/** run the CLI in this process, capturing what it prints */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await runCli(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const ROOT = process.cwd();
/** tsx's loader by path: the child may run in another folder */
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** run the real entry point in a child process (exit status, and that it exits at all) */
function spawnCli(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

afterEach(() => vi.restoreAllMocks());

describe('help and commands', () => {
  it('xlens --help (and -h, help, no command) prints the commands and exits 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], []]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(0);
      for (const name of ['dump', 'analyze', 'matrix', 'eval']) expect(r.out).toContain(name);
    }
  });

  it('every command answers --help with its options and exits 0', async () => {
    for (const name of Object.keys(SPECS)) {
      for (const flag of ['--help', '-h']) {
        const r = await cli(name, flag);
        expect(r.code, `${name} ${flag}`).toBe(0);
        expect(r.out).toContain(`xlens ${name}`);
        expect(r.out).toContain('--model');
      }
      expect((await cli('help', name)).out).toBe(helpText(SPECS[name]));
    }
  });

  it('an unknown command is named, with the list, exit 2', async () => {
    const r = await cli('bogus', '--model', 'x');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "bogus"');
    expect(r.err).toContain('analyze');
  });

  it('eval: the held-out set is the default, --limit and --hub are listed', () => {
    const h = helpText(SPECS.eval);
    expect(h).toMatch(/--heldout <file.jsonl>\s+held-out set \(default: tools\/tiny-model\/heldout.jsonl/);
    expect(h).toContain('--limit <n>');
    expect(h).toContain('--hub <url>');
    expect(h).toContain('--set heldout|xquad');
    expect(h).toContain('--setting en-x|x-x|all');
  });

  it('matrix: --examples takes ids, --count takes a number', () => {
    const h = helpText(SPECS.matrix);
    expect(h).toMatch(/--examples <id,id,…>\s+example ids/);
    expect(h).toMatch(/--count <n>\s+how many examples/);
  });

  it('analyze lists knockout, window, relevance and weights; switches on by default have --no-', () => {
    const h = helpText(SPECS.analyze);
    expect(h).toContain('--knockout, --no-knockout');
    expect(h).toContain('--relevance, --no-relevance');
    expect(h).toContain('--window <layers>');
    expect(h).toContain('--weights auto|fp32|int8');
  });
});

describe('options through node:util parseArgs', () => {
  const parse = (name: string, ...argv: string[]) => new Args(SPECS[name], parseCommandArgs(SPECS[name], argv).values);

  it('booleans are switches: --depths, --no-knockout; defaults as in the app', () => {
    expect(parse('matrix').bool('depths')).toBe(false);
    expect(parse('matrix', '--depths').bool('depths')).toBe(true);
    expect(parse('analyze').bool('knockout')).toBe(true);
    expect(parse('analyze').bool('relevance')).toBe(true);
    expect(parse('analyze', '--no-knockout').bool('knockout')).toBe(false);
    expect(parse('analyze', '--no-relevance', '--knockout').bool('relevance')).toBe(false);
  });

  it('"--depths true" is refused with the right spelling', () => {
    expect(() => parse('matrix', '--depths', 'true')).toThrow(UsageError);
    expect(() => parse('matrix', '--depths', 'true')).toThrow('--depths is a switch and takes no value: write --depths');
    expect(() => parse('matrix', '--depths=true')).toThrow('takes no value');
    expect(() => parse('analyze', '--knockout', 'false')).toThrow('--no-knockout');
    expect(() => parse('analyze', '--knockout', '--no-knockout')).toThrow('contradict');
  });

  it('unknown options and missing values are named', () => {
    expect(() => parse('analyze', '--contxt', 'x')).toThrow('unknown option --contxt; did you mean --context?');
    expect(() => parse('eval', '--limit')).toThrow('--limit needs a value');
    expect(() => parse('eval', 'stray')).toThrow('unexpected argument "stray"');
  });

  it('numbers and languages are checked, and an unknown language lists the valid codes', () => {
    expect(parse('matrix', '--count', '3').int('count', 1)).toBe(3);
    expect(() => parse('matrix', '--count', 'three').int('count', 1)).toThrow('--count takes a whole number of at least 1, not "three"');
    expect(() => parse('matrix', '--count', '0').int('count', 1)).toThrow(UsageError);
    expect(parse('matrix', '--langs', 'ar, zh,ar').langs('langs')).toEqual(['ar', 'zh']);
    expect(() => parse('matrix', '--langs', 'ar,xx').langs('langs')).toThrow(`unknown language "xx"; valid codes: ${LANGUAGES.join(', ')}`);
    expect(() => parse('analyze', '--context-lang', 'jp').lang('context-lang')).toThrow('valid codes: ar, de, el');
    expect(() => parse('analyze', '--template', 'chatml').oneOf('template', ['plain', 'chat'] as const, 'plain')).toThrow('--template is one of plain, chat');
  });

  it('a usage mistake exits 2 with the message on stderr', async () => {
    const r = await cli('matrix', '--depths', 'true');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--depths is a switch');
    const l = await cli('analyze', '--example', 'tiny-01', '--context-lang', 'xx');
    expect(l.code).toBe(2);
    expect(l.err).toContain('valid codes: ar, de, el, en, es, hi, ro, ru, th, tr, vi, zh');
  });
});

describe('models by name', () => {
  it('--model xlens-tiny-instruct finds the bundled folder; repo ids go to the hub', () => {
    expect(resolveModel('xlens-tiny-instruct')).toEqual({ source: { kind: 'dir', path: join(BUNDLED_DIR, 'xlens-tiny-instruct') }, ref: { kind: 'bundled', name: 'xlens-tiny-instruct' } });
    expect(resolveModel('public/models/xlens-tiny-base').ref).toEqual({ kind: 'bundled', name: 'xlens-tiny-base' });
    expect(resolveModel('Qwen/Qwen2.5-0.5B@main', 'http://127.0.0.1:1').source).toEqual({ kind: 'hub', repo: 'Qwen/Qwen2.5-0.5B', revision: 'main', baseUrl: 'http://127.0.0.1:1' });
    expect(() => resolveModel('xlens-tiny-nope')).toThrow(/not a folder, a bundled model \(xlens-tiny-instruct, xlens-tiny-base\)/);
  });
});

describe('analyze prints knockout, relevance and phases (real model, child process)', () => {
  it('by default, with a summary on stderr; --no-knockout --no-relevance leaves them out', () => {
    const r = spawnCli(['analyze', '--model', 'xlens-tiny-instruct', '--example', 'tiny-01', '--context-lang', 'ar', '--question-lang', 'zh', '--window', '2']);
    expect(r.err).not.toContain('xlens analyze:');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.knockout.window).toBe(2);
    expect(j.knockout.sets).toContain('question');
    expect(j.relevance.relevance.length).toBe(j.model.numLayers + 1);
    expect(Object.keys(j.phases)).toEqual(['questionEncodingKnockout', 'answerRetrievalKnockout', 'questionEncodingMrd', 'answerRetrievalMrd']);
    expect(r.err).toMatch(/knockout \(window 2/);
    expect(r.err).toMatch(/phases: question encoding/);

    const bare = spawnCli(['analyze', '--example', 'tiny-01', '--context-lang', 'ar', '--question-lang', 'zh', '--no-knockout', '--no-relevance', '--quiet']);
    expect(bare.code).toBe(0);
    const b = JSON.parse(bare.out);
    expect(b.knockout).toBeUndefined();
    expect(b.relevance).toBeUndefined();
    expect(b.phases).toBeUndefined();
    expect(bare.err).toBe('');
  });
});

describe('XQuAD evaluation records', () => {
  const rec = (key: string, status: ItemRecord['status'], em = 0, f1 = 0): ItemRecord => {
    const [cl, ql, id] = key.split('>');
    return { type: 'item', key, exampleId: id, contextLang: cl, questionLang: ql, status, promptTokens: 10, gold: 'g', em, f1, permalink: 'x' };
  };

  it('plans en-x and x-x over the sample; en-en is scored once', () => {
    const t = planTasks(['en-x', 'x-x'], ['en', 'zh'], ['xquad-a', 'xquad-b']);
    expect(t.map((x) => x.key)).toEqual(['en>en>xquad-a', 'en>en>xquad-b', 'en>zh>xquad-a', 'en>zh>xquad-b', 'zh>zh>xquad-a', 'zh>zh>xquad-b']);
  });

  it('scores the table from the records: means over scored items, too-long and missing counted apart', () => {
    const records = new Map(
      [rec('en>en>a', 'scored', 1, 1), rec('en>en>b', 'scored', 0, 0.5), rec('en>th>a', 'too-long'), rec('en>th>b', 'scored', 0, 0.25), rec('th>th>a', 'too-long')].map((r) => [r.key, r]),
    );
    const t = scoreTable(records, ['en-x', 'x-x'], ['en', 'th'], ['a', 'b']);
    expect(t.cells['en-x'].en).toEqual({ n: 2, em: 0.5, f1: 0.75, tooLong: 0, noAnswer: 0, missing: 0 });
    expect(t.cells['en-x'].th).toEqual({ n: 1, em: 0, f1: 0.25, tooLong: 1, noAnswer: 0, missing: 0 });
    expect(t.cells['x-x'].th).toEqual({ n: 0, em: null, f1: null, tooLong: 1, noAnswer: 0, missing: 1 });
    expect(t.average['en-x']).toEqual({ em: 0.25, f1: 0.5 });
    const md = markdownTable(t, 'caption');
    expect(md).toContain('| setting | en | th | avg |');
    expect(md).toContain('| **en-x** | 50.0 / 75.0 | 0.0 / 25.0 | 25.0 / 50.0 |');
    expect(md).toContain('| **x-x** | 50.0 / 75.0 | – / – | 50.0 / 75.0 |');
    expect(md).toMatch(/Items skipped: prompt longer than the model accepts\n\n\| setting \| en \| th \| total \|\n[^\n]+\n\| en-x \| 0 \| 1 \| 1 \|/);
    expect(md).toContain('Items not run yet');
  });

  it('a stopped run continues where it stopped (real model, child process)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlens-eval-'));
    const args = ['eval', '--set', 'xquad', '--setting', 'en-x', '--langs', 'en,zh', '--limit', '2', '--max-new-tokens', '4'];
    const first = spawnCli(args, dir);
    expect(first.err).not.toContain('xlens eval:');
    expect(first.code).toBe(0);
    expect(first.out).toContain('| **en-x** |');
    const file = join(dir, 'xlens-eval-xquad-xlens-tiny-instruct-plain.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + 4);
    const items = lines.slice(1).map((l) => JSON.parse(l) as ItemRecord);
    for (const it of items) {
      expect(it.status).toBe('scored');
      expect(it.prompt).toContain('Context: ');
      expect(typeof it.prediction).toBe('string');
      expect(it.permalink).toMatch(new RegExp(`^http://localhost:5173/\\?model=xlens-tiny-instruct&cl=en&ql=${it.questionLang}&ex=${it.exampleId}$`));
    }

    // stopped after two items, the third cut mid-line: a rerun keeps the two and runs the other two
    writeFileSync(file, [lines[0], lines[1], lines[2], lines[3].slice(0, 40)].join('\n'));
    const again = spawnCli(args, dir);
    expect(again.code).toBe(0);
    expect(again.err).toContain('2 already in');
    expect(again.err).toContain('2 to go');
    const after = readRecords(file);
    expect(after.damaged).toBe(1);
    expect([...after.records.keys()].sort()).toEqual(items.map((i) => i.key).sort());
    expect(after.records.get(items[0].key)).toEqual(items[0]);
    expect(again.out.split('Records:')[0]).toBe(first.out.split('Records:')[0]);

    // another model's records are not mixed in
    const other = spawnCli([...args, '--model', 'xlens-tiny-base'], dir);
    expect(other.code).toBe(0);
    const mixed = spawnCli([...args, '--model', 'xlens-tiny-base', '--records', file], dir);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('--fresh');
  });
});
