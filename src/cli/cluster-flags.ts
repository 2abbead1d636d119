// Flags every cluster command takes, as kubectl spells them.
import type { Command } from 'commander';
import type { ConnectOptions } from '../cluster/client.ts';
import { UsageError } from '../errors.ts';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  requestTimeout?: string;
}

export function addClusterFlags(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <ns>', 'Cilium namespace (default: from the spec, else kube-system)')
    .option('--request-timeout <seconds>', 'timeout of each API request', '30');
}

export function connectOptions(f: ClusterFlags): ConnectOptions {
  const o: ConnectOptions = {};
  if (f.kubeconfig !== undefined) o.kubeconfig = f.kubeconfig;
  if (f.context !== undefined) o.context = f.context;
  if (f.requestTimeout !== undefined) o.timeoutMs = Number(f.requestTimeout) * 1000;
  return o;
}

/** A positive number of seconds from a flag such as --timeout; UsageError naming the flag otherwise. */
export function secondsFlag(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${value}: expected a number of seconds > 0`);
  return n;
}
