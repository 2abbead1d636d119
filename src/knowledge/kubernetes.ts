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

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a label key is invalid (k8s.io/apimachinery IsQualifiedName), or undefined. */
/** Source: k8s.io/apimachinery/pkg/util/validation (IsQualifiedName, IsValidLabelValue). */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `label key ${JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key)}: the prefix must be a DNS subdomain of at most 253 characters`;
  if (name.length === 0 || name.length > 63 || !NAME.test(name))
    return `label key ${JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key)}: the name must be 1-63 characters of letters, digits, "-", "_" and ".", beginning and ending with a letter or digit`;
  return undefined;
}

/** Why a label value is invalid (k8s.io/apimachinery IsValidLabelValue), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63)
    return `label value ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} is longer than 63 characters`;
  if (!NAME.test(value))
    return `label value ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}: letters, digits, "-", "_" and ".", beginning and ending with a letter or digit`;
  return undefined;
}
