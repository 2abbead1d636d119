// Which Cilium upgrades kec performs: forward, one minor at a time (Cilium's upgrade guide:
// "upgrade to the latest patch of the next minor; skipping minors is not supported").
import { UsageError } from '../../errors.ts';
import { compareVersions, parseVersion } from '../../util/version.ts';

/** Throws UsageError for a downgrade or a skipped minor; accepts same-minor patches and the next minor. */
export function checkUpgradePath(from: string, to: string): void {
  const fromV = parseVersion(from);
  const toV = parseVersion(to);
  if (!fromV || !toV) return;
  if (compareVersions(toV, fromV) < 0) {
    throw new UsageError(
      `--to ${to} is older than the running ${from}: kec upgrade does not downgrade (use helm rollback, or kec uninstall)`,
    );
  }
  if (toV.major === fromV.major && toV.minor > fromV.minor + 1) {
    throw new UsageError(
      `--to ${to}: Cilium upgrades go one minor version at a time; upgrade to ${fromV.major}.${fromV.minor + 1}.x first`,
    );
  }
}
