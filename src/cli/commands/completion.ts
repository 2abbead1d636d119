// kec completion bash|zsh|fish: a completion script for every command and flag.
import { Argument } from 'commander';
import type { Registrar } from './index.ts';
import { GROUPS } from './index.ts';
import { completionScript } from './completion-script.ts';

export const registerCompletion: Registrar = (program, io, setExit) => {
  program
    .command('completion')
    .description(
      'Print a shell completion script (bash: source <(kec completion bash); fish: kec completion fish | source)',
    )
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      // Completion covers every command: register the groups this run did not load.
      const known = new Set(program.commands.map((c) => c.name()));
      for (const g of GROUPS) if (!g.commands.some((c) => known.has(c))) (await g.load())(program, io, setExit);
      io.out(completionScript(program, shell));
      setExit(0);
    });
};
