// Health of one agent pod from its status: readiness, restarts, CrashLoopBackOff, and
// the length of its last run (edgecore restarting agents every 60-90 s, kubeedge#6641).
import type { Obj } from '../types.ts';
import { asArr, asNum, asRec, asStr, condition, podNode, timeOf } from './state.ts';

/** A pod that restarted this often, with its last exit within FLAP_WINDOW_MS, is "restarting often". */
export const FLAP_RESTARTS = 3;
export const FLAP_WINDOW_MS = 15 * 60_000;

export interface PodHealth {
  pod: string;
  node: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** Waiting reason of any container (CrashLoopBackOff, ImagePullBackOff...). */
  waitingReason?: string;
  /** Seconds the container ran before its last termination. */
  lastRunSeconds?: number;
  lastExitAt?: string;
  lastExitReason?: string;
  crashLoop: boolean;
  restartingOften: boolean;
}

export function podHealth(pod: Obj, now: number): PodHealth {
  const status = asRec(pod['status']);
  const statuses = [...asArr(status['initContainerStatuses']), ...asArr(status['containerStatuses'])].map(asRec);
  let restarts = 0;
  let waitingReason: string | undefined;
  let last: { started?: number; finished?: number; finishedAt?: string; reason?: string } | undefined;
  for (const c of statuses) {
    restarts += asNum(c['restartCount']);
    const w = asStr(asRec(asRec(c['state'])['waiting'])['reason']);
    if (w !== undefined && (waitingReason === undefined || w === 'CrashLoopBackOff')) waitingReason = w;
    const t = asRec(asRec(c['lastState'])['terminated']);
    const finishedAt = asStr(t['finishedAt']);
    const finished = timeOf(finishedAt);
    if (finished !== undefined && (last?.finished === undefined || finished > last.finished)) {
      last = { finished };
      if (finishedAt !== undefined) last.finishedAt = finishedAt;
      const started = timeOf(asStr(t['startedAt']));
      if (started !== undefined) last.started = started;
      const reason = asStr(t['reason']);
      if (reason !== undefined) last.reason = reason;
    }
  }
  const recent = last?.finished !== undefined && now - last.finished <= FLAP_WINDOW_MS;
  const out: PodHealth = {
    pod: pod.metadata?.name ?? '',
    node: podNode(pod),
    phase: asStr(status['phase']) ?? 'Unknown',
    ready: condition(pod, 'Ready')?.status === 'True',
    restarts,
    crashLoop: waitingReason === 'CrashLoopBackOff',
    restartingOften: restarts >= FLAP_RESTARTS && recent,
  };
  if (waitingReason !== undefined) out.waitingReason = waitingReason;
  if (last?.finishedAt !== undefined) out.lastExitAt = last.finishedAt;
  if (last?.reason !== undefined) out.lastExitReason = last.reason;
  if (last?.started !== undefined && last.finished !== undefined)
    out.lastRunSeconds = Math.round((last.finished - last.started) / 1000);
  return out;
}
