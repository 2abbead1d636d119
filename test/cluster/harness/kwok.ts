// kwok, the simulated kubelet of every node: its configuration (stages.yaml plus the
// crash-looping images a test asked for) and (re)starting it.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import { binPath, KWOK_STAGES } from './paths.ts';
import type { Daemon } from './processes.ts';
import { readPids, startDaemon, stopDaemon } from './processes.ts';
import { freePort } from './wait.ts';

/** Annotation kwok selects the nodes it simulates by; changing it "disconnects" a node. */
export const KWOK_MANAGED = { key: 'kwok.x-k8s.io/node', value: 'fake' } as const;

const CONFIG_FILE = 'kwok-config.yaml';
const CRASH_FILE = 'crashloop-images.json';

type Doc = {
  kind?: string;
  metadata?: { name?: string };
  spec?: { selector?: { matchExpressions?: unknown[] } } & Record<string, unknown>;
} & Record<string, unknown>;

/** A pod stage: containers with one of these images crash-loop (Running, not Ready, restarting). */
function crashLoopStage(images: string[]): Doc {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: 'kec-pod-crashloop' },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: {
        matchExpressions: [
          { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
          { key: '.spec.nodeName', operator: 'Exists' },
          { key: '.spec.containers.[].image', operator: 'In', values: images },
          { key: '.status.containerStatuses.[].state.waiting.reason', operator: 'NotIn', values: ['CrashLoopBackOff'] },
        ],
      },
      next: {
        statusTemplate: [
          '{{ $now := Now }}',
          'conditions:',
          '- {type: PodScheduled, status: "True", lastTransitionTime: {{ $now | Quote }}}',
          '- {type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }}}',
          '- {type: ContainersReady, status: "False", reason: ContainersNotReady, lastTransitionTime: {{ $now | Quote }}}',
          '- {type: Ready, status: "False", reason: ContainersNotReady, lastTransitionTime: {{ $now | Quote }}}',
          'containerStatuses:',
          '{{ range .spec.containers }}',
          '- name: {{ .name | Quote }}',
          '  image: {{ .image | Quote }}',
          '  ready: false',
          '  started: false',
          '  restartCount: 5',
          '  state:',
          '    waiting: {reason: CrashLoopBackOff, message: "back-off 2m40s restarting failed container (simulated by the kec harness)"}',
          '  lastState:',
          '    terminated: {exitCode: 1, reason: Error, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }}}',
          '{{ end }}',
          '{{ with NodeIPWith .spec.nodeName }}',
          'hostIP: {{ . | Quote }}',
          '{{ end }}',
          'phase: Running',
          'startTime: {{ $now | Quote }}',
        ].join('\n'),
      },
    },
  };
}

/** stages.yaml, with the Running stage skipping crash-looping images and the crash-loop stage added. */
export function renderKwokConfig(crashImages: string[]): string {
  const docs = parseAllDocuments(readFileSync(KWOK_STAGES, 'utf8')).map((d) => d.toJS() as Doc);
  if (crashImages.length > 0) {
    const running = docs.find((d) => d.kind === 'Stage' && d.metadata?.name === 'kec-pod-running');
    running?.spec?.selector?.matchExpressions?.push({
      key: '.spec.containers.[].image',
      operator: 'NotIn',
      values: crashImages,
    });
    docs.push(crashLoopStage(crashImages));
  }
  return docs.map((d) => stringify(d)).join('---\n');
}

export function crashLoopImages(dir: string): string[] {
  const f = join(dir, CRASH_FILE);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as string[]) : [];
}

/**
 * Starts kwok for the cluster in dir (replacing a running one), with these crash-looping
 * images. A replaced kwok's node Leases are deleted: the new process has another holder
 * identity and would otherwise wait for them to expire, long enough for the node lifecycle
 * controller to declare the nodes unreachable.
 */
export async function startKwok(
  dir: string,
  instanceId: string,
  crashImages: string[],
): Promise<{ daemon: Daemon; port: number }> {
  const previous = readPids(dir).find((r) => r.name === 'kwok');
  if (previous !== undefined) {
    await stopDaemon(dir, previous);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(join(dir, 'admin.kubeconfig'));
    const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
    await coordination.deleteCollectionNamespacedLease({ namespace: 'kube-node-lease' });
  }
  const config = join(dir, CONFIG_FILE);
  await writeFile(config, renderKwokConfig(crashImages));
  await writeFile(join(dir, CRASH_FILE), JSON.stringify(crashImages));
  const port = await freePort();
  const daemon = startDaemon({
    dir,
    instanceId,
    name: 'kwok',
    bin: binPath('kwok'),
    args: [
      `--kubeconfig=${join(dir, 'kwok.kubeconfig')}`,
      `--config=${config}`,
      `--manage-nodes-with-annotation-selector=${KWOK_MANAGED.key}=${KWOK_MANAGED.value}`,
      '--cidr=10.244.0.0/16',
      '--node-ip=10.200.0.1',
      `--server-address=127.0.0.1:${port}`,
      '--node-lease-duration-seconds=20',
    ],
  });
  return { daemon, port };
}
