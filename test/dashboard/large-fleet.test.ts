// kec dashboard with 10,000 nodes in 500 edge groups (a saved kec status -o json), in chromium:
// the totals are right, the grid of groups is virtualised (a few dozen tiles in the page, not
// 501), the last group is reachable by scrolling, the filter and a group's nodes work.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Obj } from '../../src/cluster/types.ts';
import { discoverGroups } from '../../src/cluster/snapshot/state.ts';
import { daemonSet, deployment, node, NOW, pod } from '../../src/cluster/snapshot/objects.testkit.ts';
import { buildStatusReport } from '../../src/cluster/status/report.ts';
import type { RunningDashboard } from './kit.ts';
import { launchBrowser, screenshot, startDashboard, WAIT } from './kit.ts';

const GROUPS = 500;
const PER_GROUP = 20;

/** Every 13th group has one node offline for a minute (within the grace). */
function bigSnapshot(): string {
  const nodes: Obj[] = [node('cloud-1')];
  const daemonSets: Obj[] = [daemonSet('cilium', { desired: 1 })];
  const pods: Obj[] = [pod('cilium-cloud-1', 'cilium', 'cloud-1')];
  for (let g = 0; g < GROUPS; g++) {
    const name = `site-${String(g).padStart(3, '0')}`;
    daemonSets.push(daemonSet(`cilium-edge-${name}`, { group: name, desired: PER_GROUP }));
    for (let i = 0; i < PER_GROUP; i++) {
      const n = `edge-${name}-${i}`;
      const offline = g % 13 === 0 && i === 0;
      nodes.push(node(n, { edge: name, ...(offline ? { ready: 'Unknown' as const, heartbeatAgoMs: 60_000 } : {}) }));
      pods.push(pod(`cilium-${n}`, `cilium-edge-${name}`, n));
    }
  }
  const report = buildStatusReport(
    {
      namespace: 'kube-system',
      collectedAt: new Date(NOW).toISOString(),
      groups: discoverGroups(daemonSets, nodes),
      nodes,
      daemonSets,
      deployments: [deployment('cilium-operator')],
      pods,
      errors: [],
    },
    { now: NOW, offlineGraceMs: 3600_000 },
  );
  const file = join(mkdtempSync(join(tmpdir(), 'kec-big-fleet-')), 'status.json');
  writeFileSync(file, JSON.stringify(report));
  return file;
}

let dash: RunningDashboard;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dash = await startDashboard(['--snapshot', bigSnapshot()]);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  expect((await page.goto(dash.url))?.status()).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dash) expect(await dash.stop()).toBe(0);
});

describe('kec dashboard with 10,000 nodes in 500 groups', { timeout: 120_000 }, () => {
  it('shows the totals and keeps the group grid virtualised', async () => {
    const totals = page.getByTestId('totals');
    await totals.getByText('10000', { exact: true }).waitFor(WAIT);
    const offline = Math.ceil(GROUPS / 13);
    expect(await totals.innerText()).toMatch(
      new RegExp(
        `edge groups\\s+500\\s+nodes\\s+10000\\s+online\\s+${10000 - offline}\\s+offline \\(autonomous\\)\\s+${offline}`,
      ),
    );
    await page.locator('[data-group="site-000"]').waitFor(WAIT);
    const tiles = await page.locator('.tile').count();
    expect(tiles).toBeGreaterThan(4);
    expect(tiles).toBeLessThan(100);
    expect(await page.locator('[data-group="site-499"]').count()).toBe(0);
  });

  it('reaches the last group by scrolling, and filters', async () => {
    await page.getByRole('region', { name: 'Groups', exact: true }).hover();
    for (let k = 0; k < 200 && (await page.locator('[data-group="site-499"]').count()) === 0; k++)
      await page.mouse.wheel(0, 4000);
    await page.locator('[data-group="site-499"]').waitFor(WAIT);
    expect(await page.locator('[data-group="site-000"]').count()).toBe(0);
    await page.getByLabel('Filter groups').fill('site-26');
    await page.locator('[data-group="site-260"]').waitFor(WAIT);
    expect(await page.locator('.tile').count()).toBe(10);
    await page.getByLabel('Filter groups').fill('');
    await page.getByLabel('Show').selectOption('problems');
    await page.locator('[data-group="site-013"]').waitFor(WAIT);
    expect(await page.getByText(`${Math.ceil(GROUPS / 13)} shown`).count()).toBe(1);
  });

  it("opens a group's nodes", async () => {
    await page.locator('[data-group="site-013"]').click();
    const row = page.locator('[data-node="edge-site-013-0"]');
    await row.waitFor(WAIT);
    expect(await row.innerText()).toMatch(/offline \(autonomous\)[\s\S]*1m since last heartbeat/);
    // The node list is virtualised too: the rows in view and a few more.
    const rows = await page.locator('.node-row').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThanOrEqual(PER_GROUP);
    await screenshot(page, 'fleet-10000-nodes');
  });
});
