// kec diagnose: rules over collected cluster state, each with evidence and the fix (src/cluster/diagnose).
import type { Registrar } from './index.ts';
import type { ClusterFlags } from './flags.ts';
import { addClusterFlags, collect, connectOptions, defined, formatOf, outputOption } from './flags.ts';

interface DiagnoseFlags extends ClusterFlags {
  file?: string;
  output: string[];
  nodeReport: string[];
  exec: boolean;
  logs: boolean;
}

export const registerDiagnose: Registrar = (program, io, setExit) => {
  addClusterFlags(
    program
      .command('diagnose')
      .description(
        'Find known problems of Cilium on KubeEdge (envoy, operator CRDs, agent restarts, cloudcore, RBAC, MetaServer, kube-proxy, DNS, kernel, policy, tunnel) with evidence and fixes',
      )
      .option('-f, --file <spec>', 'EdgeNetwork spec: edge groups and namespaces (default: discovered from labels)')
      .option(
        '--node-report <[node=]file>',
        'output of `kec node preflight -o json` or an edgecore.yaml from a node (repeatable)',
        collect,
        [] as string[],
      )
      .option('--no-exec', 'do not run cilium-dbg status in agent pods')
      .option('--no-logs', 'do not read agent and operator logs')
      .addOption(outputOption()),
  ).action(async (o: DiagnoseFlags) => {
    const { diagnoseCommand } = await import('../../cluster/diagnose/run.ts');
    setExit(
      await diagnoseCommand(io, {
        format: formatOf(o.output),
        connect: connectOptions(o),
        nodeReports: o.nodeReport,
        exec: o.exec,
        logs: o.logs,
        ...defined({ file: o.file, namespace: o.namespace }),
      }),
    );
  });
};
