// The fault-injecting proxy in front of the real apiserver.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cluster,
  freshNamespace,
  harness,
  kubeConfig,
  mintServiceAccountKubeconfig,
  startFaultProxy,
  waitFor,
} from './harness/index.ts';
import type { FaultProxy, TestNamespace } from './harness/index.ts';

const h = harness();

describe.skipIf(!h.available)('fault proxy', () => {
  let proxy: FaultProxy;
  let ns: TestNamespace;
  let core: k8s.CoreV1Api;

  beforeAll(async () => {
    proxy = await startFaultProxy(cluster());
    ns = await freshNamespace(cluster(), 'faults');
    core = kubeConfig(proxy.kubeconfig, { retry: false }).makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: ns.name,
      body: { metadata: { name: 'probe' }, data: { v: '0' } },
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await ns?.cleanup();
  });

  it('forwards requests unchanged when no fault is set', async () => {
    const cm = await core.readNamespacedConfigMap({ name: 'probe', namespace: ns.name });
    expect(cm.data).toEqual({ v: '0' });
    expect(proxy.requests.at(-1)).toMatchObject({ method: 'GET', outcome: 200 });
  });

  it('injects a 409 Conflict Status on the next update only', async () => {
    proxy.inject({ method: 'PUT', path: /\/configmaps\/probe$/, times: 1, fault: { type: 'status', status: 409 } });
    const cm = await core.readNamespacedConfigMap({ name: 'probe', namespace: ns.name });
    cm.data = { v: '1' };
    await expect(
      core.replaceNamespacedConfigMap({ name: 'probe', namespace: ns.name, body: cm }),
    ).rejects.toMatchObject({ code: 409, body: expect.stringContaining('"reason":"Conflict"') as unknown });
    const stored = await core.replaceNamespacedConfigMap({ name: 'probe', namespace: ns.name, body: cm });
    expect(stored.data).toEqual({ v: '1' });
  });

  it('injects 500 and 503 (with Retry-After) a given number of times', async () => {
    const remove = proxy.inject({
      method: 'GET',
      path: '/configmaps/probe',
      times: 2,
      fault: { type: 'status', status: 503, retryAfterSeconds: 1 },
    });
    proxy.inject({ method: 'GET', path: '/configmaps/probe', times: 1, fault: { type: 'status', status: 500 } });
    const before = proxy.requests.length;
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 4; i++) {
      try {
        await core.readNamespacedConfigMap({ name: 'probe', namespace: ns.name });
        outcomes.push(200);
      } catch (e) {
        outcomes.push((e as { code: number }).code);
      }
    }
    remove();
    expect(outcomes).toEqual([503, 503, 500, 200]);
    expect(proxy.requests.slice(before).map((r) => r.outcome)).toEqual([503, 503, 500, 200]);
  });

  it('delays responses', async () => {
    const remove = proxy.inject({ method: 'GET', path: '/configmaps/probe', fault: { type: 'delay', ms: 700 } });
    const t = Date.now();
    await core.readNamespacedConfigMap({ name: 'probe', namespace: ns.name });
    remove();
    expect(Date.now() - t).toBeGreaterThanOrEqual(700);
  });

  it('resets connections', async () => {
    proxy.inject({ method: 'GET', path: '/configmaps/probe', times: 1, fault: { type: 'reset' } });
    await expect(core.readNamespacedConfigMap({ name: 'probe', namespace: ns.name })).rejects.toThrow();
    expect(proxy.requests.at(-1)?.outcome).toBe('reset');
  });

  it('cuts watch streams: the client sees its watch end after events arrived', async () => {
    const watch = new k8s.Watch(kubeConfig(proxy.kubeconfig));
    const events: string[] = [];
    let ended = false;
    await watch.watch(
      `/api/v1/namespaces/${ns.name}/configmaps`,
      {},
      (type, obj: k8s.V1ConfigMap) => {
        events.push(`${type} ${obj.metadata?.name ?? ''}`);
      },
      () => {
        ended = true;
      },
    );
    await waitFor('initial ADDED events', async () => events.includes('ADDED probe'), { timeoutMs: 10_000 });
    expect(proxy.cutWatches()).toBeGreaterThanOrEqual(1);
    await waitFor('watch ended', async () => ended, { timeoutMs: 10_000 });
    expect(proxy.requests.filter((r) => r.watch).at(-1)?.outcome).toBe('cut');

    // A rule can also cut the next watch after a delay.
    proxy.inject({ watch: true, times: 1, fault: { type: 'cut', afterMs: 300 } });
    let ended2 = false;
    const t = Date.now();
    await watch.watch(
      `/api/v1/namespaces/${ns.name}/configmaps`,
      {},
      () => {},
      () => {
        ended2 = true;
      },
    );
    await waitFor('second watch cut', async () => ended2, { timeoutMs: 10_000 });
    expect(Date.now() - t).toBeGreaterThanOrEqual(250);
  });

  it('keeps the identity of ServiceAccount tokens (no privilege gained through the proxy)', async () => {
    const path = await mintServiceAccountKubeconfig(cluster(), ns.name, 'nobody', { server: proxy.url });
    const sa = kubeConfig(path).makeApiClient(k8s.CoreV1Api);
    await expect(sa.listNode()).rejects.toMatchObject({ code: 403 });
  });
});
