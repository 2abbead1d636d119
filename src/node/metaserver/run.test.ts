import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentResources } from '../../knowledge/agent-resources.ts';
import type { AgentResource } from '../../knowledge/agent-resources.ts';
import { InputError, UsageError } from '../../errors.ts';
import { palette } from '../../output/color.ts';
import type { Io } from '../../output/io.ts';
import { resolveAddress } from './address.ts';
import { checkMetaServer, metaserverCheck } from './run.ts';
import { renderMetaserverCheck } from './render.ts';
import { resolveCilium } from './version.ts';
import { closedPort, cloudList, edgeList, routesFor, startFakeMetaServer, status } from './metaserver.testkit.ts';
import type { FakeMetaServer, Route } from './metaserver.testkit.ts';

const servers: FakeMetaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(
  version: string,
  fn: (r: AgentResource) => Route,
  missingCrds: readonly string[] = [],
): Promise<FakeMetaServer> {
  const s = await startFakeMetaServer(routesFor(agentResources(version), fn, missingCrds));
  servers.push(s);
  return s;
}
const healthy = (r: AgentResource): Route => ({ list: cloudList(r, r.neverEmpty ? 2 : 0), watch: { events: 0 } });
const fast = { watchTimeoutMs: 1000, timeoutMs: 3000 };

function capture(): Io & { text: () => string } {
  const out: string[] = [];
  return {
    out: (t) => out.push(t),
    err: (t) => out.push(t),
    color: palette(false),
    cwd: '/',
    text: () => out.join('\n'),
  };
}
function edgecoreRoot(yaml: string): string {
  const root = mkdtempSync(join(tmpdir(), 'kec-ms-root-'));
  mkdirSync(join(root, 'etc', 'kubeedge', 'config'), { recursive: true });
  writeFileSync(join(root, 'etc', 'kubeedge', 'config', 'edgecore.yaml'), yaml);
  return root;
}
const edgecore = (server: string, enable = true): string =>
  `apiVersion: edgecore.config.kubeedge.io/v1alpha2\nkind: EdgeCore\nmodules:\n  metaManager:\n    metaServer:\n      enable: ${enable}\n      server: ${server}\n`;

describe('kec node metaserver check', () => {
  it('passes when every resource of the agent lists and watches from the cloud (exit 0, stable JSON)', async () => {
    const s = await serve('1.20.0', healthy);
    const io = capture();
    const code = await metaserverCheck(io, { ...fast, metaserver: s.address, format: 'json', ciliumVersion: '1.20.0' });
    expect(code).toBe(0);
    const report = JSON.parse(io.text()) as Record<string, unknown> & { resources: Array<Record<string, unknown>> };
    expect(Object.keys(report)).toEqual([
      'metaServer',
      'ciliumVersion',
      'ciliumVersionFrom',
      'chartVersion',
      'timeoutMs',
      'watchTimeoutMs',
      'resources',
      'summary',
      'ok',
    ]);
    expect(report).toMatchObject({
      metaServer: { address: s.address, from: 'flag', reachable: true, reason: null },
      ciliumVersion: '1.20.0',
      chartVersion: '1.20.0',
      ok: true,
      summary: {
        total: agentResources('1.20.0').length,
        fail: 0,
        warn: 0,
        sources: { cloud: agentResources('1.20.0').length },
      },
    });
    expect(Object.keys(report.resources[0]!)).toEqual([
      'group',
      'version',
      'resource',
      'kind',
      'path',
      'required',
      'feature',
      'status',
      'level',
      'items',
      'source',
      'sourceReason',
      'list',
      'watch',
      'reason',
      'hint',
    ]);
    const paths = report.resources.map((r) => r['path']);
    expect(paths).toContain('/apis/cilium.io/v2/ciliumpodippools');
    expect(paths).not.toContain('/api/v1/endpoints');
    // Every resource got a LIST and a WATCH with the list's resourceVersion.
    expect(s.requests).toContain('/apis/cilium.io/v2/ciliumnodes?watch=true&timeoutSeconds=1&resourceVersion=4711');
  });

  it("asks for each version's resources at that version's API versions", async () => {
    const s = await serve('1.16.19', healthy);
    const r = await checkMetaServer({ ...fast, metaserver: s.address, ciliumVersion: '1.16.5' });
    expect(r.ok).toBe(true);
    expect(r.chartVersion).toBe('1.16.19');
    const paths = r.resources.map((x) => x.path);
    expect(paths).toContain('/api/v1/endpoints');
    expect(paths).toContain('/apis/cilium.io/v2alpha1/ciliumpodippools');
    expect(paths).toContain('/apis/cilium.io/v2alpha1/ciliumcidrgroups');
    expect(paths).not.toContain('/apis/cilium.io/v2alpha1/ciliumdatapathplugins');
  });

  it('fails (exit 1) when dynamicController is off: cilium.io comes from the edge store with the wrong kind', async () => {
    const s = await serve('1.20.0', (r) =>
      r.group === 'cilium.io' ? { list: edgeList(r, r.resource === 'ciliumnodes' ? 1 : 0) } : { list: edgeList(r, 1) },
    );
    const io = capture();
    expect(await metaserverCheck(io, { ...fast, metaserver: s.address })).toBe(1);
    const r = await checkMetaServer({ ...fast, metaserver: s.address });
    const cn = r.resources.find((x) => x.resource === 'ciliumnodes')!;
    expect(cn).toMatchObject({ status: 'wrong kind', level: 'fail', source: 'edge' });
    // Empty edge-store lists carry the same wrong kind (storage.go decorateList).
    const cnp = r.resources.find((x) => x.resource === 'ciliumnetworkpolicies')!;
    expect(cnp).toMatchObject({ status: 'wrong kind', items: 0, source: 'edge' });
    // Single-word kinds come out right: served, but from the edge store.
    const pods = r.resources.find((x) => x.resource === 'pods')!;
    expect(pods).toMatchObject({ status: 'ok', level: 'warn', source: 'edge' });
    // Feature-gated cilium.io resources are not asked for without the cloud's CRD list (kubeedge#7303).
    const gated = r.resources.filter((x) => x.group === 'cilium.io' && x.feature !== null);
    expect(gated.length).toBeGreaterThan(0);
    for (const g of gated) expect(g, g.resource).toMatchObject({ status: 'not checked', level: 'warn' });
    expect(s.requests.filter((q) => gated.some((g) => q.startsWith(g.path)))).toEqual([]);
    expect(r.summary.sources.edge).toBe(r.resources.length - gated.length);
    const text = io.text();
    expect(text).toContain(
      '[FAIL] cilium.io/v2/ciliumnodes: wrong kind — kind CiliumnodeList, expected CiliumNodeList',
    );
    expect(text).toMatch(/Summary: \d+ resources: .*failed .*— the Cilium agent will not work through this MetaServer/);
  });

  it('never asks for a cilium.io resource whose CRD the cloud does not list (cloudcore would exit: kubeedge#7303)', async () => {
    const s = await serve('1.20.0', healthy, ['ciliumbgpnodeconfigs', 'ciliuml2announcementpolicies']);
    const r = await checkMetaServer({ ...fast, metaserver: s.address });
    expect(r.ok).toBe(true);
    for (const name of ['ciliumbgpnodeconfigs', 'ciliuml2announcementpolicies']) {
      const x = r.resources.find((y) => y.resource === name)!;
      expect(x, name).toMatchObject({ status: 'not installed', level: 'pass', list: { httpStatus: null } });
      expect(x.reason).toMatch(/^no CustomResourceDefinition .*\.cilium\.io in the cluster \(feature off: /);
      expect(
        s.requests.filter((q) => q.startsWith(x.path)),
        name,
      ).toEqual([]);
    }
    expect(r.resources.find((y) => y.resource === 'ciliumnodes')).toMatchObject({ status: 'empty', source: 'cloud' });
    // A CRD every agent needs, missing: a failure, still without asking for it.
    const t = await serve('1.20.0', healthy, ['ciliumidentities']);
    const f = await checkMetaServer({ ...fast, metaserver: t.address });
    expect(f.ok).toBe(false);
    const id = f.resources.find((y) => y.resource === 'ciliumidentities')!;
    expect(id).toMatchObject({ status: 'not installed', level: 'fail' });
    expect(id.hint).toMatch(/cilium-operator registers the CRDs.*kubeedge\/kubeedge#7303/);
    expect(t.requests.filter((q) => q.startsWith(id.path))).toEqual([]);
  });

  it('fails on a required 404 or 403 but only warns for a feature-gated one unless --strict', async () => {
    const s = await serve('1.20.0', (r) =>
      r.resource === 'ciliumbgpnodeconfigs' ? { list: status(404, 'gone') } : healthy(r),
    );
    const r = await checkMetaServer({ ...fast, metaserver: s.address });
    expect(r).toMatchObject({ ok: true, summary: { warn: 1, fail: 0, statuses: { 'not found': 1 } } });
    expect((await checkMetaServer({ ...fast, metaserver: s.address, strict: true })).ok).toBe(false);
    const t = await serve('1.20.0', (x) =>
      x.resource === 'ciliumidentities' ? { list: status(403, 'no') } : healthy(x),
    );
    const f = await checkMetaServer({ ...fast, metaserver: t.address, format: 'yaml' });
    expect(f.ok).toBe(false);
    expect(f.resources.find((x) => x.resource === 'ciliumidentities')).toMatchObject({
      status: 'forbidden',
      level: 'fail',
    });
  });

  it('reports every resource unreachable at once when nothing listens (exit 1)', async () => {
    const port = await closedPort();
    const io = capture();
    expect(await metaserverCheck(io, { ...fast, metaserver: `127.0.0.1:${port}`, format: 'json' })).toBe(1);
    const r = JSON.parse(io.text()) as {
      metaServer: { reachable: boolean };
      resources: Array<{ status: string; hint: string }>;
    };
    expect(r.metaServer.reachable).toBe(false);
    expect(new Set(r.resources.map((x) => x.status))).toEqual(new Set(['unreachable']));
    expect(r.resources[0]!.hint).toContain('metaServer.enable: true');
  });

  it('renders a line per resource, problems with fixes, and a summary', async () => {
    const s = await serve('1.19.6', (r) =>
      r.resource === 'ciliumnodes' ? { list: cloudList(r, 1), watch: 'early-end' } : healthy(r),
    );
    const r = await checkMetaServer({ ...fast, metaserver: s.address, ciliumVersion: '1.19.6' });
    const text = renderMetaserverCheck(r, palette(false));
    expect(text).toContain(
      `kec node metaserver check: MetaServer http://${s.address} (--metaserver), Cilium 1.19.6 agent`,
    );
    expect(text).toMatch(/\[PASS\] +v1\/nodes +ok +2 +cloud/);
    expect(text).toContain('[FAIL] cilium.io/v2/ciliumnodes: watch failed — MetaServer ended the watch after');
    expect(text).toContain('fix: the agent');
    expect(text).toContain('Summary:');
  });
});

describe('address and version', () => {
  it("reads MetaServer's address from edgecore.yaml under --root, else the default", () => {
    const root = edgecoreRoot(edgecore('0.0.0.0:10551', false));
    expect(resolveAddress({ root })).toMatchObject({
      host: '127.0.0.1',
      port: 10551,
      from: 'edgecore.yaml',
      enabled: false,
      config: join(root, 'etc/kubeedge/config/edgecore.yaml'),
    });
    expect(resolveAddress({ root, metaserver: '[::1]:10552' })).toMatchObject({
      host: '::1',
      address: '[::1]:10552',
      from: 'flag',
    });
    const empty = mkdtempSync(join(tmpdir(), 'kec-ms-empty-'));
    expect(resolveAddress({ root: empty })).toMatchObject({
      address: '127.0.0.1:10550',
      from: 'default',
      config: null,
    });
  });

  it('refuses bad input with errors naming the flag or file (exit 2)', async () => {
    expect(() => resolveAddress({ metaserver: 'metaserver' })).toThrow(UsageError);
    expect(() => resolveAddress({ metaserver: '127.0.0.1:99999' })).toThrow(
      /--metaserver 127.0.0.1:99999: expected HOST:PORT/,
    );
    expect(() => resolveAddress({ root: edgecoreRoot('modules: [\n') })).toThrow(InputError);
    expect(() => resolveAddress({ root: edgecoreRoot(edgecore('nowhere')) })).toThrow(
      /metaServer.server "nowhere" is not HOST:PORT/,
    );
    expect(() => resolveAddress({ root: '/nonexistent/kec' })).toThrow(/--root \/nonexistent\/kec: no such directory/);
    expect(() => resolveCilium({ ciliumVersion: '1.15.5' })).toThrow(
      /--cilium-version 1.15.5: expected a Cilium release kec knows/,
    );
    expect(() => resolveCilium({ group: 'g' })).toThrow('--group needs --plan DIR');
    await expect(checkMetaServer({ timeoutMs: 0 })).rejects.toThrow(/--timeout: must be more than 0/);
    await expect(checkMetaServer({ watchTimeoutMs: -1 })).rejects.toThrow(UsageError);
  });

  it("takes the Cilium version from the plan's group, else the newest kec knows", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kec-ms-plan-'));
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({ cilium: { version: '1.17.4' }, groups: [{ name: 'shop' }] }),
    );
    expect(resolveCilium({ plan: dir, group: 'shop' })).toEqual({
      version: '1.17.4',
      chartVersion: '1.17.18',
      from: 'plan',
    });
    expect(() => resolveCilium({ plan: dir, group: 'depot' })).toThrow(/--group depot: not in .*groups: shop/);
    expect(() => resolveCilium({ plan: dir })).toThrow('--plan needs --group G');
    expect(() => resolveCilium({ plan: join(dir, 'none'), group: 'shop' })).toThrow(InputError);
    expect(resolveCilium({})).toEqual({ version: '1.20.0', chartVersion: '1.20.0', from: 'default' });
  });
});
