// kec flows summarize [FILE|-] [-f SPEC] [--nodes NODES] [--by …] [--top N] [--follow] [-o json|yaml]
import { Option } from 'commander';
import type { Registrar } from './index.ts';
import { countFlag, defined, formatOf, outputOption } from './flags.ts';
import { durationFlag } from '../../util/duration.ts';
import { BREAKDOWNS } from '../../flows/summarize.ts';
import type { BreakdownBy } from '../../flows/summarize.ts';

const positiveInt =
  (flag: string) =>
  (v: string): number =>
    countFlag(flag, v);

export const registerFlows: Registrar = (program, io, setExit) => {
  const flows = program.command('flows').description('Hubble flow summaries per edge site');
  flows
    .command('summarize')
    .description(
      'Summarise Hubble JSON lines (hubble observe -o json): verdicts, drop reasons, policy denies, top talkers, DNS/HTTP, per edge group',
    )
    .argument('[file]', 'file of Hubble JSON lines, or - for stdin (default: stdin)')
    .option('-f, --file <spec>', 'EdgeNetwork spec: group nodes by edgeGroups[].nodeSelector (needs --nodes)')
    .option('--nodes <file>', 'node labels: output of kubectl get nodes -o json (or -o yaml)')
    .addOption(new Option('--by <what>', 'breakdown').choices([...BREAKDOWNS]).default('group'))
    .option('--top <n>', 'length of the top lists', positiveInt('--top'), 10)
    .option('--follow', 'read a live stream (stdin) and print a refreshed summary every --interval', false)
    .option(
      '--interval <duration>',
      'refresh interval for --follow (2s, 1m, or seconds)',
      (v: string) => durationFlag('--interval', v),
      2000,
    )
    .addOption(outputOption())
    .action(
      async (
        file: string | undefined,
        o: {
          file?: string;
          nodes?: string;
          by: BreakdownBy;
          top: number;
          follow: boolean;
          interval: number;
          output: string[];
        },
      ) => {
        const { flowsSummarizeCommand } = await import('../../flows/run.ts');
        setExit(
          await flowsSummarizeCommand(io, {
            ...defined({ input: file, spec: o.file, nodes: o.nodes }),
            by: o.by,
            top: o.top,
            follow: o.follow,
            intervalMs: o.interval,
            format: formatOf(o.output),
            tty: process.stdout.isTTY === true,
          }),
        );
      },
    );
};
