// Agent status through PodExec (`cilium-dbg status -o json`), bounded in concurrency.
import type { PodExec } from '../types.ts';
import { CHART_NAMES } from '../../knowledge/cilium.ts';
import { errorText } from '../snapshot/collect.ts';
import { mapLimit } from '../snapshot/pool.ts';
import { CILIUM_DBG_STATUS, summariseCiliumStatus } from './cilium-status.ts';
import type { AgentProbe, StatusReport } from './report.ts';

export interface ProbeOptions {
  concurrency?: number;
  timeoutMs?: number;
}

/**
 * `cilium-dbg status -o json` in each agent pod on a Ready node. A failed exec (no
 * edgeStream, a simulated node, RBAC without pods/exec) is data: "exec unavailable".
 */
export async function probeAgents(
  exec: PodExec,
  namespace: string,
  report: StatusReport,
  opts: ProbeOptions = {},
): Promise<Map<string, AgentProbe>> {
  const agents = [...report.cloud.agentPods, ...report.groups.flatMap((g) => g.agents)].filter(
    (a) => !a.nodeOffline && a.phase === 'Running',
  );
  const results = await mapLimit(agents, opts.concurrency ?? 8, async (a): Promise<[string, AgentProbe]> => {
    try {
      const r = await exec.exec(
        namespace,
        a.pod,
        CHART_NAMES.agentContainer,
        CILIUM_DBG_STATUS,
        opts.timeoutMs ?? 10_000,
      );
      if (r.code !== 0 && r.stdout.trim() === '')
        return [a.pod, { unavailable: `exit ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`.trimEnd() }];
      return [a.pod, { summary: summariseCiliumStatus(r.stdout) }];
    } catch (e) {
      return [a.pod, { unavailable: `exec unavailable: ${errorText(e)}` }];
    }
  });
  return new Map(results);
}
