// Policy: the reachability matrix of one port as a heat map (rows: from, columns: to); a cell
// (clicked, or chosen with the From/To selects) → the trace with the rule that decided it.
import { useMemo, useState } from 'react';
import type { MatrixView, PolicyDiffView, TraceView } from '../../types.ts';
import { getJson, query } from '../api.ts';
import { useJson } from '../hooks.ts';
import { EChart } from '../EChart.tsx';
import type { ClickParams } from '../EChart.tsx';

/** The heat map's grid margins (px); the browser test clicks cells from them. */
export const GRID = { left: 260, right: 24, top: 16, bottom: 200 };

function Trace({ t }: { t: TraceView }) {
  const word = (v: 'allowed' | 'denied') => <span className={`verdict-${v}`}>{v.toUpperCase()}</span>;
  return (
    <section className="card" aria-label="Trace" data-testid="trace" aria-live="polite">
      <h3>
        {t.from} → {t.to} {t.port}/{t.protocol}: {word(t.verdict)}
      </h3>
      <p data-testid="deciding">
        Deciding rule: {t.deciding.policy ? `${t.deciding.kind} ${t.deciding.policy}` : '(no policy)'}
        {t.deciding.rule && ` at ${t.deciding.rule}`} — {t.deciding.text}
      </p>
      {(['egress', 'ingress'] as const).map((d) => (
        <div key={d}>
          <h3>
            {d} ({d === 'egress' ? `policies of ${t.from}` : `policies of ${t.to}`}): {word(t[d].verdict)}
          </h3>
          <ul>
            {t[d].reasons.map((r, i) => (
              <li key={i}>{r.text}</li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** What changes with the new policies (--new-policies): one row per flow whose verdict flips. */
function Diff({ d }: { d: PolicyDiffView }) {
  return (
    <section className="card" aria-label="Policy diff" data-testid="policy-diff">
      <h3>Against the new policies ({d.source})</h3>
      <p>
        {d.changes.length === 0
          ? `No verdict changes (${d.probes.length} ports probed: ${d.probes.join(', ')}).`
          : `${d.changes.length} flows change: ${d.opened} newly allowed, ${d.closed} newly denied (${d.probes.length} ports probed).`}
      </p>
      {d.changes.length > 0 && (
        <table aria-label="Verdict changes">
          <thead>
            <tr>
              <th>Change</th>
              <th>From</th>
              <th>To</th>
              <th>Port</th>
            </tr>
          </thead>
          <tbody>
            {d.changes.slice(0, 500).map((c, i) => (
              <tr key={i}>
                <td className={c.new ? 'verdict-allowed' : 'verdict-denied'}>{c.new ? '+ allowed' : '- denied'}</td>
                <td>{c.from}</td>
                <td>{c.to}</td>
                <td>
                  {c.port}/{c.protocol}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Policy({ withDiff }: { withDiff: boolean }) {
  const diff = useJson<PolicyDiffView>(withDiff ? '/api/policy/diff' : undefined);
  const [flow, setFlow] = useState<string | undefined>();
  const path = flow === undefined ? '/api/policy' : `/api/policy?${flow}`;
  const m = useJson<MatrixView>(path);
  const [trace, setTrace] = useState<TraceView | undefined>();
  const [traceError, setTraceError] = useState<string | undefined>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const data = m.state === 'ok' ? m.data : undefined;
  const runTrace = (f: string, t: string): void => {
    if (!data) return;
    setTraceError(undefined);
    getJson<TraceView>(`/api/policy/trace?${query({ from: f, to: t, port: data.port, protocol: data.protocol })}`).then(
      setTrace,
      (e: unknown) => setTraceError((e as Error).message),
    );
  };
  const option = useMemo(() => {
    if (!data) return {};
    const n = data.endpoints.length;
    const cells: Array<[number, number, number]> = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cells.push([j, i, data.allowed[i * n + j]!]);
    return {
      tooltip: {
        formatter: (p: { value: [number, number, number] }) =>
          `${data.endpoints[p.value[1]]} → ${data.endpoints[p.value[0]]}: ${p.value[2] ? 'allowed' : 'denied'}`,
      },
      grid: { ...GRID, outerBoundsMode: 'none' },
      xAxis: { type: 'category', data: data.endpoints, name: 'to', axisLabel: { rotate: 60, interval: 0 } },
      yAxis: { type: 'category', data: data.endpoints, name: 'from', inverse: true, axisLabel: { interval: 0 } },
      visualMap: {
        type: 'piecewise',
        show: false,
        pieces: [
          { value: 1, label: 'allowed', color: '#2e8b57' },
          { value: 0, label: 'denied', color: '#c62828' },
        ],
      },
      series: [{ type: 'heatmap', data: cells, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
    };
  }, [data]);
  if (m.state !== 'ok') return <p>{m.state === 'error' ? m.error : 'Loading…'}</p>;
  const d = m.data;
  const onCell = (p: ClickParams): void => {
    const v = p.data as [number, number, number] | undefined;
    if (!v) return;
    const f = d.endpoints[v[1]]!;
    const t = d.endpoints[v[0]]!;
    setFrom(f);
    setTo(t);
    runTrace(f, t);
  };
  const n = d.endpoints.length;
  return (
    <>
      <div className="controls">
        <label htmlFor="policy-port">Port</label>
        <select
          id="policy-port"
          value={`${d.port}/${d.protocol}`}
          onChange={(e) => {
            const [port, protocol] = e.target.value.split('/');
            setTrace(undefined);
            setFlow(query({ port: port!, protocol: protocol! }));
          }}
        >
          {d.ports.map((p) => (
            <option key={`${p.port}/${p.protocol}`} value={`${p.port}/${p.protocol}`}>
              {p.port}/{p.protocol}
            </option>
          ))}
        </select>
        <span data-testid="matrix-summary">
          {d.allowedCount} of {n * n} flows allowed · {n} endpoints · {d.identities} identities
        </span>
      </div>
      <section className="card" aria-label="Reachability heat map">
        <EChart
          option={option}
          label={`Reachability heat map on ${d.port}/${d.protocol}: ${d.allowedCount} of ${n * n} flows allowed; green allowed, red denied; click a cell to trace it`}
          height={Math.max(360, n * 28 + GRID.top + GRID.bottom)}
          onClick={onCell}
          testId="heatmap"
        />
      </section>
      <form
        className="controls"
        aria-label="Trace a flow"
        onSubmit={(e) => {
          e.preventDefault();
          if (from && to) runTrace(from, to);
        }}
      >
        <label htmlFor="trace-from">From</label>
        <select id="trace-from" value={from} onChange={(e) => setFrom(e.target.value)}>
          <option value="">choose…</option>
          {d.endpoints.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <label htmlFor="trace-to">To</label>
        <select id="trace-to" value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">choose…</option>
          {d.endpoints.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <button className="action" type="submit">
          Trace
        </button>
      </form>
      {traceError && <p role="alert">{traceError}</p>}
      {trace && <Trace t={trace} />}
      {diff.state === 'ok' && <Diff d={diff.data} />}
    </>
  );
}
