// Findings: kec diagnose's results (errors first), each with its evidence and its fix.
import type { FindingsView } from '../../types.ts';
import { useJson } from '../hooks.ts';

export function Findings() {
  const f = useJson<FindingsView>('/api/findings');
  if (f.state !== 'ok') return <p>{f.state === 'error' ? f.error : 'Loading… (diagnose reads the cluster)'}</p>;
  const d = f.data;
  return (
    <>
      <p data-testid="findings-summary">
        {d.counts.error} errors, {d.counts.warning} warnings from {d.rulesRun} rules
        {d.checkedAt && ` · checked ${d.checkedAt}`}
      </p>
      {d.findings.length === 0 && <p>No findings: every rule that could run passed.</p>}
      {d.findings.map((x, i) => (
        <section key={`${x.rule}-${i}`} className={`card finding ${x.severity}`} aria-label={x.title}>
          <h3>
            <span className={`badge ${x.severity === 'error' ? 'h-failing' : 'h-offline'}`}>{x.severity}</span>{' '}
            {x.title}
          </h3>
          <ul>
            {x.evidence.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
          <p className="fix">
            <strong>Fix:</strong> {x.fix}
          </p>
        </section>
      ))}
      {d.notChecked.length > 0 && (
        <section className="card" aria-label="Not checked">
          <h3>Not checked</h3>
          <ul>
            {d.notChecked.map((n) => (
              <li key={n.rule}>
                {n.rule}: {n.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
