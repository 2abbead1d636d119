// kec version [-o json]: kec's version and the upstream versions it knows.
import type { Io, OutputFormat } from '../io.ts';
import { CILIUM_LATEST_PATCH, CILIUM_MIN_KERNEL } from '../../knowledge/cilium.ts';
import { KUBEEDGE_LATEST_KNOWN, KUBEEDGE_MIN_VERSION } from '../../knowledge/kubeedge.ts';
import { table } from '../../output/table.ts';
import { toYaml } from '../../output/yaml.ts';

import { VERSION } from '../version.ts';

export function versionCommand(io: Io, format: OutputFormat): number {
  const data = {
    kec: VERSION,
    node: process.versions.node,
    cilium: Object.entries(CILIUM_LATEST_PATCH).map(([minor, latest]) => ({ minor, latest, minKernel: CILIUM_MIN_KERNEL[minor] })),
    kubeedge: { min: KUBEEDGE_MIN_VERSION, latestKnown: KUBEEDGE_LATEST_KNOWN },
  };
  if (format === 'json') io.out(JSON.stringify(data, null, 2));
  else if (format === 'yaml') io.out(toYaml(data));
  else {
    io.out(`kec ${VERSION} (node ${data.node})\n`);
    io.out(table(['CILIUM', 'LATEST KNOWN', 'MIN KERNEL'], data.cilium.map((c) => [c.minor, c.latest, c.minKernel ?? '-'])));
    io.out(`\nKubeEdge ${KUBEEDGE_MIN_VERSION} or newer (checked up to ${KUBEEDGE_LATEST_KNOWN})`);
  }
  return 0;
}
