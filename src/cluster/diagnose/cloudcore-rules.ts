// kec diagnose rules about the cloudcore process itself (its pods in the KubeEdge namespace).
import { CLOUDCORE, KNOWN_ISSUES } from '../../knowledge/kubeedge.ts';
import { FLAP_RESTARTS, podHealth } from '../snapshot/pods.ts';
import type { Rule } from './diagnose-rules.ts';
import type { DiagnoseState } from './state.ts';

/**
 * kubeedge#7303: an edge list or watch of a resource whose CRD is not installed makes
 * cloudcore's dynamicController exit; the edge re-sends its watches after each reconnect, so
 * cloudcore restarts again and again and every edge node flaps NotReady.
 */
const cloudcoreRestarting: Rule = {
  id: 'cloudcore-restarting',
  title: 'cloudcore keeps restarting',
  check(s: DiagnoseState) {
    if (s.cloudcorePods === undefined)
      return `cloudcore pods (${s.kubeedgeNamespace}, ${CLOUDCORE.podSelector}) could not be listed`;
    const now = Date.parse(s.status.collectedAt);
    const evidence = s.cloudcorePods
      .map((p) => podHealth(p, now))
      .filter((h) => h.crashLoop || h.restartingOften || h.restarts >= FLAP_RESTARTS)
      .map(
        (h) =>
          `pod ${s.kubeedgeNamespace}/${h.pod}${h.node ? ` on ${h.node}` : ''}: ${h.restarts} restarts${h.lastExitAt ? `, last exit ${h.lastExitAt}` : ''}${h.waitingReason ? `, ${h.waitingReason}` : ''}`,
      );
    if (evidence.length === 0) return [];
    return [
      {
        rule: this.id,
        title: this.title,
        severity: 'error',
        issue: KNOWN_ISSUES.cloudcoreMissingCrd,
        evidence,
        fix: `read the end of the previous run (kubectl -n ${s.kubeedgeNamespace} logs deploy/${CLOUDCORE.deployment} --previous): "get informer for <group>/<version>, Resource=<plural> err: no matches" means an edge client (a Cilium agent with a feature whose CRD is missing, or a tool) lists or watches a resource the cluster does not have. Install that CRD (cilium-operator registers those of the features it runs), or turn the feature off for the edge agents; the edge forgets its watches about 5 minutes after the client stops. kec node metaserver check never asks for such resources`,
      },
    ];
  },
};

export const CLOUDCORE_RULES: readonly Rule[] = [cloudcoreRestarting];
