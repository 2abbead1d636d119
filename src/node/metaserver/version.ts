// Which Cilium's agent to check for: --cilium-version, else the plan's (--plan DIR --group G,
// DIR/plan.json as `kec plan -o DIR` writes it), else the newest kec knows.
import { join } from 'node:path';
import { AGENT_RESOURCE_VERSIONS, agentResourceVersionFor } from '../../knowledge/agent-resources.ts';
import { InputError, UsageError } from '../../errors.ts';
import { readPlanGroupRecord } from '../plan-input.ts';

export interface CiliumTarget {
  /** The release asked for ("1.18.3"). */
  version: string;
  /** The chart whose agent RBAC stands for it ("1.18.12"). */
  chartVersion: string;
  from: 'flag' | 'plan' | 'default';
}

export const newestAgentVersion = (): string => AGENT_RESOURCE_VERSIONS[AGENT_RESOURCE_VERSIONS.length - 1]!;

export function resolveCilium(opts: { ciliumVersion?: string; plan?: string; group?: string }): CiliumTarget {
  if (opts.plan === undefined && opts.group !== undefined) throw new UsageError('--group needs --plan DIR');
  const known = AGENT_RESOURCE_VERSIONS.map((v) => v.split('.').slice(0, 2).join('.')).join(', ');
  if (opts.ciliumVersion !== undefined) {
    const chartVersion = agentResourceVersionFor(opts.ciliumVersion);
    if (!chartVersion)
      throw new UsageError(
        `--cilium-version ${opts.ciliumVersion}: expected a Cilium release kec knows (${known}), like ${newestAgentVersion()}`,
      );
    return { version: opts.ciliumVersion, chartVersion, from: 'flag' };
  }
  if (opts.plan !== undefined) {
    const version = readPlanGroupRecord(opts.plan, opts.group).ciliumVersion;
    const chartVersion = agentResourceVersionFor(version);
    if (!chartVersion)
      throw new InputError(
        `${join(opts.plan, 'plan.json')}: cilium.version ${version} is not a release kec knows (${known}); give --cilium-version`,
      );
    return { version, chartVersion, from: 'plan' };
  }
  const v = newestAgentVersion();
  return { version: v, chartVersion: v, from: 'default' };
}
