// kec version [-o json|yaml]: kec's version and the upstream versions it knows.
import type { Registrar } from './index.ts';
import { formatOf, outputOption } from './flags.ts';
import { emit } from '../../output/emit.ts';
import { table } from '../../output/table.ts';
import { versionInfo } from '../../version.ts';

export const registerVersion: Registrar = (program, io, setExit) => {
  program
    .command('version')
    .description("Print kec's version and the Cilium/KubeEdge versions it knows")
    .addOption(outputOption())
    .action((o: { output: string[] }) => {
      const data = versionInfo();
      emit(io, formatOf(o.output), data, () =>
        [
          `kec ${data.kec} (node ${data.node}, ${data.standalone ? 'standalone binary' : 'Node.js package'}, ${data.os}/${data.arch})`,
          table(
            ['CILIUM', 'LATEST KNOWN', 'MIN KERNEL'],
            data.cilium.map((c) => [c.minor, c.latest, c.minKernel ?? '-']),
          ),
          `\nKubeEdge ${data.kubeedge.min} or newer (checked up to ${data.kubeedge.latestKnown})`,
        ].join('\n'),
      );
      setExit(0);
    });
};
