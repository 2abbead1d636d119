// Plan: per edge group the MTU breakdown, BPF map sizes, the agent's memory estimate against
// its budget (bars), and the plan's decisions, warnings and errors.
import { useMemo } from 'react';
import type { PlanView, ValuesDiffView } from '../../types.ts';
import { useJson } from '../hooks.ts';
import { EChart } from '../EChart.tsx';

const MIB = 1024 * 1024;
const mib = (b: number): string => `${(b / MIB).toFixed(0)} MiB`;

export function Plan() {
  const p = useJson<PlanView>('/api/plan');
  // Live only (the plan has a deployed comparison then): the release's values through helm.
  const values = useJson<ValuesDiffView>(p.state === 'ok' && p.data.deployed ? '/api/plan/values' : undefined);
  const option = useMemo(() => {
    if (p.state !== 'ok') return {};
    const g = p.data.groups;
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['estimate', 'budget'], top: 0 },
      grid: { left: 140, right: 30, top: 40, bottom: 30 },
      xAxis: { type: 'value', name: 'MiB' },
      yAxis: { type: 'category', data: g.map((x) => x.name) },
      series: [
        {
          name: 'estimate',
          type: 'bar',
          // the legend's colour; each bar is red when over budget
          itemStyle: { color: '#1a6b32' },
          data: g.map((x) => ({
            value: Math.round(x.memory.estimateBytes / MIB),
            itemStyle: { color: x.memory.withinBudget ? '#1a6b32' : '#a1141c' },
          })),
        },
        {
          name: 'budget',
          type: 'bar',
          data: g.map((x) => Math.round(x.memory.budgetBytes / MIB)),
          itemStyle: { color: '#8b9098' },
        },
      ],
    };
  }, [p]);
  if (p.state !== 'ok') return <p>{p.state === 'error' ? p.error : 'Loading…'}</p>;
  const plan = p.data;
  return (
    <>
      <p>
        Plan <strong>{plan.name}</strong>: Cilium {plan.cilium}, KubeEdge {plan.kubeedge}, {plan.groups.length} edge
        groups.
      </p>
      {plan.errors.length > 0 && (
        <section className="card" aria-label="Plan errors">
          <h3>Errors</h3>
          <ul>
            {plan.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </section>
      )}
      <section className="card" aria-label="Memory">
        <h3>Agent memory: estimate vs budget</h3>
        <EChart
          option={option}
          label="Bar chart of agent memory estimate against budget per edge group"
          height={Math.max(160, plan.groups.length * 48 + 80)}
        />
        <table data-testid="memory-table">
          <thead>
            <tr>
              <th>Group</th>
              <th className="num">Estimate</th>
              <th className="num">Budget</th>
              <th>Within budget</th>
            </tr>
          </thead>
          <tbody>
            {plan.groups.map((g) => (
              <tr key={g.name}>
                <td>{g.name}</td>
                <td className="num">{mib(g.memory.estimateBytes)}</td>
                <td className="num">{mib(g.memory.budgetBytes)}</td>
                <td>{g.memory.withinBudget ? 'yes' : 'no: over budget'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-label="MTU">
        <h3>MTU breakdown</h3>
        <table data-testid="mtu-table">
          <thead>
            <tr>
              <th>Group</th>
              <th className="num">Link</th>
              <th className="num">Tunnel</th>
              <th className="num">Encryption</th>
              <th className="num">Pod MTU</th>
              <th>Encryption type</th>
            </tr>
          </thead>
          <tbody>
            {plan.groups.map((g) => (
              <tr key={g.name}>
                <td>{g.name}</td>
                <td className="num">{g.mtu.link}</td>
                <td className="num">-{g.mtu.tunnel}</td>
                <td className="num">-{g.mtu.encryption}</td>
                <td className="num">{g.mtu.pod}</td>
                <td>{g.encryption}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-label="BPF maps">
        <h3>BPF map sizes (entries)</h3>
        <table data-testid="maps-table">
          <thead>
            <tr>
              <th>Group</th>
              {Object.keys(plan.groups[0]?.maps ?? {}).map((k) => (
                <th key={k} className="num">
                  {k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {plan.groups.map((g) => (
              <tr key={g.name}>
                <td>{g.name}</td>
                {Object.entries(g.maps).map(([k, v]) => (
                  <td key={k} className="num">
                    {v.toLocaleString('en-US')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {plan.deployed && (
        <section className="card" aria-label="Deployed" data-testid="deployed">
          <h3>Deployed edge agents against the plan</h3>
          <table>
            <thead>
              <tr>
                <th>Group</th>
                <th>DaemonSet</th>
                <th>Status</th>
                <th>Planned, not deployed</th>
                <th>Deployed, not planned</th>
              </tr>
            </thead>
            <tbody>
              {plan.deployed.map((d) => (
                <tr key={d.group}>
                  <td>{d.group}</td>
                  <td>{d.daemonSet}</td>
                  <td>{d.status}</td>
                  <td>{d.status === 'not deployed' ? '-' : d.missing.join(' ')}</td>
                  <td>{d.unexpected.join(' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {p.data.deployed && (
        <section className="card" aria-label="Helm values" data-testid="values-diff">
          <h3>Helm values against the deployed release</h3>
          {values.state === 'loading' && <p className="note">Reading the release with helm…</p>}
          {values.state === 'error' && <p className="note">{values.error}</p>}
          {values.state === 'ok' && (
            <>
              <p>
                {values.data.namespace}/{values.data.release}
                {values.data.chartVersion ? ` (chart ${values.data.chartVersion})` : ''}:{' '}
                <strong>{values.data.status}</strong>
                {values.data.reason ? ` — ${values.data.reason}` : ''}
              </p>
              {values.data.diff && (
                <pre className="diff" aria-label="Values diff, deployed to planned">
                  {values.data.diff}
                </pre>
              )}
            </>
          )}
        </section>
      )}
      <section className="card" aria-label="Decisions">
        <h3>Decisions</h3>
        <ul>
          {plan.decisions.map((d) => (
            <li key={d.id}>
              <strong>{d.title}</strong> — {d.detail}
            </li>
          ))}
        </ul>
        <h3>Warnings</h3>
        {plan.warnings.length ? (
          <ul>
            {plan.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : (
          <p className="note">None.</p>
        )}
      </section>
    </>
  );
}
