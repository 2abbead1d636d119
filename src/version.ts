// kec's version, set by the build (scripts/build.mjs defines KEC_VERSION), and what it knows.
import { CILIUM_LATEST_PATCH, CILIUM_MIN_KERNEL } from './knowledge/cilium.ts';
import { KUBEEDGE_LATEST_KNOWN, KUBEEDGE_MIN_VERSION } from './knowledge/kubeedge.ts';

declare const KEC_VERSION: string | undefined;
export const VERSION = typeof KEC_VERSION === 'string' ? KEC_VERSION : '0.0.0-dev';

/** `kec version -o json`. */
export function versionInfo() {
  return {
    kec: VERSION,
    node: process.versions.node,
    cilium: Object.entries(CILIUM_LATEST_PATCH).map(([minor, latest]) => ({
      minor,
      latest,
      minKernel: CILIUM_MIN_KERNEL[minor],
    })),
    kubeedge: { min: KUBEEDGE_MIN_VERSION, latestKnown: KUBEEDGE_LATEST_KNOWN },
  };
}
