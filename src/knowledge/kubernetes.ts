// Kubernetes facts kec relies on.

/** Kinds a Helm chart such as Cilium's renders without a namespace because they have none (kubectl api-resources --namespaced=false). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'Namespace',
  'PriorityClass',
  'IngressClass',
  'GatewayClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);
