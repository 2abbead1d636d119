// What `kec connectivity test` deploys: a labelled namespace cilium-test-<n>, per site a
// client and an echo Deployment pinned to the site's Ready nodes, and one echo Service.
import type { Obj } from '../types.ts';
import { EDGE_LABELS } from '../../knowledge/kubeedge.ts';
import type { Site } from './test-matrix.ts';
import { ANNOTATIONS, CONNECTIVITY_LABELS as CONN_LABELS, MANAGED_BY } from '../../names.ts';

/** cilium-cli's defaults (cilium/cilium-cli defaults.go, "ConnectivityCheckAlpineCurlImage" / "ConnectivityCheckJSONMockImage"). */
export const DEFAULT_IMAGES = {
  client: 'quay.io/cilium/alpine-curl:v1.10.0@sha256:913e8c9f3d960dde03882defa0edd3a919d529c2eb167caa7f54194528bde364',
  echo: 'quay.io/cilium/json-mock:v1.3.9@sha256:c98b26177a5a60020e5aa404896d55f0ab573d506f42acfb4aa4f5705a5c6f56',
} as const;

/** json-mock serves HTTP on $PORT. */
export const ECHO_PORT = 8080;
export const ECHO_SERVICE = 'echo';
export const NAMESPACE_PREFIX = 'cilium-test-';

const MANAGED = { ...MANAGED_BY, [CONN_LABELS.test]: 'true' };

export interface Images {
  client: string;
  echo: string;
}

export type Role = 'client' | 'echo';

export const workloadName = (role: Role, site: Site): string => `${role}-${site.id}`;

export function namespaceObject(name: string, runId: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ...MANAGED }, annotations: { [ANNOTATIONS.connectivityRun]: runId } },
  };
}

/**
 * Required node affinity: the site's kind (edge label) and selector, minus the site's
 * nodes that are not usable (offline, NotReady, tainted). The API allows one value per
 * `metadata.name` field requirement, so each excluded node is its own NotIn (ANDed).
 */
function affinity(site: Site): Record<string, unknown> {
  const expressions: Array<Record<string, unknown>> = [
    { key: EDGE_LABELS.edge, operator: site.kind === 'edge' ? 'Exists' : 'DoesNotExist' },
  ];
  for (const [key, value] of Object.entries(site.nodeSelector))
    expressions.push({ key, operator: 'In', values: [value] });
  const usable = new Set(site.nodes);
  const excluded = site.nodeStates
    .map((n) => n.name)
    .filter((n) => !usable.has(n))
    .sort();
  const term: Record<string, unknown> = { matchExpressions: expressions };
  if (excluded.length)
    term['matchFields'] = excluded.map((n) => ({ key: 'metadata.name', operator: 'NotIn', values: [n] }));
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
}

export function deploymentObject(role: Role, site: Site, namespace: string, images: Images): Obj {
  const labels = { ...MANAGED, [CONN_LABELS.role]: role, [CONN_LABELS.site]: site.name };
  const container =
    role === 'client'
      ? {
          name: 'client',
          image: images.client,
          command: ['/bin/sh', '-c', 'trap "exit 0" TERM; sleep 2147483647 & wait'],
        }
      : {
          name: 'echo',
          image: images.echo,
          env: [{ name: 'PORT', value: String(ECHO_PORT) }],
          ports: [{ name: 'http', containerPort: ECHO_PORT }],
          readinessProbe: { httpGet: { path: '/', port: ECHO_PORT }, periodSeconds: 5 },
        };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: workloadName(role, site), namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { [CONN_LABELS.role]: role, [CONN_LABELS.site]: site.name } },
      template: {
        metadata: { labels },
        spec: {
          affinity: affinity(site),
          // Edge nodes are sometimes tainted with their role; test pods may run there.
          tolerations: [{ key: EDGE_LABELS.edge, operator: 'Exists' }],
          terminationGracePeriodSeconds: 0,
          automountServiceAccountToken: false,
          containers: [
            { ...container, imagePullPolicy: 'IfNotPresent', securityContext: { allowPrivilegeEscalation: false } },
          ],
        },
      },
    },
  };
}

export function echoServiceObject(namespace: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ECHO_SERVICE, namespace, labels: { ...MANAGED } },
    spec: {
      type: 'ClusterIP',
      selector: { [CONN_LABELS.role]: 'echo' },
      ports: [{ name: 'http', port: ECHO_PORT, targetPort: ECHO_PORT }],
    },
  };
}

/** Objects to create, namespace first. */
export function testObjects(namespace: string, runId: string, sites: readonly Site[], images: Images): Obj[] {
  return [
    namespaceObject(namespace, runId),
    ...sites.flatMap((s) => [
      deploymentObject('client', s, namespace, images),
      deploymentObject('echo', s, namespace, images),
    ]),
    echoServiceObject(namespace),
  ];
}

/** The first cilium-test-<n> not among the existing namespace names. */
export function nextNamespace(existing: Iterable<string>): string {
  const taken = new Set(existing);
  for (let n = 1; ; n++) if (!taken.has(`${NAMESPACE_PREFIX}${n}`)) return `${NAMESPACE_PREFIX}${n}`;
}
