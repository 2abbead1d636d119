// kec status: Cilium readiness in the cloud and per edge group (domain code loaded lazily).
import type { Command } from 'commander';
import { outputOption, parseOutputs } from '../io.ts';
import type { Registrar } from './index.ts';
import type { ClusterFlags } from '../cluster-flags.ts';
import { addClusterFlags, connectOptions } from '../cluster-flags.ts';

interface StatusFlags extends ClusterFlags {
  file?: string;
  output: string[];
  wait?: boolean;
  waitTimeout?: string;
  offlineGrace?: string;
  exec: boolean;
}

export const registerStatus: Registrar = (program: Command, io, setExit) => {
  addClusterFlags(program.command('status')
    .description('Cilium readiness: cloud agents, operator, relay; per edge group agents and nodes (offline edge nodes within the grace are not failures)')
    .option('-f, --file <spec>', 'EdgeNetwork spec: edge groups and namespaces (default: discovered from labels)')
    .option('--wait', 'wait until everything is ready and rolled out')
    .option('--wait-timeout <duration>', 'how long --wait waits', '5m')
    .option('--offline-grace <duration>', 'an edge node offline longer than this is a failure', '1h')
    .option('--no-exec', 'do not run cilium-dbg status in agent pods')
    .addOption(outputOption(false)))
    .action(async (o: StatusFlags) => {
      const format = parseOutputs(o.output, false).format;
      const { statusCommand } = await import('../../cluster/status/command.ts');
      setExit(await statusCommand(io, {
        format,
        connect: connectOptions(o),
        exec: o.exec,
        ...(o.file !== undefined ? { file: o.file } : {}),
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
        ...(o.wait ? { wait: true } : {}),
        ...(o.waitTimeout !== undefined ? { waitTimeout: o.waitTimeout } : {}),
        ...(o.offlineGrace !== undefined ? { offlineGrace: o.offlineGrace } : {}),
      }));
    });
};
