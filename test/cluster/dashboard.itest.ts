// kec dashboard live against the harness cluster, in chromium: the fleet shows each group, and
// an edge site that loses its link turns "offline (autonomous)" on the page without a reload
// (server-sent events); the findings view runs diagnose's rules on the cluster.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): the live view is
// driven through node states kwok switches at once (setEdgeNodeConnected); the real KubeEdge site
// is in kubeedge*.itest.ts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cluster,
  edgeNodes,
  harness,
  helmBinary,
  kubeConfig,
  resetCluster,
  setEdgeNodeConnected,
} from './harness/index.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEdgeAgents } from './cluster-ops-fixtures.ts';
import { harnessSpec } from './kec-process.ts';
import type { RunningDashboard } from '../dashboard/kit.ts';
import { launchBrowser, screenshot, seriousViolations, startDashboard } from '../dashboard/kit.ts';

const h = harness();
/** The fleet is re-read every 5 s; a busy 2-core machine gets a generous margin. */
const LIVE = { timeout: 90_000 };

describe.skipIf(!h.available)('kec dashboard, live (integration)', () => {
  let dash: RunningDashboard;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await createEdgeAgents(kubeConfig(), ['site-a', 'site-b']);
    const spec = harnessSpec(mkdtempSync(join(tmpdir(), 'kec-dashboard-')), '1.19.6');
    dash = await startDashboard([
      '--kubeconfig',
      cluster().kubeconfig,
      '-f',
      spec,
      '--offline-grace',
      '1h',
      '--helm',
      await helmBinary(),
    ]);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    page = await context.newPage();
    expect((await page.goto(dash.url))?.status()).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    if (dash) expect(await dash.stop()).toBe(0);
    if (h.available) await resetCluster(cluster());
  });

  it('shows the cloud and each edge group, live', async () => {
    await page.getByTestId('mode').getByText('live from the cluster').waitFor(LIVE);
    for (const g of ['site-a', 'site-b']) {
      const tile = page.locator(`[data-group="${g}"]`);
      await tile.getByText('online', { exact: true }).waitFor(LIVE);
      expect(await tile.innerText()).toContain('2 nodes: 2 online, 0 offline (autonomous), 0 failing');
      expect(await tile.innerText()).toMatch(/agents 2\/2 ready/);
    }
    expect(await page.locator('[data-group="cloud"]').innerText()).toMatch(/\d+ nodes/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('turns an edge site that lost its link "offline (autonomous)" on the page without a reload', async () => {
    await page.locator('[data-group="site-b"]').click();
    await page.locator('[data-node="edge-site-b-1"]').getByText('online', { exact: true }).waitFor(LIVE);
    await page.evaluate('window.__kecNoReload = true');

    for (const n of edgeNodes('site-b')) await setEdgeNodeConnected(n.name, false);

    const tile = page.locator('[data-group="site-b"]');
    await tile.getByText('offline (autonomous)', { exact: true }).waitFor(LIVE);
    expect(await tile.innerText()).toContain('2 nodes: 0 online, 2 offline (autonomous), 0 failing');
    const row = page.locator('[data-node="edge-site-b-1"]');
    await row.getByText('offline (autonomous)', { exact: true }).waitFor(LIVE);
    await row.getByText(/since last heartbeat/).waitFor(LIVE);
    expect(await page.locator('[data-group="site-a"]').innerText()).toContain('2 online');
    expect(await page.evaluate('window.__kecNoReload === true')).toBe(true);
    await screenshot(page, 'fleet-live-offline');
  });

  it('compares the plan of the spec with the edge agents deployed', async () => {
    await page.goto(`${dash.base}#/plan`);
    const deployed = page.getByTestId('deployed');
    await deployed.waitFor(LIVE);
    for (const g of ['site-a', 'site-b']) {
      const row = await deployed
        .getByRole('row')
        .filter({ hasText: `cilium-edge-${g}` })
        .innerText();
      expect(row).toMatch(/\t(matches|differs)\t/);
    }
    // The real helm against the cluster: the seed's Cilium has no Helm release record yet.
    const values = page.getByTestId('values-diff');
    await values.getByText('not deployed').waitFor(LIVE);
    expect(await values.innerText()).toContain('kube-system/cilium: not deployed');
  });

  it('shows diagnose findings from the cluster, each with its fix', async () => {
    await page.goto(`${dash.base}#/findings`);
    const summary = page.getByTestId('findings-summary');
    await summary.waitFor(LIVE);
    expect(await summary.innerText()).toMatch(/\d+ errors, \d+ warnings from \d+ rules · checked /);
    const fixes = await page.locator('.finding .fix').allInnerTexts();
    for (const f of fixes) expect(f).toMatch(/^Fix: \S/);
    await screenshot(page, 'findings-live');
  });
});
