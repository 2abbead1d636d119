// Version strings as Cilium, KubeEdge, Kubernetes and Linux print them.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** The text as given, trimmed. */
  raw: string;
}

const SEMVER = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/;

/** Parses "1.18.12", "v1.21.0", "1.31" (patch 0). Returns undefined otherwise. */
export function parseVersion(input: string): Version | undefined {
  const raw = input.trim();
  const m = SEMVER.exec(raw);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), raw };
}

/** Parses a kernel release such as "5.15.0-1034-raspi" or "4.18.0-147.5.1.el8_1.x86_64". */
export function parseKernelRelease(input: string): Version | undefined {
  const raw = input.trim();
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), raw };
}

export function compareVersions(
  a: Pick<Version, 'major' | 'minor' | 'patch'>,
  b: Pick<Version, 'major' | 'minor' | 'patch'>,
): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** "1.18" for 1.18.12. */
export function minorOf(v: Pick<Version, 'major' | 'minor'>): string {
  return `${v.major}.${v.minor}`;
}

export function atLeast(v: Pick<Version, 'major' | 'minor' | 'patch'>, min: string): boolean {
  const m = parseVersion(min);
  if (!m) throw new Error(`bad version literal ${min}`);
  return compareVersions(v, m) >= 0;
}
