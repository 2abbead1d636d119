// edgecore.yaml: load and refuse what kec cannot safely edit; the preflight checks of
// the keys Cilium's edge agent depends on (field notes §1–2).
import { parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { EDGECORE, KNOWN_ISSUES } from '../knowledge/kubeedge.ts';
import { InputError } from '../errors.ts';
import { check } from './checks.ts';
import type { FsRoot } from './fsroot.ts';
import type { Check } from '../check.ts';

export interface EdgecoreFile {
  path: string;
  text: string;
  doc: Document;
  value: Record<string, unknown>;
}

/** Reads edgecore.yaml; InputError (exit 2) when it is missing, unparsable or not v1alpha2 EdgeCore. */
export function loadEdgecore(fs: FsRoot, path: string = EDGECORE.configPath): EdgecoreFile {
  const text = fs.readText(path);
  if (text === undefined)
    throw new InputError(`${fs.path(path)}: not found; is edgecore installed on this node? (keadm join writes it)`);
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new InputError(
      `${fs.path(path)} does not parse as YAML: ${e.message.split('\n')[0]}; fix it before kec edits it`,
    );
  }
  const value = doc.toJS() as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(`${fs.path(path)}: expected a YAML mapping (an EdgeCore config)`);
  const v = value as Record<string, unknown>;
  if (v['apiVersion'] !== EDGECORE.apiVersion) {
    throw new InputError(
      `${fs.path(path)}: apiVersion ${JSON.stringify(v['apiVersion'] ?? null)} is not supported; kec edits ${EDGECORE.apiVersion} (KubeEdge >= 1.12)`,
    );
  }
  if (v['kind'] !== EDGECORE.kind)
    throw new InputError(`${fs.path(path)}: kind ${JSON.stringify(v['kind'] ?? null)}; expected ${EDGECORE.kind}`);
  return { path, text, doc, value: v };
}

export function getIn(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export interface EdgecoreExpect {
  clusterDNS?: string[];
}

export function edgecoreChecks(fs: FsRoot, expect: EdgecoreExpect = {}): Check[] {
  let ec: EdgecoreFile;
  try {
    ec = loadEdgecore(fs);
  } catch (e) {
    return [
      check(
        'edgecore.config',
        'base',
        'fail',
        (e as Error).message,
        'install edgecore (keadm join) or fix the file; kec node configure needs it',
      ),
    ];
  }
  const v = ec.value;
  const out: Check[] = [
    check('edgecore.config', 'base', 'pass', `${EDGECORE.configPath}: ${EDGECORE.apiVersion} ${EDGECORE.kind}`),
  ];
  const fixCmd = 'kec node configure --plan DIR --group G (or --patch edgecore-patch.yaml)';
  const ms = getIn(v, EDGECORE.keys.metaServerEnable);
  out.push(
    ms === true
      ? check(
          'edgecore.metaServer',
          'base',
          'pass',
          'modules.metaManager.metaServer.enable: true (the edge agent talks to 127.0.0.1:10550)',
        )
      : check(
          'edgecore.metaServer',
          'base',
          'fail',
          `modules.metaManager.metaServer.enable: ${JSON.stringify(ms ?? null)}; Cilium's edge agent reaches the API only through MetaServer`,
          fixCmd,
        ),
  );
  const es = getIn(v, EDGECORE.keys.edgeStreamEnable);
  out.push(
    es === true
      ? check('edgecore.edgeStream', 'base', 'pass', 'modules.edgeStream.enable: true')
      : check(
          'edgecore.edgeStream',
          'base',
          'warn',
          `modules.edgeStream.enable: ${JSON.stringify(es ?? null)}; kubectl logs/exec of edge pods (cilium-dbg, sysdump) will not work`,
          fixCmd,
        ),
  );
  const dns = getIn(v, EDGECORE.keys.clusterDNS);
  const list = Array.isArray(dns) ? dns.map(String) : typeof dns === 'string' ? [dns] : [];
  if (!list.length)
    out.push(
      check(
        'edgecore.clusterDNS',
        'base',
        'warn',
        `modules.edged.tailoredKubeletConfig.clusterDNS is not set; ${KNOWN_ISSUES.clusterDns}`,
        fixCmd,
      ),
    );
  else if (expect.clusterDNS && expect.clusterDNS.join(',') !== list.join(',')) {
    out.push(
      check(
        'edgecore.clusterDNS',
        'base',
        'warn',
        `clusterDNS is ${list.join(', ')}; the plan sets ${expect.clusterDNS.join(', ')}`,
        fixCmd,
      ),
    );
  } else out.push(check('edgecore.clusterDNS', 'base', 'pass', `clusterDNS: ${list.join(', ')}`));
  const removed = Object.keys(EDGECORE.removedKeys).filter((k) => getIn(v, k.split('.')) !== undefined);
  if (removed.length) {
    out.push(
      check(
        'edgecore.removedKeys',
        'base',
        'warn',
        `keys edgecore ignores: ${removed.join(', ')}`,
        removed.map((k) => `${k} → ${EDGECORE.removedKeys[k]}`).join('; '),
      ),
    );
  }
  return out;
}
