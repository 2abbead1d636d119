// What every read-only cluster command (status, diagnose, sysdump) resolves first: the
// optional spec (edge groups, namespaces), the Cilium namespace and how to connect.
import type { Cluster } from '../types.ts';
import type { ConnectOptions } from '../client.ts';
import { InputError } from '../../errors.ts';
import { loadSpec } from '../../spec/load.ts';
import type { EdgeNetwork } from '../../spec/types.ts';
import { groupsFromSpec } from './collect.ts';
import type { GroupDef } from './state.ts';
import { parseDuration } from './state.ts';

export interface TargetOptions {
  file?: string;
  namespace?: string;
  connect: ConnectOptions;
}

export interface Target {
  spec?: EdgeNetwork;
  namespace: string;
  kubeedgeNamespace: string;
  cloudcoreServiceAccount: string;
  groups?: GroupDef[];
}

export async function resolveTarget(opts: TargetOptions): Promise<Target> {
  let spec: EdgeNetwork | undefined;
  if (opts.file !== undefined) {
    const loaded = await loadSpec(opts.file);
    if (loaded.errors.length > 0 || !loaded.value) {
      throw new InputError(`-f ${opts.file}: ${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'} (run kec validate -f ${opts.file})`,
        loaded.errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`));
    }
    spec = loaded.value;
  }
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
  const { connect } = await import('../client.ts');
  return connect(opts);
}

/** Parses a duration flag; InputError naming the flag when invalid. */
export function durationFlag(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InputError(`${flag} ${value}: not a duration; use e.g. 90s, 15m, 1h`);
  return ms;
}
