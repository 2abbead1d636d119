// Where MetaServer listens: --metaserver, else edgecore.yaml's
// modules.metaManager.metaServer.server (under --root), else KubeEdge's default.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { EDGECORE, METASERVER } from '../../knowledge/kubeedge.ts';
import { InputError, UsageError } from '../../errors.ts';

export interface MetaServerAddress {
  host: string;
  port: number;
  /** host:port as given ([v6]:port for IPv6). */
  address: string;
  from: 'flag' | 'edgecore.yaml' | 'default';
  /** edgecore.yaml that was read, as a path on this machine (null when there was none). */
  config: string | null;
  /** modules.metaManager.metaServer.enable in edgecore.yaml (null when not read or unset). */
  enabled: boolean | null;
}

/** "HOST:PORT" or "[V6]:PORT" → host and port; undefined when it is not one. */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  let host = m[1] ?? m[2]!;
  // A server listening on every address is reached on loopback.
  if (host === '0.0.0.0') host = '127.0.0.1';
  if (host === '::') host = '::1';
  return { host, port };
}

const show = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

function getIn(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function resolveAddress(opts: { metaserver?: string; root?: string }): MetaServerAddress {
  const root = resolve(opts.root ?? '/');
  if (opts.root !== undefined) {
    let dir: boolean;
    try {
      dir = statSync(root).isDirectory();
    } catch {
      throw new InputError(`--root ${opts.root}: no such directory`);
    }
    if (!dir) throw new InputError(`--root ${opts.root}: not a directory (give the root of a node's file tree)`);
  }
  const file = root === '/' ? EDGECORE.configPath : join(root, EDGECORE.configPath);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  let enabled: boolean | null = null;
  let configured: string | undefined;
  if (text !== undefined) {
    let doc: unknown;
    try {
      doc = parse(text, { logLevel: 'error' }) as unknown;
    } catch (e) {
      throw new InputError(
        `${file} does not parse as YAML: ${(e as Error).message.split('\n')[0]}; fix it or give --metaserver HOST:PORT`,
      );
    }
    const en = getIn(doc, EDGECORE.keys.metaServerEnable);
    enabled = typeof en === 'boolean' ? en : null;
    const srv = getIn(doc, EDGECORE.keys.metaServerServer);
    if (srv !== undefined && srv !== null && srv !== '') configured = String(srv);
  }
  if (opts.metaserver !== undefined) {
    const hp = parseHostPort(opts.metaserver);
    if (!hp) throw new UsageError(`--metaserver ${opts.metaserver}: expected HOST:PORT, like ${METASERVER.server}`);
    return { ...hp, address: show(hp.host, hp.port), from: 'flag', config: text === undefined ? null : file, enabled };
  }
  if (configured !== undefined) {
    const hp = parseHostPort(configured);
    if (!hp)
      throw new InputError(
        `${file}: modules.metaManager.metaServer.server ${JSON.stringify(configured)} is not HOST:PORT; fix it or give --metaserver`,
      );
    return { ...hp, address: show(hp.host, hp.port), from: 'edgecore.yaml', config: file, enabled };
  }
  const hp = parseHostPort(METASERVER.server)!;
  return { ...hp, address: METASERVER.server, from: 'default', config: text === undefined ? null : file, enabled };
}
