// Human forms of the kec encryption reports. Nothing here ever sees key material: the reports
// carry SPIs and algorithm names only.
import type { Palette } from '../../output/color.ts';
import { table } from '../../output/table.ts';
import type { EncryptionGroup, EncryptionNode, EncryptionReport } from './evaluate.ts';
import type { RotateReport } from './rotate.ts';

function nodeWord(n: EncryptionNode, c: Palette): string {
  const w = n.encryption;
  if (w === 'encrypting') return c.green(w);
  if (w === 'old-key' || w === 'offline-old-key' || w === 'offline' || w === 'not-applicable') return c.yellow(w);
  return c.red(w);
}

function groupRows(g: EncryptionGroup, c: Palette): string[][] {
  return g.nodes.map((n) => [
    g.name,
    n.name,
    n.state,
    nodeWord(n, c),
    n.spi !== undefined ? String(n.spi) : n.wireguardKey !== undefined ? (n.wireguardKey ? 'wg key' : '-') : '-',
    n.detail ?? '',
  ]);
}

export function renderEncryptionStatus(r: EncryptionReport, c: Palette): string {
  const lines = [
    `${c.bold('Encryption')}: ${r.mode}${r.mode === 'wireguard' ? `, node-to-node ${r.nodeEncryption ? 'on' : 'off'}` : ''}, strict mode ${r.strictMode.egress || r.strictMode.ingress ? `on (${[r.strictMode.egress ? 'egress' : '', r.strictMode.ingress ? 'ingress' : ''].filter(Boolean).join(', ')})` : 'off'}`,
  ];
  if (r.ipsec) {
    const k = r.ipsec.secret.key;
    lines.push(
      `IPsec key: Secret ${r.namespace}/${r.ipsec.secret.name} ${r.ipsec.secret.present ? (k ? `key ${k.spi}${k.perTunnel ? '+' : ''} ${k.algorithm}` : 'unreadable') : c.red('missing')}; key watcher ${r.ipsec.keyWatcher ? 'on' : 'off'}; previous key kept ${r.ipsec.rotationDuration}`,
    );
  }
  if (r.wireguard) lines.push(`WireGuard persistent keepalive: ${r.wireguard.persistentKeepalive}`);
  if (r.rotation && r.rotation.phase !== 'complete')
    lines.push(
      c.yellow(
        `Rotation ${r.rotation.fromSpi} → ${r.rotation.toSpi} in progress (${r.rotation.phase}, started ${r.rotation.startedAt}); kec encryption rotate-key finishes it`,
      ),
    );
  const rows = [r.cloud, ...r.groups].flatMap((g) => groupRows(g, c));
  if (rows.length) lines.push('', table(['GROUP', 'NODE', 'STATE', 'ENCRYPTION', 'KEY', 'DETAIL'], rows));
  if (r.waitingForReconnect.length)
    lines.push('', c.yellow(`Offline, to be updated when they reconnect: ${r.waitingForReconnect.join(', ')}`));
  for (const w of r.warnings) lines.push(c.yellow(`warning: ${w}`));
  for (const f of r.failures) lines.push(c.red(`✗ ${f}`));
  lines.push(r.ok ? c.green('Every node that should encrypt does.') : c.red(`${r.failures.length} problem(s).`));
  return lines.join('\n');
}

export function renderRotate(r: RotateReport, c: Palette): string {
  const head =
    r.run === 'refused'
      ? c.red('Rotation refused.')
      : `${c.bold(r.dryRun ? 'kec encryption rotate-key (dry run)' : 'kec encryption rotate-key')}: ${r.run} key ${r.fromSpi} → ${r.toSpi} (${r.algorithm}, key material not shown)`;
  const lines = [head];
  if (r.groups.length)
    lines.push(
      table(
        ['GROUP', 'MOVED', 'RESTARTED', 'PENDING', 'DETAIL'],
        r.groups.map((g) => [
          g.group,
          `${g.moved}/${g.nodes}`,
          g.restarted ? 'yes' : 'no',
          g.pending.join(', ') || '-',
          g.detail,
        ]),
      ),
    );
  for (const p of r.problems) lines.push(c.red(`✗ ${p}`));
  if (r.next) lines.push(c.yellow(r.next));
  if (r.ok && !r.dryRun) lines.push(c.green(`Every node is on key ${r.toSpi}; the rotation is complete.`));
  if (r.dryRun) lines.push(c.dim('Dry run: nothing changed.'));
  return lines.join('\n');
}
