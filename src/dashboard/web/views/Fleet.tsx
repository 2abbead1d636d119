// Fleet: the cloud and every edge group as tiles (virtualised rows of a grid), a group's nodes
// (a virtualised list) and one node's details. Live: re-rendered on every server-sent update.
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FleetView, GroupTile, NodeRow } from '../../types.ts';
import { Badge, Detail, healthClass } from './NodeDetail.tsx';
import { query } from '../api.ts';
import { useJson } from '../hooks.ts';

const COLUMNS = 4;

function Tile({ g, selected, onSelect }: { g: GroupTile; selected: boolean; onSelect: () => void }) {
  const c = g.counts;
  return (
    <button
      type="button"
      className={`tile ${healthClass(g.health)}`}
      aria-pressed={selected}
      onClick={onSelect}
      data-group={g.name}
    >
      <span className="name">
        {g.kind === 'cloud' ? 'cloud' : g.name} <Badge health={g.health} />
      </span>
      <span className="meta">
        {c.nodes} nodes: {c.online} online, {c.offline} offline (autonomous), {c.failing} failing
      </span>
      <span className="meta">
        agents {g.agents.present ? `${g.agents.ready}/${g.agents.desired} ready` : (g.agents.message ?? 'missing')}
        {g.ciliumVersions.length > 0 && ` · Cilium ${g.ciliumVersions.join(', ')}`}
        {g.kubeedgeVersions.length > 0 && ` · KubeEdge ${g.kubeedgeVersions.join(', ')}`}
      </span>
    </button>
  );
}

function GroupGrid({
  groups,
  selected,
  onSelect,
}: {
  groups: GroupTile[];
  selected?: string;
  onSelect: (g: string) => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const rows = Math.ceil(groups.length / COLUMNS);
  const v = useVirtualizer({
    count: rows,
    getScrollElement: () => parent.current,
    estimateSize: () => 100,
    overscan: 4,
  });
  return (
    <div
      ref={parent}
      className="scroll"
      style={{ height: Math.min(420, rows * 100 + 8), padding: '0.5rem' }}
      role="region"
      aria-label="Groups"
      tabIndex={0}
    >
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((r) => (
          <div
            key={r.key}
            className="grid-row"
            style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${r.start}px)` }}
          >
            {groups.slice(r.index * COLUMNS, r.index * COLUMNS + COLUMNS).map((g) => (
              <Tile key={g.name} g={g} selected={g.name === selected} onSelect={() => onSelect(g.name)} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

function NodeList({ rows, selected, onSelect }: { rows: NodeRow[]; selected?: string; onSelect: (n: string) => void }) {
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 40,
    overscan: 8,
  });
  return (
    <div
      ref={parent}
      className="scroll"
      style={{ height: Math.min(400, rows.length * 40 + 2) }}
      role="region"
      aria-label="Nodes"
      tabIndex={0}
    >
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((item) => {
          const n = rows[item.index]!;
          return (
            <button
              key={n.name}
              type="button"
              className="node-row"
              aria-pressed={n.name === selected}
              data-node={n.name}
              onClick={() => onSelect(n.name)}
              style={{ position: 'absolute', top: 0, left: 0, transform: `translateY(${item.start}px)` }}
            >
              <span className="nm">{n.name}</span>
              <Badge health={n.health} />
              <span className="why">
                {n.health === 'offline (autonomous)' && n.offlineFor
                  ? `${n.offlineFor} since last heartbeat`
                  : (n.reason ?? n.state)}
                {n.agent && ` · agent ${n.agent.ready ? 'ready' : 'not ready'}`}
              </span>
            </button>
          );
        })}
      </div>
    </div>
  );
}

export function Fleet({ fleet, version }: { fleet: FleetView; version: number }) {
  const [filter, setFilter] = useState('');
  const [only, setOnly] = useState<'all' | 'problems'>('all');
  const [group, setGroup] = useState<string | undefined>();
  const [node, setNode] = useState<string | undefined>();
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return fleet.groups.filter(
      (g) => (f === '' || g.name.toLowerCase().includes(f)) && (only === 'all' || g.health !== 'online'),
    );
  }, [fleet, filter, only]);
  const nodes = useJson<NodeRow[]>(group === undefined ? undefined : `/api/fleet/nodes?${query({ group })}`, version);
  if (fleet.source === 'none') return <p className="note">No fleet data.</p>;
  const t = fleet.totals;
  return (
    <>
      <section className="card" aria-label="Totals">
        <dl className="totals" data-testid="totals">
          <div>
            <dt>edge groups</dt>
            <dd>{t.groups}</dd>
          </div>
          <div>
            <dt>nodes</dt>
            <dd>{t.nodes}</dd>
          </div>
          <div>
            <dt>online</dt>
            <dd>{t.online}</dd>
          </div>
          <div>
            <dt>offline (autonomous)</dt>
            <dd>{t.offline}</dd>
          </div>
          <div>
            <dt>failing</dt>
            <dd>{t.failing}</dd>
          </div>
        </dl>
        <p className="live note" aria-live="polite">
          {fleet.source === 'live' ? 'Live' : 'Snapshot'} · collected {fleet.collectedAt}
          {fleet.operator && ` · operator ${fleet.operator.ready}/${fleet.operator.desired}`}
        </p>
      </section>
      <div className="controls">
        <label htmlFor="group-filter">Filter groups</label>
        <input
          id="group-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="name"
        />
        <label htmlFor="group-show">Show</label>
        <select id="group-show" value={only} onChange={(e) => setOnly(e.target.value as 'all' | 'problems')}>
          <option value="all">all groups</option>
          <option value="problems">groups offline or failing</option>
        </select>
        <span className="note">{shown.length} shown</span>
      </div>
      <GroupGrid
        groups={shown}
        {...(group !== undefined ? { selected: group } : {})}
        onSelect={(g) => {
          setGroup(g);
          setNode(undefined);
        }}
      />
      {group !== undefined && (
        <div className="split" style={{ marginTop: '1rem' }}>
          <section aria-label={`Nodes of ${group}`}>
            <h3>Nodes of {group}</h3>
            {nodes.state === 'ok' ? (
              nodes.data.length ? (
                <NodeList rows={nodes.data} {...(node !== undefined ? { selected: node } : {})} onSelect={setNode} />
              ) : (
                <p className="note">No nodes known.</p>
              )
            ) : (
              <p>{nodes.state === 'error' ? nodes.error : 'Loading…'}</p>
            )}
          </section>
          <div>{node !== undefined && <Detail name={node} version={version} />}</div>
        </div>
      )}
      {fleet.failures.length > 0 && (
        <section className="card" aria-label="Failures">
          <h3>Failures ({fleet.failures.length})</h3>
          <ul>
            {fleet.failures.slice(0, 50).map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
