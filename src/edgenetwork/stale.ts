// Stage 0: values that upstream no longer accepts (or never did) but that guides still
// show. Each gets an error naming the replacement, before generic type checks run.
import type { Diagnostics, PathPart } from '../diagnostics.ts';
import { show } from '../diagnostics.ts';
import { ENCRYPTION_TYPES, LEGACY_HELM_KEYS, REMOVED_VALUES } from '../knowledge/cilium.ts';
import { EDGECORE } from '../knowledge/kubeedge.ts';
import { getPath } from '../util/merge.ts';

function checkKpr(value: unknown, path: PathPart[], d: Diagnostics): void {
  if (typeof value !== 'string') return;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === 'false') return;
  const repl = REMOVED_VALUES.kubeProxyReplacement.replacements[v];
  if (repl !== undefined) {
    d.error(
      path,
      `${show(value)} was removed in Cilium 1.16 (${REMOVED_VALUES.kubeProxyReplacement.source}); use ${repl}` +
        (v === 'strict'
          ? ' (full kube-proxy replacement)'
          : v === 'partial'
            ? ' and enable the individual features you need'
            : ''),
    );
  } else {
    d.error(path, `${show(value)} is not a kubeProxyReplacement value; use true or false`);
  }
}

function checkEncryptionType(value: unknown, path: PathPart[], d: Diagnostics, allowNone: boolean): void {
  if (typeof value !== 'string') return;
  const valid: string[] = [...(allowNone ? ['none'] : []), ...ENCRYPTION_TYPES];
  if (valid.includes(value)) return;
  const never = (REMOVED_VALUES.encryptionType.invalid as readonly string[]).includes(value);
  d.error(
    path,
    `${show(value)} is not a Cilium encryption type${never ? ' (Cilium never had it)' : ''}; use one of ipsec, wireguard` +
      ` (ztunnel from Cilium 1.19${allowNone ? ', or none' : ''})`,
  );
}

export function checkStaleValues(raw: unknown, d: Diagnostics): void {
  const cilium = ['spec', 'cilium'];
  checkKpr(getPath(raw, [...cilium, 'kubeProxyReplacement']), [...cilium, 'kubeProxyReplacement'], d);
  checkEncryptionType(getPath(raw, [...cilium, 'encryption', 'type']), [...cilium, 'encryption', 'type'], d, true);
  const enc = getPath(raw, [...cilium, 'encryption', 'enabled']);
  if (enc !== undefined) {
    d.error(
      [...cilium, 'encryption', 'enabled'],
      'is not a field here: set spec.cilium.encryption.type (none, wireguard, ipsec, ztunnel)',
    );
  }

  const values = getPath(raw, [...cilium, 'values']);
  if (values && typeof values === 'object' && !Array.isArray(values)) {
    const vpath: PathPart[] = [...cilium, 'values'];
    checkKpr(getPath(values, ['kubeProxyReplacement']), [...vpath, 'kubeProxyReplacement'], d);
    checkEncryptionType(getPath(values, ['encryption', 'type']), [...vpath, 'encryption', 'type'], d, false);
    for (const [key, use] of Object.entries(LEGACY_HELM_KEYS)) {
      if (getPath(values, key.split('.')) !== undefined) {
        d.error(
          [...vpath, ...key.split('.')],
          `is not a value of any supported Cilium chart (absent since 1.16); use ${use}`,
        );
      }
    }
  }

  const edgecore = getPath(raw, ['spec', 'kubeedge', 'edgecore']);
  if (edgecore && typeof edgecore === 'object' && !Array.isArray(edgecore)) {
    for (const [key, use] of Object.entries(EDGECORE.removedKeys)) {
      if (getPath(edgecore, key.split('.')) !== undefined) {
        d.error(['spec', 'kubeedge', 'edgecore', ...key.split('.')], use);
      }
    }
  }
}
