// The dashboard shell: header, the five views as links (#/fleet …), live fleet updates over
// server-sent events (no reload), and the view of the moment.
import { useEffect, useState } from 'react';
import type { FleetView, MetaView } from '../types.ts';
import { getJson } from './api.ts';
import { Fleet } from './views/Fleet.tsx';
import { Plan } from './views/Plan.tsx';
import { Policy } from './views/Policy.tsx';
import { Flows } from './views/Flows.tsx';
import { Findings } from './views/Findings.tsx';

const VIEWS = [
  { id: 'fleet', title: 'Fleet', needs: 'a cluster (--kubeconfig) or --snapshot FILE (kec status -o json)' },
  { id: 'plan', title: 'Plan', needs: '-f SPEC or --plan DIR' },
  { id: 'policy', title: 'Policy', needs: '--policies PATH -i INVENTORY' },
  { id: 'flows', title: 'Flows', needs: '--flows FILE (hubble observe -o json)' },
  { id: 'findings', title: 'Findings', needs: 'a cluster (--kubeconfig)' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

const viewOfHash = (): ViewId => {
  const h = window.location.hash.replace(/^#\/?/, '').split('/')[0];
  return VIEWS.find((v) => v.id === h)?.id ?? 'fleet';
};

export function App() {
  const [view, setView] = useState<ViewId>(viewOfHash);
  const [meta, setMeta] = useState<MetaView | undefined>();
  const [fleet, setFleet] = useState<FleetView | undefined>();
  const [fleetVersion, setFleetVersion] = useState(0);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const onHash = (): void => setView(viewOfHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    getJson<MetaView>('/api/meta').then(setMeta, (e: unknown) => setError((e as Error).message));
    getJson<FleetView>('/api/fleet').then(setFleet, (e: unknown) => setError((e as Error).message));
    const es = new EventSource('/api/events');
    es.addEventListener('fleet', (e) => {
      setFleet(JSON.parse((e as MessageEvent<string>).data) as FleetView);
      setFleetVersion((v) => v + 1);
    });
    return () => es.close();
  }, []);
  useEffect(() => {
    const title = VIEWS.find((v) => v.id === view)!.title;
    document.title = `${title} · kec dashboard`;
  }, [view]);

  const current = VIEWS.find((v) => v.id === view)!;
  const available = meta?.views[view] ?? true;
  return (
    <>
      <header className="top">
        <h1>kec dashboard</h1>
        {meta && (
          <span className="mode" data-testid="mode">
            {meta.mode === 'live' ? 'live from the cluster' : 'offline, from files'} · kec {meta.version}
          </span>
        )}
      </header>
      <nav className="views" aria-label="Views">
        {VIEWS.map((v) => (
          <a key={v.id} href={`#/${v.id}`} aria-current={v.id === view ? 'page' : undefined}>
            {v.title}
          </a>
        ))}
      </nav>
      <main id="main">
        <h2>{current.title}</h2>
        {error && <p role="alert">Could not load the dashboard: {error}</p>}
        {meta?.sources[view] && <p className="note">Source: {meta.sources[view]}</p>}
        {meta && !available ? (
          <p className="note" data-testid="unavailable">
            Nothing to show here: start kec dashboard with {current.needs}.
          </p>
        ) : view === 'fleet' ? (
          fleet ? (
            <Fleet fleet={fleet} version={fleetVersion} />
          ) : (
            <p>Loading…</p>
          )
        ) : view === 'plan' ? (
          <Plan />
        ) : view === 'policy' ? (
          <Policy withDiff={meta?.views.policyDiff ?? false} />
        ) : view === 'flows' ? (
          <Flows />
        ) : (
          <Findings />
        )}
      </main>
    </>
  );
}
