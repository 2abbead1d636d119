// kec status: Cilium readiness in the cloud and per edge group (src/cluster/status).
import type { Registrar } from './index.ts';
import type { ClusterFlags } from './flags.ts';
import { addClusterFlags, connectOptions, defined, formatOf, outputOption } from './flags.ts';

interface StatusFlags extends ClusterFlags {
  file?: string;
  output: string[];
  wait?: boolean;
  waitTimeout?: string;
  offlineGrace?: string;
  exec: boolean;
}

export const registerStatus: Registrar = (program, io, setExit) => {
  addClusterFlags(
    program
      .command('status')
      .description(
        'Cilium readiness: cloud agents, operator, relay; per edge group agents and nodes (offline edge nodes within the grace are not failures)',
      )
      .option('-f, --file <spec>', 'EdgeNetwork spec: edge groups and namespaces (default: discovered from labels)')
      .option('--wait', 'wait until everything is ready and rolled out')
      .option('--wait-timeout <duration>', 'how long --wait waits', '5m')
      .option('--offline-grace <duration>', 'an edge node offline longer than this is a failure', '1h')
      .option('--no-exec', 'do not run cilium-dbg status in agent pods')
      .addOption(outputOption()),
  ).action(async (o: StatusFlags) => {
    const { statusCommand } = await import('../../cluster/status/run.ts');
    setExit(
      await statusCommand(io, {
        format: formatOf(o.output),
        connect: connectOptions(o),
        exec: o.exec,
        ...defined({
          file: o.file,
          namespace: o.namespace,
          wait: o.wait,
          waitTimeout: o.waitTimeout,
          offlineGrace: o.offlineGrace,
        }),
      }),
    );
  });
};
