// cloudcore's config in the harness: the ConfigMap kubeedge/cloudcore (key cloudcore.yaml),
// with the overrides a cloudcore outside a pod needs. Which modules run comes from the
// ConfigMap only for dynamicController (what kec install edits); the rest is pinned here.
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export interface CloudcoreSite {
  /** Admin kubeconfig cloudcore talks to the apiserver with. */
  kubeconfig: string;
  /** Directory for cloudcore's CA, certificates and unix socket (under the cluster state dir). */
  stateDir: string;
  /** Address cloudhub listens on and advertises (the harness bridge address, reachable from every edge netns). */
  address: string;
  websocketPort: number;
  httpsPort: number;
  monitorPort: number;
}

type Rec = Record<string, unknown>;

function rec(parent: Rec, key: string): Rec {
  const v = parent[key];
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Rec;
  const fresh: Rec = {};
  parent[key] = fresh;
  return fresh;
}

/** True when cloudcore.yaml (the ConfigMap's text) enables modules.dynamicController. */
export function dynamicControllerEnabled(configMapYaml: string): boolean {
  const doc = (parse(configMapYaml) ?? {}) as Rec;
  return ((doc['modules'] as Rec | undefined)?.['dynamicController'] as Rec | undefined)?.['enable'] === true;
}

/** cloudcore.yaml as the harness runs it: the ConfigMap's content plus the harness overrides. */
export function renderCloudcoreConfig(configMapYaml: string, site: CloudcoreSite): string {
  const doc = (parse(configMapYaml) ?? {}) as Rec;
  doc['apiVersion'] ??= 'cloudcore.config.kubeedge.io/v1alpha2';
  doc['kind'] ??= 'CloudCore';
  const api = rec(doc, 'kubeAPIConfig');
  api['kubeConfig'] = site.kubeconfig;
  api['master'] = '';
  // CRD objects (devices, objectsyncs) have no protobuf encoding.
  api['contentType'] = 'application/json';
  rec(rec(doc, 'commonConfig'), 'monitorServer')['bindAddress'] = `127.0.0.1:${site.monitorPort}`;

  const modules = rec(doc, 'modules');
  const hub = rec(modules, 'cloudHub');
  hub['enable'] = true;
  hub['advertiseAddress'] = [site.address];
  hub['dnsNames'] = ['localhost'];
  Object.assign(rec(hub, 'websocket'), { enable: true, address: site.address, port: site.websocketPort });
  Object.assign(rec(hub, 'https'), { enable: true, address: site.address, port: site.httpsPort });
  Object.assign(rec(hub, 'quic'), { enable: false });
  hub['tlsCAFile'] = join(site.stateDir, 'ca', 'rootCA.crt');
  hub['tlsCAKeyFile'] = join(site.stateDir, 'ca', 'rootCA.key');
  hub['tlsCertFile'] = join(site.stateDir, 'certs', 'server.crt');
  hub['tlsPrivateKeyFile'] = join(site.stateDir, 'certs', 'server.key');
  Object.assign(rec(hub, 'unixsocket'), { enable: true, address: `unix://${join(site.stateDir, 'kubeedge.sock')}` });

  // Taken from the ConfigMap, default off as in a fresh KubeEdge install.
  rec(modules, 'dynamicController')['enable'] = dynamicControllerEnabled(configMapYaml);
  // Need host networking, iptables or stream certificates the harness does not give cloudcore.
  for (const m of ['cloudStream', 'router', 'iptablesManager', 'taskManager']) rec(modules, m)['enable'] = false;
  return stringify(doc);
}
