import * as analyze from './commands/analyze';
import * as dump from './commands/dump';
import * as evalCmd from './commands/eval';
import * as matrix from './commands/matrix';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, Command> = { dump, analyze, matrix, eval: evalCmd };
