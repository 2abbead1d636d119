// bench/dashboard: kec dashboard with a large synthetic fleet (default 10,000 nodes in 500 edge
// groups) against a small one (100 nodes in 5 groups, the baseline) in the same run, in
// Debian's chromium (playwright-core):
//   - first meaningful paint: navigation start → the totals show every node and the group tiles
//     are drawn (performance.now() in the page);
//   - live update applied: a server-sent fleet update received by the page → the changed group's
//     tile shows it (a MutationObserver in the page), and end to end: one edge node goes offline
//     in the cluster → its group's tile says "offline (autonomous)" (includes the re-read).
// The dashboard runs in process, live, over a read-only fake cluster serving the synthetic
// objects (kec status's own collection and report run on them). Medians of --runs; ratios large
// / baseline. Needs `node scripts/build.mjs` (dist/dashboard) and chromium.
//
//   node --experimental-transform-types bench/dashboard/run.ts [--nodes 10000] [--groups 500] [--runs 5] [--out report.json]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../test/dashboard/kit.ts';
import { dashboardCommand } from '../../src/dashboard/run.ts';
import type { Obj, ObjectReader, PodLogs } from '../../src/cluster/types.ts';
import { daemonSet, deployment, node, NOW, pod } from '../../src/cluster/snapshot/objects.testkit.ts';
import { palette } from '../../src/output/color.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '500' },
    runs: { type: 'string', default: '5' },
    out: { type: 'string' },
  },
});

interface Fleet {
  cluster: ObjectReader & PodLogs;
  /** Takes node `name` offline (no heartbeat for a minute: within the grace). */
  disconnect(name: string): void;
  firstEdgeNode: string;
  firstGroup: string;
}

function syntheticFleet(nodes: number, groups: number): Fleet {
  const perGroup = Math.ceil(nodes / groups);
  const group = (i: number): string => `site-${String(Math.floor(i / perGroup)).padStart(4, '0')}`;
  const names = Array.from({ length: nodes }, (_, i) => `edge-${group(i)}-${i % perGroup}`);
  const nodeObjs = new Map<string, Obj>(names.map((n, i) => [n, node(n, { edge: group(i) })]));
  const cloud = [node('cloud-1'), node('cloud-2')];
  const groupNames = [...new Set(names.map((_, i) => group(i)))];
  const daemonSets = [
    daemonSet('cilium', { desired: 2 }),
    ...groupNames.map((g) => daemonSet(`cilium-edge-${g}`, { group: g, desired: perGroup })),
  ];
  const pods = [
    pod('cilium-cloud-1', 'cilium', 'cloud-1'),
    pod('cilium-cloud-2', 'cilium', 'cloud-2'),
    ...names.map((n, i) => pod(`cilium-${n}`, `cilium-edge-${group(i)}`, n)),
  ];
  const list = (kind: string): Obj[] =>
    kind === 'Node'
      ? [...cloud, ...nodeObjs.values()]
      : kind === 'DaemonSet'
        ? daemonSets
        : kind === 'Deployment'
          ? [deployment('cilium-operator', 2)]
          : kind === 'Pod'
            ? pods
            : [];
  return {
    cluster: {
      get: () => Promise.resolve(undefined),
      list: (_v, kind) => Promise.resolve(list(kind)),
      logs: () => Promise.resolve(''),
    },
    disconnect: (name) =>
      nodeObjs.set(name, node(name, { edge: group(names.indexOf(name)), ready: 'Unknown', heartbeatAgoMs: 60_000 })),
    firstEdgeNode: names[0]!,
    firstGroup: group(0),
  };
}

interface Sample {
  paintMs: number;
  applyMs: number;
  endToEndMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function measure(browser: Browser, nodes: number, groups: number): Promise<Sample> {
  const fleet = syntheticFleet(nodes, groups);
  const stop = new AbortController();
  const out: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: () => undefined, color: palette(false), cwd: ROOT };
  const done = dashboardCommand(io, {
    port: 0,
    live: true,
    connect: {},
    cluster: fleet.cluster,
    refreshMs: 250,
    now: () => NOW,
    signal: stop.signal,
    assets: join(ROOT, 'dist', 'dashboard'),
    isSea: () => false,
  });
  while (out.length === 0) await Promise.race([done, new Promise((r) => setTimeout(r, 10))]);
  const url = /http\S+/.exec(out[0]!)![0];
  // bypassCSP: the measuring code is evaluated in the page, which the dashboard's CSP forbids.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const total = nodes + 2;
    await page.waitForFunction(
      `(() => { const t = document.querySelector('[data-testid=totals]');
        return t !== null && t.textContent.includes('nodes${total}') && document.querySelector('[data-group="${fleet.firstGroup}"]') !== null; })()`,
      undefined,
      { timeout: 120_000, polling: 'raf' },
    );
    const paintMs = (await page.evaluate('performance.now()')) as number;

    // In the page: when the next fleet update arrives, and when the tile shows it.
    await page.evaluate(`(() => {
      window.__bench = {};
      const es = new EventSource('/api/events');
      es.addEventListener('fleet', (e) => {
        if (window.__bench.msg === undefined && e.data.includes('"health":"offline (autonomous)"')) window.__bench.msg = performance.now();
      });
      const tile = document.querySelector('[data-group="${fleet.firstGroup}"]');
      new MutationObserver(() => {
        const t = document.querySelector('[data-group="${fleet.firstGroup}"]');
        if (window.__bench.dom === undefined && t && t.textContent.includes('offline (autonomous)')) window.__bench.dom = performance.now();
      }).observe(tile.parentElement.parentElement, { subtree: true, childList: true, characterData: true });
    })()`);
    const t0 = (await page.evaluate('performance.now()')) as number;
    fleet.disconnect(fleet.firstEdgeNode);
    await page.waitForFunction('window.__bench.dom !== undefined && window.__bench.msg !== undefined', undefined, {
      timeout: 120_000,
      polling: 50,
    });
    const b = (await page.evaluate('window.__bench')) as { msg: number; dom: number };
    return { paintMs, applyMs: Math.max(0, b.dom - b.msg), endToEndMs: b.dom - t0 };
  } finally {
    await context.close();
    stop.abort();
    await done;
  }
}

const runs = Number(values.runs);
const large = { nodes: Number(values.nodes), groups: Number(values.groups) };
const small = { nodes: 100, groups: 5 };
const browser = await launchBrowser();
const samples = { small: [] as Sample[], large: [] as Sample[] };
try {
  await measure(browser, small.nodes, small.groups); // warm-up (browser, caches)
  for (let r = 0; r < runs; r++) {
    samples.small.push(await measure(browser, small.nodes, small.groups));
    samples.large.push(await measure(browser, large.nodes, large.groups));
    process.stderr.write(`run ${r + 1}/${runs}\n`);
  }
} finally {
  await browser.close();
}
const med = (s: Sample[], k: keyof Sample): number => Math.round(median(s.map((x) => x[k])) * 10) / 10;
const report = {
  baseline: small,
  large,
  runs,
  firstPaintMs: { baseline: med(samples.small, 'paintMs'), large: med(samples.large, 'paintMs') },
  updateApplyMs: { baseline: med(samples.small, 'applyMs'), large: med(samples.large, 'applyMs') },
  updateEndToEndMs: { baseline: med(samples.small, 'endToEndMs'), large: med(samples.large, 'endToEndMs') },
  ratios: {
    firstPaint: 0,
    updateApply: 0,
    updateEndToEnd: 0,
  },
};
const ratio = (x: { baseline: number; large: number }): number =>
  Math.round((x.large / Math.max(x.baseline, 0.1)) * 100) / 100;
report.ratios = {
  firstPaint: ratio(report.firstPaintMs),
  updateApply: ratio(report.updateApplyMs),
  updateEndToEnd: ratio(report.updateEndToEndMs),
};
console.log(JSON.stringify(report, null, 2));
if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
