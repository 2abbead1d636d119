// The human summary of a plan: one row per edge group, then the decisions.
import type { Palette } from '../output/color.ts';
import { table } from '../output/table.ts';
import { formatBytes } from '../util/quantity.ts';
import type { Plan } from './plan.ts';

export function planSummary(plan: Plan, c: Palette): string {
  const rows = plan.groups.map((g) => [
    g.name,
    String(g.nodes),
    g.arch,
    g.kernel ?? '-',
    `${g.mtu.pod} (${g.mtu.link}-${g.mtu.overhead})`,
    g.encryption.type === 'none'
      ? 'none'
      : `${g.encryption.type}${g.encryption.nodeEncryption ? '+node' : ''} (-${g.encryption.overheadBytes})`,
    `${g.memory.maps.ctTcp}/${g.memory.maps.ctAny}`,
    String(g.memory.maps.nat),
    g.memory.withinBudget ? formatBytes(g.memory.estimateBytes) : c.red(formatBytes(g.memory.estimateBytes)),
    formatBytes(g.memory.budgetBytes),
  ]);
  return [
    `${c.bold('Plan')} ${plan.name}: Cilium ${plan.cilium.version} (chart keys ${plan.cilium.chartKeysFrom}), KubeEdge ${plan.kubeedge.version}, ${plan.groups.length} edge group${plan.groups.length === 1 ? '' : 's'}`,
    '',
    table(
      ['GROUP', 'NODES', 'ARCH', 'KERNEL', 'POD MTU', 'ENCRYPTION', 'CT TCP/ANY', 'NAT', 'AGENT MEM', 'BUDGET'],
      rows,
    ),
    '',
    c.bold('Decisions:'),
    ...plan.decisions.map((d) => `  - ${d.title}`),
    '',
    c.bold('Encryption per group:'),
    ...plan.groups.map(
      (g) =>
        `  - ${g.name}: ${g.encryption.type}${g.encryption.wireguardKeepalive ? `, keepalive ${g.encryption.wireguardKeepalive}` : ''}; needs ${g.encryption.needs}`,
    ),
  ].join('\n');
}
