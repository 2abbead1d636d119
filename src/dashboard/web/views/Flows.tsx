// Flows: verdicts over time per site (stacked bars), top drop reasons, policy denies, per-site
// totals, DNS and HTTP summaries, from a file of Hubble flows.
import { useMemo, useState } from 'react';
import type { FlowsView } from '../../types.ts';
import { useJson } from '../hooks.ts';
import { EChart } from '../EChart.tsx';

const COLORS: Record<string, string> = { FORWARDED: '#2e7d32', DROPPED: '#c62828', ERROR: '#6a1b9a', AUDIT: '#f9a825' };

function Table({ head, rows, label }: { head: string[]; rows: Array<Array<string | number>>; label: string }) {
  if (rows.length === 0) return <p className="note">None.</p>;
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={h} className={i === head.length - 1 ? 'num' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j} className={typeof c === 'number' ? 'num' : undefined}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Flows() {
  const f = useJson<FlowsView>('/api/flows');
  const [site, setSite] = useState('');
  const data = f.state === 'ok' ? f.data : undefined;
  const option = useMemo(() => {
    if (!data) return {};
    const chosen = data.series.filter((s) => site === '' || s.site === site);
    const verdicts = [...new Set(chosen.flatMap((s) => Object.keys(s.verdicts)))].sort();
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: verdicts, top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: data.buckets.map((b) => b.slice(11, 19)), name: 'UTC' },
      yAxis: { type: 'value', name: 'flows' },
      series: verdicts.map((v) => ({
        name: v,
        type: 'bar',
        stack: 'verdicts',
        itemStyle: { color: COLORS[v] ?? '#546e7a' },
        data: data.buckets.map((_, i) => chosen.reduce((a, s) => a + (s.verdicts[v]?.[i] ?? 0), 0)),
      })),
    };
  }, [data, site]);
  const reasons = useMemo(
    () =>
      data
        ? {
            grid: { left: 260, right: 30, top: 10, bottom: 30 },
            xAxis: { type: 'value' },
            yAxis: { type: 'category', inverse: true, data: data.topDropReasons.map((r) => r.reason) },
            series: [{ type: 'bar', data: data.topDropReasons.map((r) => r.count), itemStyle: { color: '#c62828' } }],
          }
        : {},
    [data],
  );
  if (f.state !== 'ok') return <p>{f.state === 'error' ? f.error : 'Loading…'}</p>;
  const d = f.data;
  return (
    <>
      <p data-testid="flows-summary">
        {d.total} flows (
        {Object.entries(d.byVerdict)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}
        ), per {d.by}
        {d.malformed > 0 && `; ${d.malformed} malformed lines`}
      </p>
      <section className="card" aria-label="Verdicts over time">
        <div className="controls">
          <label htmlFor="flows-site">Site</label>
          <select id="flows-site" value={site} onChange={(e) => setSite(e.target.value)}>
            <option value="">all sites</option>
            {d.series.map((s) => (
              <option key={s.site}>{s.site}</option>
            ))}
          </select>
          <span className="note">buckets of {d.bucketSeconds}s</span>
        </div>
        <EChart
          option={option}
          label={`Stacked bar chart of flow verdicts over time for ${site || 'all sites'}`}
          height={280}
        />
      </section>
      <section className="card" aria-label="Sites">
        <h3>Per {d.by}</h3>
        <Table
          label="Flows per site"
          head={['Site', 'Flows', 'Dropped', 'Policy denied']}
          rows={d.sites.map((s) => [s.site, s.total, s.dropped, s.policyDenied])}
        />
      </section>
      <section className="card" aria-label="Drop reasons">
        <h3>Top drop reasons</h3>
        {d.topDropReasons.length > 0 && (
          <EChart
            option={reasons}
            label="Bar chart of the top drop reasons"
            height={Math.max(120, d.topDropReasons.length * 32 + 40)}
          />
        )}
        <Table
          label="Top drop reasons"
          head={['Reason', 'Flows']}
          rows={d.topDropReasons.map((r) => [r.reason, r.count])}
        />
      </section>
      <section className="card" aria-label="Policy denies">
        <h3>Policy denies</h3>
        <Table
          label="Policy denies"
          head={['Source', 'Destination', 'Port', 'Flows']}
          rows={d.policyDenies.map((p) => [p.source, p.destination, `${p.port ?? '-'}/${p.protocol}`, p.count])}
        />
      </section>
      <div className="split">
        <section className="card" aria-label="DNS">
          <h3>DNS</h3>
          {d.dns ? (
            <>
              <p>
                {d.dns.queries} queries;{' '}
                {Object.entries(d.dns.byRcode)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ') || 'no responses'}
              </p>
              <Table
                label="Top DNS queries"
                head={['Query', 'Count']}
                rows={d.dns.topQueries.map((q) => [q.query, q.count])}
              />
            </>
          ) : (
            <p className="note">No DNS flows.</p>
          )}
        </section>
        <section className="card" aria-label="HTTP">
          <h3>HTTP</h3>
          {d.http ? (
            <>
              <p>
                {d.http.requests} requests;{' '}
                {Object.entries(d.http.byStatus)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ') || 'no responses'}
                {d.http.meanLatencyMs !== null && `; mean latency ${d.http.meanLatencyMs.toFixed(1)} ms`}
              </p>
              <Table
                label="Top HTTP paths"
                head={['Path', 'Count']}
                rows={d.http.topPaths.map((q) => [q.path, q.count])}
              />
            </>
          ) : (
            <p className="note">No HTTP flows.</p>
          )}
        </section>
      </div>
    </>
  );
}
