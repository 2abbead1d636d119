// The plan's Helm values against the deployed release's (`helm get values`, read-only, through the
// user's helm as kec install does), both redacted: keys and certificates are never shown.
import type { Helm } from '../cluster/install/helm.ts';
import { redactHelmValues } from '../cluster/redact.ts';
import { unifiedDiff } from '../output/diff.ts';
import { toYaml } from '../output/yaml.ts';
import type { ValuesDiffView } from './types.ts';
import { cachedAsync } from '../util/cached.ts';

export type DeployedValues =
  | { deployed: true; values: Record<string, unknown>; chartVersion: string | undefined }
  | { deployed: false }
  | { error: string };

/** Pure: the view of planned values against what the release has. */
export function valuesDiffView(
  planned: Record<string, unknown>,
  release: { name: string; namespace: string },
  got: DeployedValues,
  at: string,
): ValuesDiffView {
  const base = { release: release.name, namespace: release.namespace, at };
  if ('error' in got) return { ...base, status: 'unavailable', diff: '', reason: got.error };
  if (!got.deployed) return { ...base, status: 'not deployed', diff: '' };
  const diff = unifiedDiff(toYaml(redactHelmValues(got.values)), toYaml(redactHelmValues(planned)), {
    from: `deployed values (${release.namespace}/${release.name})`,
    to: 'planned values',
  });
  return {
    ...base,
    status: diff === '' ? 'matches' : 'differs',
    ...(got.chartVersion ? { chartVersion: got.chartVersion } : {}),
    diff,
  };
}

/** Reads the release's values at most once per maxAgeMs; concurrent calls share one read. */
export function cachedHelmValues(
  helm: Helm,
  release: { name: string; namespace: string },
  maxAgeMs: number,
  now: () => number = Date.now,
): () => Promise<{ got: DeployedValues; at: string }> {
  return cachedAsync(
    async () => {
      let got: DeployedValues;
      try {
        const status = await helm.status(release.name, release.namespace);
        got = status
          ? {
              deployed: true,
              values: await helm.values(release.name, release.namespace),
              chartVersion: status.chartVersion,
            }
          : { deployed: false };
      } catch (e) {
        got = { error: (e as Error).message };
      }
      return { got, at: new Date(now()).toISOString() };
    },
    maxAgeMs,
    now,
  );
}
