// kec connectivity test / cleanup: pod-to-pod, pod-to-service and DNS between the cloud
// and every edge group, like cilium-cli's connectivity test (domain code loaded lazily).
import type { Registrar } from './index.ts';
import type { ClusterFlags } from './flags.ts';
import { addClusterFlags, connectOptions, defined, formatOf, outputOption } from './flags.ts';
import { UsageError } from '../../errors.ts';

interface TestFlags extends ClusterFlags {
  file?: string;
  output: string[];
  junit?: string;
  keep?: boolean;
  test?: string;
  testNamespace?: string;
  testTimeout: string;
  deployTimeout: string;
  offlineGrace: string;
  concurrency: string;
  clusterDomain?: string;
  clientImage?: string;
  echoImage?: string;
}

export const registerConnectivity: Registrar = (program, io, setExit) => {
  const conn = program.command('connectivity').description('Test pod networking between the cloud and edge groups');
  addClusterFlags(
    conn
      .command('test')
      .description(
        'Deploy client/echo pods in cilium-test-<n> on cloud nodes and each edge group; probe pod-to-pod (cloud↔edge, edge↔edge within and across groups), pod-to-service and DNS; skip offline groups with the reason; clean up',
      )
      .option(
        '-f, --file <spec>',
        'EdgeNetwork spec: edge groups, cluster domain (default: groups discovered from labels)',
      )
      .option('--junit <file>', 'also write a JUnit XML report')
      .option('--keep', 'keep the test namespace afterwards (kec connectivity cleanup deletes it)')
      .option('--test <regex>', 'run only tests whose name matches')
      .option('--test-namespace <name>', 'namespace to create (default: the first free cilium-test-<n>)')
      .option('--test-timeout <duration>', 'time limit of each test', '15s')
      .option('--deploy-timeout <duration>', 'how long to wait for the test pods', '2m')
      .option(
        '--offline-grace <duration>',
        'as in kec status: edge nodes offline within it are offline (autonomous)',
        '1h',
      )
      .option('--concurrency <n>', 'tests run at once', '4')
      .option(
        '--cluster-domain <domain>',
        'cluster domain for the DNS test (default: from the spec, else cluster.local)',
      )
      .option('--client-image <image>', 'client image (needs curl and nslookup)')
      .option('--echo-image <image>', 'echo server image (HTTP on $PORT)')
      .addOption(outputOption()),
  ).action(async (o: TestFlags) => {
    const format = formatOf(o.output);
    if (!/^\d+$/.test(o.concurrency)) throw new UsageError(`--concurrency ${o.concurrency}: not a whole number`);
    const { connectivityTestCommand } = await import('../../cluster/connectivity/run.ts');
    setExit(
      await connectivityTestCommand(io, {
        format,
        connect: connectOptions(o),
        testTimeout: o.testTimeout,
        deployTimeout: o.deployTimeout,
        offlineGrace: o.offlineGrace,
        concurrency: Number(o.concurrency),
        ...defined({
          file: o.file,
          namespace: o.namespace,
          junit: o.junit,
          keep: o.keep,
          test: o.test,
          testNamespace: o.testNamespace,
          clusterDomain: o.clusterDomain,
        }),
        images: defined({ client: o.clientImage, echo: o.echoImage }),
      }),
    );
  });
  addClusterFlags(
    conn
      .command('cleanup')
      .description('Delete every namespace a connectivity test left (labelled kec.kubeedge.io/connectivity-test=true)')
      .addOption(outputOption()),
  ).action(async (o: ClusterFlags & { output: string[] }) => {
    const format = formatOf(o.output);
    const { connectivityCleanupCommand } = await import('../../cluster/connectivity/run.ts');
    setExit(await connectivityCleanupCommand(io, { format, connect: connectOptions(o) }));
  });
};
