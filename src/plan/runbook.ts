// The ordered runbook: what to run, where, with the exact commands.
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import { CHART_NAMES } from '../knowledge/cilium.ts';
import { CLOUDCORE, EDGECORE, KNOWN_ISSUES } from '../knowledge/kubeedge.ts';
import { edgeDaemonSetName } from '../names.ts';

/**
 * Where the runbook's steps write what they fetch and build (cloudcore.yaml, DaemonSets): a
 * directory of its own inside the plan, which `kec plan` leaves alone when it writes again.
 */
export const RUNBOOK_WORK_DIR = 'work';

export interface RunbookStep {
  title: string;
  where: 'cloud' | 'edge';
  why: string;
  commands: string[];
}

export interface RunbookInput {
  spec: EdgeNetwork['spec'];
  groups: Array<{ name: string; selector: string; hasManifest: boolean }>;
}

export function runbook({ spec, groups }: RunbookInput): RunbookStep[] {
  const c = spec.cilium;
  const ke = spec.kubeedge;
  const ns = c.namespace;
  const cfg = EDGECORE.configPath;
  const steps: RunbookStep[] = [
    {
      title: 'Check every edge node',
      where: 'edge',
      why: 'Cilium fails late (crash-looping agents) on kernels without the needed options, without bpffs, or with another CNI config left behind. Copy this plan directory to the node (or run from a shared checkout).',
      commands: [
        'sudo kec node preflight --plan . --group <group>',
        '# without kec on the node:',
        'uname -r; mount -t bpf | grep /sys/fs/bpf; ls -la /etc/cni/net.d/',
        `grep -n -A3 -E "metaServer|edgeStream|clusterDNS" ${cfg}`,
      ],
    },
    {
      title: `Install or upgrade the Cilium release ${c.release} (${c.version})`,
      where: 'cloud',
      why: 'One Helm release for the whole cluster; its values keep cloud components off edge nodes and leave out the cilium-envoy DaemonSet.',
      commands: [
        `helm upgrade --install ${c.release} ${c.chart} --version ${c.version} --namespace ${ns} -f cilium-values.yaml`,
        `kubectl -n ${ns} rollout status daemonset/${CHART_NAMES.agentDaemonSet} --timeout=10m`,
        `kubectl -n ${ns} rollout status deployment/${CHART_NAMES.operatorDeployment} --timeout=5m`,
      ],
    },
    {
      title: 'Grant cloudcore the Cilium permissions',
      where: 'cloud',
      why: `Edge agents' API calls are answered by cloudcore's dynamicController under cloudcore's ServiceAccount (${KNOWN_ISSUES.cloudcoreRbac}).`,
      commands: ['kubectl apply -f rbac.yaml'],
    },
    {
      title: 'Enable dynamicController and cloudStream in cloudcore',
      where: 'cloud',
      why: 'dynamicController serves Cilium CRDs to MetaServer; cloudStream carries logs/exec of edge agents.',
      commands: [
        `mkdir -p ${RUNBOOK_WORK_DIR}`,
        `kubectl -n ${ke.namespace} get configmap ${CLOUDCORE.configMap} -o jsonpath='{.data.cloudcore\\.yaml}' > ${RUNBOOK_WORK_DIR}/cloudcore.yaml.bak`,
        `yq eval-all '. as $item ireduce ({}; . * $item)' ${RUNBOOK_WORK_DIR}/cloudcore.yaml.bak cloudcore-patch.yaml > ${RUNBOOK_WORK_DIR}/cloudcore.yaml`,
        `kubectl -n ${ke.namespace} patch configmap ${CLOUDCORE.configMap} --type merge -p "$(jq -n --rawfile c ${RUNBOOK_WORK_DIR}/cloudcore.yaml '{data: {"${CLOUDCORE.configKey}": $c}}')"`,
        `kubectl -n ${ke.namespace} delete pod -l ${CLOUDCORE.podSelector}`,
        `kubectl -n ${ke.namespace} rollout status deployment/${CLOUDCORE.deployment} --timeout=5m`,
      ],
    },
    {
      title: 'Back up and remove the old CNI configuration on every edge node',
      where: 'edge',
      why: `A leftover conflist (flannel, an older Cilium) is picked first by the runtime and breaks pod sandboxes (${KNOWN_ISSUES.leftoverConflist}).`,
      commands: [
        'sudo kec node prepare --dry-run && sudo kec node prepare   # also bpffs mount and rp_filter; undo: kec node rollback',
        '# without kec on the node:',
        'sudo install -d -m 0700 /var/lib/kec/backups/cni',
        'sudo cp -a /etc/cni/net.d/. /var/lib/kec/backups/cni/',
        "sudo find /etc/cni/net.d -maxdepth 1 -type f \\( -name '*.conf' -o -name '*.conflist' -o -name '*.json' \\) ! -name '05-cilium.conflist' -print -delete",
      ],
    },
    {
      title: 'Enable MetaServer, edgeStream and clusterDNS in edgecore',
      where: 'edge',
      why: `Edge agents use MetaServer (${ke.metaServer}) as their API server; without clusterDNS edge pods use the host resolver (${KNOWN_ISSUES.clusterDns}).`,
      commands: [
        'sudo kec node configure --plan . --group <group>          # keeps comments; restarts edgecore only if changed',
        '# without kec on the node:',
        `sudo cp -p ${cfg} ${cfg}.kec-bak`,
        `sudo yq -i '. *= load("edge/<group>/edgecore-patch.yaml")' ${cfg}`,
        'sudo systemctl restart edgecore',
        'curl -s http://127.0.0.1:10550/api/v1/namespaces/default | head -c 200',
      ],
    },
  ];
  for (const g of groups) {
    const name = edgeDaemonSetName(g.name);
    const dir = `edge/${g.name}`;
    steps.push({
      title: `Create the edge DaemonSet ${name}`,
      where: 'cloud',
      why: `Agents on nodes matching ${g.selector} reach the API through MetaServer and are sized for the group.`,
      commands: g.hasManifest
        ? [
            `kubectl apply -f ${dir}/cilium-agent.yaml`,
            `kubectl -n ${ns} rollout status daemonset/${name} --timeout=10m`,
          ]
        : [
            `mkdir -p ${RUNBOOK_WORK_DIR}`,
            `kubectl -n ${ns} get daemonset ${CHART_NAMES.agentDaemonSet} -o json | jq 'del(.status, .metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .metadata.generation, .metadata.managedFields, .metadata.annotations)' > ${RUNBOOK_WORK_DIR}/cilium-ds.json`,
            `kubectl patch --local -f ${RUNBOOK_WORK_DIR}/cilium-ds.json --type strategic --patch-file ${dir}/cilium-agent-patch.yaml -o yaml > ${RUNBOOK_WORK_DIR}/${name}.yaml`,
            `kubectl create -f ${RUNBOOK_WORK_DIR}/${name}.yaml`,
            `kubectl -n ${ns} rollout status daemonset/${name} --timeout=10m`,
          ],
    });
  }
  steps.push({
    title: 'Verify',
    where: 'cloud',
    why: 'Every agent Ready, cloud and edge; cloud agents see the edge nodes.',
    commands: [
      `kubectl -n ${ns} get daemonsets -l k8s-app=cilium -o wide`,
      `kubectl -n ${ns} get daemonsets ${groups.map((g) => edgeDaemonSetName(g.name)).join(' ')}`,
      `kubectl -n ${ns} exec daemonset/${CHART_NAMES.agentDaemonSet} -c ${CHART_NAMES.agentContainer} -- cilium-dbg status --brief`,
      `kubectl -n ${ns} exec daemonset/${CHART_NAMES.agentDaemonSet} -c ${CHART_NAMES.agentContainer} -- cilium-dbg node list`,
    ],
  });
  return steps;
}
