import * as analyze from './commands/analyze';
import * as dump from './commands/dump';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, Command> = { dump, analyze };
