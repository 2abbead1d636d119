// kec dashboard [cluster flags] [--plan DIR] [-f SPEC] [--policies PATH -i INV] [--flows FILE] [--port N]
import type { Registrar } from './index.ts';
import type { ClusterFlags } from './flags.ts';
import { addClusterFlags, collect, connectOptions, defined } from './flags.ts';
import { UsageError } from '../../errors.ts';

interface DashboardFlags extends ClusterFlags {
  file?: string;
  plan?: string;
  policies: string[];
  newPolicies: string[];
  inventory: string[];
  flows?: string;
  nodes?: string;
  snapshot?: string;
  port: string;
  offlineGrace?: string;
  helm?: string;
}

function portFlag(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`--port ${v}: expected 0 (any free port) to 65535`);
  return Number(v);
}

export const registerDashboard: Registrar = (program, io, setExit) => {
  addClusterFlags(
    program
      .command('dashboard')
      .description(
        'The fleet, plan, policy, flows and findings in a browser: serves on 127.0.0.1 with a random token; read-only; offline from files or live from the cluster',
      )
      .option('-f, --file <spec>', 'EdgeNetwork spec: edge groups (and the plan, without --plan)')
      .option('--plan <dir>', 'a plan directory written by kec plan -d DIR (its plan.json)')
      .option('--policies <path>', 'policy files or directories (repeatable; needs -i)', collect, [] as string[])
      .option(
        '--new-policies <path>',
        'a second policy set: the Policy view lists the verdicts that change (repeatable)',
        collect,
        [] as string[],
      )
      .option(
        '-i, --inventory <file>',
        'pods and namespaces the policies apply to (repeatable)',
        collect,
        [] as string[],
      )
      .option('--flows <file>', 'Hubble JSON lines (hubble observe -o json)')
      .option('--nodes <file>', 'node labels for grouping flows per edge group (kubectl get nodes -o json)')
      .option('--snapshot <file>', 'offline fleet: a saved kec status -o json')
      .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', '0')
      .option('--offline-grace <duration>', 'an edge node offline longer than this is failing', '1h')
      .option('--helm <path>', "helm binary (live, with a plan: the deployed release's values against the plan's)"),
  ).action(async (o: DashboardFlags) => {
    const { dashboardCommand, wantsLive } = await import('../../dashboard/run.ts');
    const flags = defined({
      spec: o.file,
      plan: o.plan,
      flows: o.flows,
      nodes: o.nodes,
      snapshot: o.snapshot,
      kubeconfig: o.kubeconfig,
      context: o.context,
    });
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      setExit(
        await dashboardCommand(io, {
          ...flags,
          policies: o.policies,
          newPolicies: o.newPolicies,
          inventory: o.inventory,
          port: portFlag(o.port),
          live: wantsLive({ ...flags, policies: o.policies }),
          connect: connectOptions(o),
          signal: stop.signal,
          ...defined({ namespace: o.namespace, offlineGrace: o.offlineGrace, helm: o.helm }),
        }),
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
};
