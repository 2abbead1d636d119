import { describe, expect, it } from 'vitest';
import { agentResources } from '../../knowledge/agent-resources.ts';
import type { AgentResource } from '../../knowledge/agent-resources.ts';
import { edgeStoreListKind, listSource } from '../../knowledge/agent-resources-metaserver.ts';
import type { GetResult, WatchResult } from './client.ts';
import { HINTS, evaluate } from './evaluate.ts';
import { cloudList, edgeList, status } from './metaserver.testkit.ts';

const res = (resource: string): AgentResource => agentResources('1.20.0').find((r) => r.resource === resource)!;
const answer = (a: { status: number; body: unknown }, ms = 5): GetResult => ({
  ok: true,
  status: a.status,
  headers: {},
  body: JSON.stringify(a.body),
  ms,
});
const watched: WatchResult = { ok: true, httpStatus: 200, events: 1, ms: 1000, reason: null };

describe('MetaServer facts', () => {
  it("names list kinds as MetaServer's edge store does", () => {
    expect(edgeStoreListKind('ciliumnodes')).toBe('CiliumnodeList');
    expect(edgeStoreListKind('ciliumidentities')).toBe('CiliumidentityList');
    expect(edgeStoreListKind('networkpolicies')).toBe('NetworkpolicyList');
    expect(edgeStoreListKind('nodes')).toBe('NodeList');
    expect(edgeStoreListKind('pods')).toBe('PodList');
    expect(edgeStoreListKind('endpointslices')).toBe('EndpointSliceList');
  });

  it('tells the source of a list only from its shape', () => {
    expect(listSource({ resourceVersion: '4711' }).source).toBe('cloud');
    expect(listSource({ resourceVersion: '12', selfLink: '/core/v1/nodes/null/null' }).source).toBe('edge');
    expect(listSource({}).source).toBe('edge');
    expect(listSource(undefined).source).toBe('edge');
  });
});

describe('evaluate', () => {
  it('passes a list relayed from the cloud, with items or without', () => {
    const ok = evaluate(res('ciliumnodes'), answer(cloudList(res('ciliumnodes'), 3)), watched);
    expect(ok).toMatchObject({ status: 'ok', level: 'pass', items: 3, source: 'cloud', reason: null, hint: null });
    expect(ok.path).toBe('/apis/cilium.io/v2/ciliumnodes');
    expect(ok.list).toEqual({ httpStatus: 200, ms: 5, kind: 'CiliumNodeList', resourceVersion: '4711' });
    const empty = evaluate(res('ciliumnetworkpolicies'), answer(cloudList(res('ciliumnetworkpolicies'), 0)), watched);
    expect(empty).toMatchObject({ status: 'empty', level: 'pass', items: 0, source: 'cloud' });
  });

  it("warns when MetaServer's edge store answered, fast (offline, refused) or after waiting for cloudcore", () => {
    const fast = evaluate(res('pods'), answer(edgeList(res('pods'), 2)), watched);
    expect(fast).toMatchObject({ status: 'ok', level: 'warn', source: 'edge', hint: HINTS.edgeFast });
    const slow = evaluate(res('pods'), answer(edgeList(res('pods'), 2), 10_020), watched);
    expect(slow).toMatchObject({ status: 'ok', level: 'warn', source: 'edge', hint: HINTS.edgeSlow });
  });

  it('fails an empty list of what every cluster has', () => {
    const r = evaluate(res('nodes'), answer(edgeList(res('nodes'), 0)), watched);
    expect(r).toMatchObject({ status: 'empty', level: 'fail', source: 'edge' });
    expect(r.reason).toContain('every cluster has Node objects');
    expect(evaluate(res('nodes'), answer(cloudList(res('nodes'), 0)), watched).level).toBe('fail');
  });

  it("fails the edge store's wrong list kind that typed clients cannot decode (kubeedge#6641)", () => {
    const r = evaluate(res('ciliumnodes'), answer(edgeList(res('ciliumnodes'), 1)), watched);
    expect(r).toMatchObject({ status: 'wrong kind', level: 'fail', source: 'edge', hint: HINTS.wrongKind });
    expect(r.reason).toBe("kind CiliumnodeList, expected CiliumNodeList (the edge store's name for it)");
  });

  it('maps 404 and 403 to their causes; feature-gated resources only warn unless strict', () => {
    const nf = evaluate(res('ciliumidentities'), answer(status(404, 'not found')), null);
    expect(nf).toMatchObject({
      status: 'not found',
      level: 'fail',
      hint: HINTS.notFound,
      reason: 'HTTP 404: not found',
    });
    const fb = evaluate(res('ciliumendpoints'), answer(status(403, 'forbidden: cloudcore')), null);
    expect(fb).toMatchObject({ status: 'forbidden', level: 'fail', hint: HINTS.forbidden, source: 'unknown' });
    const bgp = evaluate(res('ciliumbgpnodeconfigs'), answer(status(404, 'nope')), null);
    expect(bgp).toMatchObject({
      status: 'not found',
      level: 'warn',
      required: false,
      feature: 'bgpControlPlane.enabled',
    });
    expect(evaluate(res('ciliumbgpnodeconfigs'), answer(status(404, 'nope')), null, { strict: true }).level).toBe(
      'fail',
    );
  });

  it('fails unreachable, timed-out, broken and refused answers', () => {
    const down = evaluate(
      res('nodes'),
      { ok: false, failure: { kind: 'unreachable', message: 'connection refused (127.0.0.1:10550)' }, ms: 1 },
      null,
    );
    expect(down).toMatchObject({ status: 'unreachable', level: 'fail', hint: HINTS.unreachable, items: null });
    const slow = evaluate(
      res('nodes'),
      { ok: false, failure: { kind: 'timeout', message: 'no answer' }, ms: 5000 },
      null,
    );
    expect(slow).toMatchObject({ status: 'error', level: 'fail', hint: HINTS.timeout });
    expect(evaluate(res('nodes'), answer(status(500, 'boom')), null)).toMatchObject({
      status: 'error',
      reason: 'HTTP 500: boom',
    });
    expect(evaluate(res('nodes'), answer({ status: 200, body: { kind: 'Status' } }), null)).toMatchObject({
      status: 'error',
      reason: 'HTTP 200 but not a Kubernetes list (no items)',
    });
  });

  it('fails a list whose watch fails', () => {
    const r = evaluate(res('ciliumidentities'), answer(cloudList(res('ciliumidentities'), 1)), {
      ok: false,
      httpStatus: 200,
      events: 0,
      ms: 3,
      reason: 'MetaServer ended the watch after 3 ms (asked for 2s)',
    });
    expect(r).toMatchObject({ status: 'watch failed', level: 'fail', hint: HINTS.watchFailed, items: 1 });
    expect(r.reason).toContain('ended the watch');
  });
});
