// Fleet, one node: its health, heartbeat, versions, agent pod and conditions; and the health badge.
import type { NodeDetail, NodeHealth } from '../../types.ts';
import { query } from '../api.ts';
import { useJson } from '../hooks.ts';

export const healthClass = (h: NodeHealth): string =>
  h === 'online' ? 'h-online' : h === 'failing' ? 'h-failing' : 'h-offline';

export function Badge({ health }: { health: NodeHealth }) {
  return <span className={`badge ${healthClass(health)}`}>{health}</span>;
}

export function Detail({ name, version }: { name: string; version: number }) {
  const d = useJson<NodeDetail>(`/api/fleet/node?${query({ name })}`, version);
  if (d.state !== 'ok') return <p>{d.state === 'error' ? d.error : 'Loading…'}</p>;
  const n = d.data;
  return (
    <section className="card" aria-label={`Node ${n.name}`} data-testid="node-detail">
      <h3>
        Node {n.name} <Badge health={n.health} />
      </h3>
      <p>
        Group {n.group} · state {n.state}
        {n.lastHeartbeat && ` · last heartbeat ${n.lastHeartbeat}`}
        {n.offlineFor && ` (${n.offlineFor} ago)`}
      </p>
      {n.reason && <p>{n.reason}</p>}
      <p>
        Cilium {n.ciliumVersion ?? 'unknown'} · KubeEdge {n.kubeedgeVersion ?? '-'} · kubelet{' '}
        {n.kubeletVersion ?? 'unknown'}
      </p>
      <h3>Agent pod</h3>
      {n.agentPod ? (
        <p>
          {n.agentPod.pod}: {n.agentPod.phase}, {n.agentPod.ready ? 'ready' : 'not ready'}, {n.agentPod.restarts}{' '}
          restarts
          {n.agentPod.waitingReason && ` (${n.agentPod.waitingReason})`}
          {n.agentPod.problem && ` — ${n.agentPod.problem}`}
        </p>
      ) : (
        <p className="note">No Cilium agent pod on this node.</p>
      )}
      <h3>Conditions</h3>
      {n.conditions.length === 0 ? (
        <p className="note">Not known from a snapshot.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Type</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {n.conditions.map((c) => (
              <tr key={c.type}>
                <td>{c.type}</td>
                <td>{c.status}</td>
                <td>{c.reason ?? ''}</td>
                <td>{c.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
