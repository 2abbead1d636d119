// kec's version, set by the build (scripts/build.mjs defines KEC_VERSION), and what it knows.
import { isSea } from 'node:sea';
import { CILIUM_LATEST_PATCH, CILIUM_MIN_KERNEL } from './knowledge/cilium.ts';
import { KUBEEDGE_LATEST_KNOWN, KUBEEDGE_MIN_VERSION } from './knowledge/kubeedge.ts';

declare const KEC_VERSION: string | undefined;
export const VERSION = typeof KEC_VERSION === 'string' ? KEC_VERSION : '0.0.0-dev';

/** Go-style architecture names, as in the standalone binaries' names (kec-linux-amd64). */
const GOARCH: Partial<Record<string, string>> = { x64: 'amd64', ia32: '386' };

/** `kec version -o json`. */
export function versionInfo() {
  return {
    kec: VERSION,
    node: process.versions.node,
    /** true in the single-file binaries (`make binaries`, scripts/sea/build.ts): Node's SEA. */
    standalone: isSea(),
    os: process.platform,
    arch: GOARCH[process.arch] ?? process.arch,
    cilium: Object.entries(CILIUM_LATEST_PATCH).map(([minor, latest]) => ({
      minor,
      latest,
      minKernel: CILIUM_MIN_KERNEL[minor],
    })),
    kubeedge: { min: KUBEEDGE_MIN_VERSION, latestKnown: KUBEEDGE_LATEST_KNOWN },
  };
}
