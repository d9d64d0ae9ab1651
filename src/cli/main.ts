// xlens command line: the same engine as the browser, on onnxruntime-web's Node build.

import { commands } from './commands';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    const list = Object.entries(commands)
      .map(([n, c]) => `  ${n.padEnd(8)} ${c.summary}`)
      .join('\n');
    process.stderr.write(`usage: npm run -s xlens -- <command> [options]\n\ncommands:\n${list}\n`);
    return name ? 2 : 0;
  }
  return (await cmd.load()).run(rest);
}

// exitCode, not exit(): exit() would cut stdout short when it is a pipe
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`xlens: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
