// kec sysdump: a redacted tar.gz of objects, logs and kec-state for bug reports (src/cluster/sysdump).
import { Option } from 'commander';
import type { Registrar } from './index.ts';
import type { ClusterFlags } from './flags.ts';
import { addClusterFlags, collect, connectOptions, defined } from './flags.ts';
import { UsageError } from '../../errors.ts';

interface SysdumpFlags extends ClusterFlags {
  file?: string;
  output: string[];
  concurrency: string;
  logLines: string;
  exec: boolean;
}

const int = (flag: string, v: string): number => {
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} ${v}: not a whole number`);
  return Number(v);
};

export const registerSysdump: Registrar = (program, io, setExit) => {
  addClusterFlags(
    program
      .command('sysdump')
      .description(
        'Write a tar.gz of nodes, Cilium CRDs and resources, DaemonSets, ConfigMaps, events, logs and kec-state (Secrets never included; tokens, certificates, keys redacted)',
      )
      .option('-f, --file <spec>', 'EdgeNetwork spec: namespaces (default kube-system and kubeedge)')
      .addOption(
        new Option(
          '-o, --output <file|format>',
          'archive to write (default ./kec-sysdump-<time>.tar.gz); json or yaml prints a summary on stdout (repeatable)',
        )
          .argParser(collect)
          .default([] as string[]),
      )
      .option('--concurrency <n>', 'API requests in flight', '8')
      .option('--log-lines <n>', 'last lines of each container log', '2000')
      .option('--no-exec', 'do not run cilium-dbg status in agent pods'),
  ).action(async (o: SysdumpFlags) => {
    const { sysdumpCommand } = await import('../../cluster/sysdump/run.ts');
    setExit(
      await sysdumpCommand(io, {
        output: o.output,
        connect: connectOptions(o),
        concurrency: int('--concurrency', o.concurrency),
        logLines: int('--log-lines', o.logLines),
        exec: o.exec,
        ...defined({ file: o.file, namespace: o.namespace }),
      }),
    );
  });
};
