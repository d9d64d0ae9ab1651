// Commands load lazily, so `dump` does not pay for (or depend on) the example data.

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  dump: { summary: 'print logits [T][V], hidden [L+1][T][d] and attention [L][H][T][T] as JSON', load: () => import('./commands/dump') },
  analyze: { summary: 'run one analysis (example or free text) and print the result JSON', load: () => import('./commands/analyze') },
  matrix: { summary: 'run a model over examples for every language pair; --out file.json', load: () => import('./commands/matrix') },
  eval: { summary: 'score a model on a held-out jsonl set: exact-match table per language pair', load: () => import('./commands/eval') },
};
