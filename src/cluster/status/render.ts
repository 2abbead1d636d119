// Human output of kec status.
import type { Palette } from '../../output/color.ts';
import { table } from '../../output/table.ts';
import type { AgentStatus, NodeStatus, StatusReport, WorkloadStatus } from './report.ts';

function wl(w: WorkloadStatus, c: Palette): string[] {
  const state = w.unknown
    ? c.yellow('unknown')
    : !w.present
      ? w.ok
        ? c.dim(w.message ?? 'not installed')
        : c.red('missing')
      : w.ok
        ? c.green('ok')
        : c.red(w.message ?? 'not ready');
  return [
    `${w.kind}/${w.name}`,
    w.present ? String(w.desired) : '-',
    w.present ? String(w.ready) : '-',
    w.present ? String(w.updated) : '-',
    state,
  ];
}

function nodeLine(n: NodeStatus, c: Palette): string {
  const st = n.state === 'Ready' ? c.green(n.state) : n.failure ? c.red(n.state) : c.yellow(n.state);
  return `    ${n.name}  ${st}${n.lastHeartbeat ? c.dim(`  last heartbeat ${n.lastHeartbeat}`) : ''}${n.reason ? `  ${n.reason}` : ''}`;
}

function agentLine(a: AgentStatus, c: Palette): string | undefined {
  const probe = a.cilium;
  const cil =
    probe === undefined
      ? ''
      : 'summary' in probe
        ? `  cilium ${probe.summary.health === 'ok' ? c.green('ok') : probe.summary.health === 'warning' ? c.yellow('warning') : c.red('failure')} (controllers ${probe.summary.controllers.total - probe.summary.controllers.failing}/${probe.summary.controllers.total}${probe.summary.encryption ? `, encryption ${probe.summary.encryption}` : ''})`
        : c.dim(`  ${probe.unavailable}`);
  if (!a.failure && !a.nodeOffline && probe === undefined) return undefined;
  const what = a.failure
    ? c.red(a.problem ?? 'failed')
    : a.nodeOffline
      ? c.yellow('node offline (status stale)')
      : c.green('ready');
  const extra =
    probe && 'summary' in probe && probe.summary.problems.length
      ? `\n${probe.summary.problems.map((p) => `        ${p}`).join('\n')}`
      : '';
  return `    ${a.pod} on ${a.node}: ${what}${cil}${extra}`;
}

export function renderStatus(r: StatusReport, c: Palette): string {
  const out: string[] = [];
  out.push(c.bold(`Cilium in ${r.namespace} (collected ${r.collectedAt})`));
  out.push(
    table(
      ['WORKLOAD', 'DESIRED', 'READY', 'UPDATED', 'STATE'],
      [r.cloud.agents, r.cloud.operator, r.cloud.relay, r.cloud.envoy].map((w) => wl(w, c)),
    ),
  );
  for (const a of r.cloud.agentPods) {
    const l = agentLine(a, c);
    if (l) out.push(l);
  }
  out.push('');
  if (r.groups.length === 0)
    out.push(
      c.yellow('No edge groups (no spec given, no edge DaemonSet or edge node labelled kec.kubeedge.io/group).'),
    );
  for (const g of r.groups) {
    out.push(
      `${c.bold(`Edge group ${g.name}`)} ${g.ok ? c.green('ok') : c.red('FAILED')}  ${c.dim(
        Object.entries(g.nodeSelector)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      )}`,
    );
    out.push(
      `  agents: ${
        table(['', 'DESIRED', 'READY', 'UPDATED', 'STATE'], [wl(g.daemonSet, c)])
          .split('\n')[1]
          ?.trim() ?? ''
      }`,
    );
    out.push(
      `  nodes: ${g.counts.nodes} (${g.counts.ready} Ready, ${g.counts.notReady} NotReady, ${g.counts.offline} offline)`,
    );
    for (const n of g.nodes) if (n.state !== 'Ready') out.push(nodeLine(n, c));
    for (const a of g.agents) {
      const l = agentLine(a, c);
      if (l) out.push(l);
    }
  }
  if (r.ungroupedEdgeNodes.length) out.push(c.yellow(`Edge nodes in no group: ${r.ungroupedEdgeNodes.join(', ')}`));
  out.push('');
  if (r.collectionErrors.length) {
    out.push(c.red('Not collected:'));
    for (const e of r.collectionErrors) out.push(`  ${e.what}: ${e.error}`);
  }
  out.push(
    r.ok ? c.green('Status: OK') : c.red(`Status: ${r.failures.length} problem${r.failures.length === 1 ? '' : 's'}`),
  );
  for (const f of r.failures) out.push(`  - ${f}`);
  return out.join('\n');
}
