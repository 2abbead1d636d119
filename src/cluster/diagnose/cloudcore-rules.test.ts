import { describe, expect, it } from 'vitest';
import { pod } from '../snapshot/objects.testkit.ts';
import { CLOUDCORE_RULES } from './cloudcore-rules.ts';
import { RULES, runRules } from './diagnose-rules.ts';
import { diagnoseState } from './diagnose.testkit.ts';
import type { DiagnoseState } from './state.ts';

const state = (cloudcorePods: DiagnoseState['cloudcorePods']): DiagnoseState =>
  diagnoseState({}, cloudcorePods ? { cloudcorePods } : {});

const cloudcore = (restarts: number, o: { waiting?: string; lastExitAgoMs?: number } = {}) =>
  pod('cloudcore-7d9f-abcde', 'cloudcore-7d9f', 'cloud-1', {
    namespace: 'kubeedge',
    container: 'cloudcore',
    labels: { kubeedge: 'cloudcore' },
    restarts,
    ...(o.waiting ? { waiting: o.waiting } : {}),
    ...(o.lastExitAgoMs !== undefined ? { lastExit: { agoMs: o.lastExitAgoMs, ranMs: 10_000 } } : {}),
  });

describe('diagnose: cloudcore restarting (kubeedge#7303)', () => {
  const run = (s: DiagnoseState) => runRules(s, CLOUDCORE_RULES);

  it('is part of the default rules', () => {
    expect(RULES.map((r) => r.id)).toContain('cloudcore-restarting');
  });

  it('reports a crash-looping cloudcore with the upstream issue and how to find the resource', () => {
    const r = run(state([cloudcore(12, { waiting: 'CrashLoopBackOff', lastExitAgoMs: 20_000 })]));
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f).toMatchObject({ rule: 'cloudcore-restarting', severity: 'error' });
    expect(f.issue).toMatch(/^kubeedge\/kubeedge#7303/);
    expect(f.evidence[0]).toMatch(
      /^pod kubeedge\/cloudcore-7d9f-abcde on cloud-1: 12 restarts, last exit .*, CrashLoopBackOff$/,
    );
    expect(f.fix).toContain('kubectl -n kubeedge logs deploy/cloudcore --previous');
    expect(f.fix).toContain('get informer for');
  });

  it('stays quiet for a cloudcore that restarted once or twice (kec install restarts it)', () => {
    expect(run(state([cloudcore(1, { lastExitAgoMs: 60_000 })])).findings).toEqual([]);
    expect(run(state([])).findings).toEqual([]);
  });

  it('says it could not check when the pods could not be listed', () => {
    const r = run(state(undefined));
    expect(r.findings).toEqual([]);
    expect(JSON.stringify(r)).toContain('cloudcore pods (kubeedge, kubeedge=cloudcore) could not be listed');
  });
});
