// xlens command line: the same engine as the browser, on onnxruntime-web's Node build.
import { flushed } from './output';
import { runCli } from './run';

// The process ends as soon as its output is flushed: model sessions and timers left by
// libraries must not keep it alive. process.exit() only after stdout has drained, or a pipe
// would lose the end of the output.
runCli(process.argv.slice(2)).then(
  async (code) => {
    await flushed();
    process.exit(code);
  },
  async (e) => {
    process.stderr.write(`xlens: ${e instanceof Error ? e.message : String(e)}\n`);
    await flushed();
    process.exit(1);
  },
);
