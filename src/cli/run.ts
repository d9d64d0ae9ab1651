// The command line's dispatch: help, unknown commands, option parsing, exit statuses.
import { Args, helpText, parseCommandArgs, UsageError } from './args';
import { RUNNERS, SPECS } from './commands';

function mainHelp(): string {
  const list = Object.values(SPECS)
    .map((s) => `  ${s.name.padEnd(8)} ${s.summary}`)
    .join('\n');
  return [
    'xlens: see, layer by layer, how a language model answers a question about a text in another language.',
    '',
    'usage: npm run -s xlens -- <command> [options]      (or: npx tsx src/cli/main.ts <command> …)',
    '',
    'commands:',
    list,
    '',
    'xlens <command> --help shows a command\'s options. Models: the bundled xlens-tiny-instruct (default)',
    'and xlens-tiny-base by name, a model folder, or a hub repo id such as Qwen/Qwen2.5-0.5B-Instruct.',
    '',
  ].join('\n');
}

/** run one command line; returns the exit status (0 ok, 1 failure, 2 usage mistake) */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && SPECS[topic]) process.stdout.write(helpText(SPECS[topic]));
    else if (topic) {
      process.stderr.write(`xlens: unknown command "${topic}"; commands: ${Object.keys(SPECS).join(', ')}\n`);
      return 2;
    } else process.stdout.write(mainHelp());
    return 0;
  }
  const spec = SPECS[name];
  if (!spec) {
    process.stderr.write(`xlens: unknown command "${name}"; commands: ${Object.keys(SPECS).join(', ')} (see: xlens --help)\n`);
    return 2;
  }
  try {
    const parsed = parseCommandArgs(spec, rest);
    if (parsed.help) {
      process.stdout.write(helpText(spec));
      return 0;
    }
    const runner = await RUNNERS[name]();
    return await runner.run(new Args(spec, parsed.values));
  } catch (e) {
    const usage = e instanceof UsageError;
    process.stderr.write(`xlens ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return usage ? 2 : 1;
  }
}
