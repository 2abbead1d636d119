// Stage 3, per edge group: names, selectors, kernels, MTU.
import type { Diagnostics } from '../diagnostics.ts';
import { show } from '../diagnostics.ts';
import type { EdgeGroup, EdgeNetwork } from './types.ts';
import { CILIUM_MIN_KERNEL, FEATURE_MIN_KERNEL, MTU } from '../knowledge/cilium.ts';
import { EDGE_LABELS } from '../knowledge/kubeedge.ts';
import { enabledFeatures } from './features.ts';
import { atLeast, minorOf, parseKernelRelease, parseVersion } from '../util/version.ts';
import { podMtu } from './mtu.ts';
import { labelKeyProblem, labelValueProblem } from '../knowledge/kubernetes.ts';

/** "cilium-edge-" + name must stay a valid object name and label value (63). */
const MAX_GROUP_NAME = 63 - 'cilium-edge-'.length;

export function checkGroups(n: EdgeNetwork, d: Diagnostics): void {
  const seen = new Map<string, number>();
  n.spec.edgeGroups.forEach((g, i) => {
    const at = `spec.edgeGroups[${i}]`;
    if (g.name === undefined) return;
    const first = seen.get(g.name);
    if (first !== undefined)
      d.error(`${at}.name`, `"${g.name}" is already the name of spec.edgeGroups[${first}]; group names must be unique`);
    else seen.set(g.name, i);
    if (g.name.length > MAX_GROUP_NAME)
      d.error(
        `${at}.name`,
        `is ${g.name.length} characters; at most ${MAX_GROUP_NAME} fit in the DaemonSet name cilium-edge-<name>`,
      );
    // Node labels the API server would refuse can never match: say so here, not at install time.
    for (const [k, v] of Object.entries(g.nodeSelector)) {
      const bad = labelKeyProblem(k) ?? labelValueProblem(v);
      if (bad !== undefined)
        d.error(`${at}.nodeSelector${/^[A-Za-z_][\w]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}`, bad);
    }
    if (EDGE_LABELS.edge in g.nodeSelector) {
      d.warn(`${at}.nodeSelector`, `need not contain ${EDGE_LABELS.edge}: kec always requires it for edge DaemonSets`);
    }
    checkKernel(n, g, at, d);
    checkMtu(n, g, at, d);
  });
  checkSelectorOverlap(n.spec.edgeGroups, d);
}

function checkKernel(n: EdgeNetwork, g: EdgeGroup, at: string, d: Diagnostics): void {
  if (g.kernel === undefined) return;
  const k = parseKernelRelease(g.kernel);
  if (!k) {
    d.error(`${at}.kernel`, `${show(g.kernel)} is not a kernel release such as "5.15.0-1034-raspi" (uname -r)`);
    return;
  }
  const c = parseVersion(n.spec.cilium.version ?? '');
  const minor = c ? minorOf(c) : undefined;
  const min = minor ? CILIUM_MIN_KERNEL[minor] : undefined;
  if (min && !atLeast(k, min)) {
    const rhel8 = k.major === 4 && k.minor === 18 && /\.el8/.test(k.raw);
    if (rhel8) {
      d.warn(
        `${at}.kernel`,
        `${k.raw} is below Cilium ${minor}'s minimum ${min.replace(/\.0$/, '')}, but RHEL 8 kernels carry the needed backports (documented exception)`,
      );
    } else {
      d.error(
        `${at}.kernel`,
        `${k.raw} is older than Cilium ${minor} supports (needs >= ${min.replace(/\.0$/, '')}); upgrade the kernel or choose an older Cilium`,
      );
      return;
    }
  }
  for (const f of enabledFeatures(n.spec)) {
    if (!f.minKernel) continue;
    const need = FEATURE_MIN_KERNEL[f.minKernel];
    if (!atLeast(k, need.kernel)) {
      d.error(
        `${at}.kernel`,
        `${k.raw} is too old for ${need.title} (needs >= ${need.kernel.replace(/\.0$/, '')}; turned on by ${f.because})`,
      );
    }
  }
}

function checkMtu(n: EdgeNetwork, g: EdgeGroup, at: string, d: Diagnostics): void {
  const m = podMtu(n.spec, g);
  if (m.pod < MTU.minimum) {
    d.error(
      `${at}.link.mtu`,
      `${g.link.mtu} leaves pods an MTU of ${m.pod} after ${m.overhead} B of tunnel/encryption overhead; at least ${MTU.minimum} is needed`,
    );
  }
}

/** Two groups whose selectors can match the same node would run two agents on it. */
function checkSelectorOverlap(groups: EdgeGroup[], d: Diagnostics): void {
  // Fast path for large fleets: a label every group selects on, with a different value per
  // group (e.g. kec.kubeedge.io/group), makes all selectors pairwise disjoint.
  // ("" means "label present, any value", as in the generated affinity: it never makes groups disjoint.)
  const first = groups[0]?.nodeSelector ?? {};
  for (const key of Object.keys(first)) {
    const values = new Set<string>();
    for (const g of groups) if (key in g.nodeSelector && g.nodeSelector[key] !== '') values.add(g.nodeSelector[key]!);
    if (values.size === groups.length) return;
  }
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const a = groups[i]!;
      const b = groups[j]!;
      if (a.name === b.name) continue;
      const conflict = Object.keys(a.nodeSelector).some(
        (k) =>
          k in b.nodeSelector &&
          a.nodeSelector[k] !== '' &&
          b.nodeSelector[k] !== '' &&
          a.nodeSelector[k] !== b.nodeSelector[k],
      );
      if (conflict) continue;
      // x ⊆ y: every node y selects is selected by x (an "" requirement of x only needs the label).
      const covers = (x: Record<string, string>, y: Record<string, string>): boolean =>
        Object.entries(x).every(([k, v]) => k in y && (v === '' || y[k] === v));
      const aSubB = covers(a.nodeSelector, b.nodeSelector);
      const bSubA = covers(b.nodeSelector, a.nodeSelector);
      if (aSubB || bSubA) {
        d.error(
          `spec.edgeGroups[${j}].nodeSelector`,
          `selects nodes that group "${a.name}" (spec.edgeGroups[${i}]) also selects: a node would run two Cilium agents; make the selectors disjoint`,
        );
      } else {
        d.warn(
          `spec.edgeGroups[${j}].nodeSelector`,
          `a node labelled for both "${a.name}" and "${b.name}" would run two agents; kec install refuses such nodes`,
        );
      }
    }
  }
}
