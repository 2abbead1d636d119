// Changes to cloudcore.yaml (ConfigMap kubeedge/cloudcore) and to each edge node's
// edgecore.yaml, as merge documents with the keys right for the KubeEdge version
// (v1alpha2 configs; kec supports KubeEdge >= 1.16).
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import { CLOUDCORE, EDGECORE } from '../knowledge/kubeedge.ts';
import { deepMerge, nest } from '../util/merge.ts';

export function cloudcorePatch(): Record<string, unknown> {
  return deepMerge(
    { apiVersion: CLOUDCORE.apiVersion, kind: CLOUDCORE.kind },
    deepMerge(nest(CLOUDCORE.keys.dynamicControllerEnable, true), nest(CLOUDCORE.keys.cloudStreamEnable, true)),
  );
}

export function edgecorePatch(spec: EdgeNetwork['spec']): Record<string, unknown> {
  const k = EDGECORE.keys;
  let p: Record<string, unknown> = { apiVersion: EDGECORE.apiVersion, kind: EDGECORE.kind };
  p = deepMerge(p, nest(k.metaServerEnable, true));
  p = deepMerge(p, nest(k.metaServerServer, spec.kubeedge.metaServer));
  p = deepMerge(p, nest(k.edgeStreamEnable, true));
  p = deepMerge(p, nest(k.clusterDNS, [spec.kubernetes.clusterDNS]));
  p = deepMerge(p, nest(k.clusterDomain, spec.kubernetes.clusterDomain));
  return deepMerge(p, spec.kubeedge.edgecore);
}
