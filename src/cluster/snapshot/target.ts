// What every read-only cluster command (status, diagnose, sysdump) resolves first: the
// optional spec (edge groups, namespaces), the Cilium namespace and how to connect.
import type { Cluster } from '../types.ts';
import type { ConnectOptions } from '../client.ts';
import type { Io } from '../../output/io.ts';
import { loadSpecOrFail } from '../../edgenetwork/load.ts';
import type { EdgeNetwork } from '../../edgenetwork/types.ts';
import { groupsFromSpec } from './collect.ts';
import type { GroupDef } from './state.ts';

export interface TargetOptions {
  file?: string | undefined;
  namespace?: string | undefined;
  connect: ConnectOptions;
}

export interface Target {
  spec?: EdgeNetwork;
  namespace: string;
  kubeedgeNamespace: string;
  cloudcoreServiceAccount: string;
  groups?: GroupDef[];
}

export async function resolveTarget(io: Io, opts: TargetOptions): Promise<Target> {
  const spec: EdgeNetwork | undefined =
    opts.file !== undefined ? (await loadSpecOrFail(io, opts.file, 'nothing read from the cluster')).value : undefined;
  const t: Target = {
    namespace: opts.namespace ?? spec?.spec.cilium.namespace ?? 'kube-system',
    kubeedgeNamespace: spec?.spec.kubeedge.namespace ?? 'kubeedge',
    cloudcoreServiceAccount: spec?.spec.kubeedge.cloudcoreServiceAccount ?? 'cloudcore',
  };
  if (spec) {
    t.spec = spec;
    t.groups = groupsFromSpec(spec);
  }
  return t;
}

/** Connects lazily: @kubernetes/client-node is loaded only by commands that need it. */
export async function connectCluster(opts: ConnectOptions): Promise<Cluster> {
  const { connectChecked } = await import('../client.ts');
  return connectChecked(opts);
}
