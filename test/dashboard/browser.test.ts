// kec dashboard in a real browser, offline from the repository's files: every view renders
// its values, the token is enforced, a heat-map cell opens its trace, axe-core finds no serious
// violation, the views work from the keyboard. Screenshots: .cache/dashboard-screenshots/.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, FIXTURES } from '../paths.ts';
import type { MatrixView } from '../../src/dashboard/types.ts';
import type { RunningDashboard } from './kit.ts';
import { launchBrowser, screenshot, seriousViolations, startDashboard, WAIT } from './kit.ts';

/** The heat map's grid margins, exact (outerBoundsMode none), as src/dashboard/web/views/Policy.tsx sets them (GRID). */
const GRID = { left: 260, right: 24, top: 16, bottom: 200 };
const VIEWS = ['fleet', 'plan', 'policy', 'flows', 'findings'] as const;

let dash: RunningDashboard;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  dash = await startDashboard([
    '-f',
    join(EXAMPLES, 'edge-cluster.yaml'),
    '--policies',
    join(EXAMPLES, 'policy', 'current'),
    '--new-policies',
    join(EXAMPLES, 'policy', 'proposed'),
    '-i',
    join(EXAMPLES, 'policy', 'inventory.yaml'),
    '-i',
    join(EXAMPLES, 'policy', 'inventory-extras.yaml'),
    '--flows',
    join(FIXTURES, 'observe', 'flows-edge.jsonl'),
    '--nodes',
    join(FIXTURES, 'observe', 'nodes.json'),
    '--snapshot',
    join(FIXTURES, 'dashboard', 'status-snapshot.json'),
  ]);
  browser = await launchBrowser();
  // bypassCSP: axe-core is injected as an inline script, which the dashboard's CSP forbids.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  const res = await page.goto(dash.url);
  expect(res?.status()).toBe(200);
  // The token left the address bar: it lives in the HttpOnly cookie now.
  expect(page.url()).not.toContain('token=');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dash) expect(await dash.stop()).toBe(0);
});

async function open(view: (typeof VIEWS)[number]): Promise<void> {
  await page.goto(`${dash.base}#/${view}`);
  await page.getByRole('heading', { level: 2, name: view[0]!.toUpperCase() + view.slice(1) }).waitFor(WAIT);
}

describe('kec dashboard in chromium (offline, from files)', { timeout: 120_000 }, () => {
  it('enforces the token: 401 without it, in a fresh browser and for the API', async () => {
    const other = await browser.newContext();
    const p = await other.newPage();
    expect((await p.goto(dash.base))?.status()).toBe(401);
    expect((await p.goto(`${dash.base}api/fleet`))?.status()).toBe(401);
    expect((await p.goto(`${dash.base}?token=not-the-token`))?.status()).toBe(401);
    expect((await p.goto(dash.url))?.status()).toBe(200);
    await other.close();
    expect(dash.stderr()).not.toContain(dash.token);
  });

  it('Fleet: the cloud and each group with its health; a group drills down to its nodes and a node', async () => {
    await open('fleet');
    await page.getByTestId('mode').getByText('offline, from files').waitFor(WAIT);
    const siteB = page.locator('[data-group="site-b"]');
    await siteB.waitFor(WAIT);
    expect(await siteB.innerText()).toContain('offline (autonomous)');
    expect(await siteB.innerText()).toContain('2 nodes: 1 online, 1 offline (autonomous), 0 failing');
    expect(await page.locator('[data-group="site-a"]').innerText()).toContain('2 nodes: 2 online');
    expect(await page.getByTestId('totals').innerText()).toMatch(/edge groups\s+2/);
    // Large fleets: only the groups that need a look.
    await page.getByLabel('Show').selectOption('problems');
    await page.locator('[data-group="site-a"]').waitFor({ ...WAIT, state: 'detached' });
    expect(await page.locator('.tile').count()).toBe(1);
    await page.getByLabel('Show').selectOption('all');
    await page.locator('[data-group="site-a"]').waitFor(WAIT);
    await siteB.click();
    const row = page.locator('[data-node="edge-site-b-1"]');
    await row.waitFor(WAIT);
    expect(await row.innerText()).toMatch(/offline \(autonomous\)[\s\S]*5m since last heartbeat/);
    await row.click();
    const detail = page.getByTestId('node-detail');
    await detail.waitFor(WAIT);
    expect(await detail.innerText()).toContain('cilium-edge-b1');
    const shot = await screenshot(page, 'fleet');
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });

  it('Plan: MTU breakdown, map sizes and memory against the budget per group', async () => {
    await open('plan');
    const plan = (await (await page.request.get(`${dash.base}api/plan`)).json()) as {
      groups: Array<{ name: string; mtu: { pod: number }; maps: { ctTcp: number } }>;
    };
    const mtu = page.getByTestId('mtu-table');
    await mtu.waitFor(WAIT);
    for (const g of plan.groups) {
      expect(await mtu.getByRole('row').filter({ hasText: g.name }).innerText()).toContain(String(g.mtu.pod));
      expect(await page.getByTestId('maps-table').getByRole('row').filter({ hasText: g.name }).innerText()).toContain(
        g.maps.ctTcp.toLocaleString('en-US'),
      );
    }
    expect(await page.getByTestId('memory-table').innerText()).toMatch(/MiB/);
    expect(await page.getByRole('region', { name: 'Decisions' }).innerText()).toMatch(/Decisions[\s\S]+/);
    await screenshot(page, 'plan');
  });

  it('Policy: the heat map; clicking a cell shows the trace with the deciding rule', async () => {
    await open('policy');
    const m = (await (await page.request.get(`${dash.base}api/policy`)).json()) as MatrixView;
    expect(`${m.port}/${m.protocol}`).toBe('80/TCP');
    const summary = page.getByTestId('matrix-summary');
    await summary.waitFor(WAIT);
    expect(await summary.innerText()).toContain(`${m.allowedCount} of ${m.endpoints.length ** 2} flows allowed`);
    const box = (await page.getByTestId('heatmap').boundingBox())!;
    const n = m.endpoints.length;
    const [i, j] = [m.endpoints.indexOf('z/a'), m.endpoints.indexOf('x/a')];
    const cw = (box.width - GRID.left - GRID.right) / n;
    const ch = (box.height - GRID.top - GRID.bottom) / n;
    await page.mouse.click(box.x + GRID.left + (j + 0.5) * cw, box.y + GRID.top + (i + 0.5) * ch);
    const trace = page.getByTestId('trace');
    await trace.waitFor(WAIT);
    expect(await trace.getByRole('heading').first().innerText()).toBe('z/a → x/a 80/TCP: DENIED');
    expect(await page.getByTestId('deciding').innerText()).toContain('Deciding rule: NetworkPolicy x/allow-a-from-y');
    // The diff against --new-policies, as kec policy diff prints it.
    const diff = page.getByTestId('policy-diff');
    expect(await diff.innerText()).toContain('2 flows change: 2 newly allowed, 0 newly denied');
    expect(await diff.getByRole('row').filter({ hasText: 'edge-apps/dashboard' }).innerText()).toMatch(
      /\+ allowed\s+edge-apps\/dashboard\s+edge-apps\/sensor-gw\s+1883\/TCP/,
    );
    await screenshot(page, 'policy');
  });

  it('Flows: verdicts per site over time, top drop reasons, policy denies, DNS/HTTP', async () => {
    await open('flows');
    const summary = page.getByTestId('flows-summary');
    await summary.waitFor(WAIT);
    expect(await summary.innerText()).toMatch(/^27 flows \(FORWARDED 15, DROPPED 9/);
    expect(await page.getByRole('table', { name: 'Top drop reasons' }).innerText()).toMatch(/POLICY_DENIED\s+6/);
    expect(await page.getByRole('table', { name: 'Policy denies' }).innerText()).toContain('store/api-66f-qwe34');
    expect(await page.getByRole('table', { name: 'Flows per site' }).innerText()).toMatch(/shop-floor\s+\d+/);
    await page.getByLabel('Site', { exact: true }).selectOption('shop-floor');
    await page.getByRole('img', { name: /verdicts over time for shop-floor/ }).waitFor(WAIT);
    await screenshot(page, 'flows');
  });

  it('Findings: says what it needs when offline', async () => {
    await open('findings');
    await page.getByTestId('unavailable').getByText('a cluster (--kubeconfig)').waitFor(WAIT);
  });

  it('has no serious or critical axe-core violation on any view', async () => {
    const found: Record<string, string[]> = {};
    for (const v of VIEWS) {
      await open(v);
      await page.waitForLoadState('networkidle');
      if (v === 'fleet') await page.locator('[data-group="site-a"]').click();
      const violations = await seriousViolations(page);
      if (violations.length) found[v] = violations;
    }
    expect(found).toEqual({});
  });

  it('works from the keyboard: views, a group tile, a trace', async () => {
    await page.goto(`${dash.base}#/fleet`);
    await page.locator('[data-group="site-b"]').waitFor(WAIT);
    // Evaluated in the page (no DOM types here): the focused element as TAG:id|data-group|text.
    const focused = (): Promise<string> =>
      page.evaluate(`(() => {
        const e = document.activeElement;
        return (e ? e.tagName : '') + ':' + (e ? e.id || e.getAttribute('data-group') || e.textContent.trim() : '');
      })()`);
    const tabTo = async (want: string): Promise<void> => {
      for (let k = 0; k < 60 && (await focused()) !== want; k++) await page.keyboard.press('Tab');
      expect(await focused()).toBe(want);
    };
    await tabTo('BUTTON:site-b');
    await page.keyboard.press('Enter');
    await page.locator('[data-node="edge-site-b-1"]').waitFor(WAIT);

    await page.evaluate('document.activeElement.blur()');
    await tabTo('A:Policy');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Policy' }).waitFor(WAIT);
    await page.getByTestId('matrix-summary').waitFor(WAIT);
    await tabTo('SELECT:trace-from');
    await page.keyboard.type('y/a');
    await page.keyboard.press('Tab');
    await page.keyboard.type('x/a');
    expect(await page.locator('#trace-from').inputValue()).toBe('y/a');
    expect(await page.locator('#trace-to').inputValue()).toBe('x/a');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('trace').getByText('y/a → x/a 80/TCP: ALLOWED').waitFor(WAIT);
  });
});
