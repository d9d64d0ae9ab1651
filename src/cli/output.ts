// Output that a caller can wait for: the process exits only once stdout and stderr have
// taken everything written to them (a pipe would otherwise lose the end).

function drain(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    // an empty write's callback runs once everything written before it is flushed
    if (!stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}

export async function flushed(): Promise<void> {
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
}

/** write to stdout and wait until it is taken */
export function out(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}
