// IPsec keys in the format of Cilium's key file (Secret cilium-ipsec-keys, data key "keys"):
//   "<spi>+ rfc4106(gcm(aes)) <hex key> 128"            (AEAD; "+": per-tunnel keys, documented since 1.16)
//   "<spi>+ hmac(sha256) <hex key> cbc(aes) <hex key>"  (authentication + encryption)
//   "<spi> …"                                           (the global-key form, deprecated in 1.16)
// The key material lives only inside IpsecKey; everything that prints one shows <redacted>.
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { InputError, UsageError } from '../../errors.ts';
import type { IpsecAlgorithm } from '../../knowledge/encryption.ts';
import { IPSEC, IPSEC_ALGORITHMS } from '../../knowledge/encryption.ts';

/** The SPI after `spi`: 1..15, 15 wraps to 1 (0 means "no key" and is never used). */
export function nextSpi(spi: number): number {
  if (!Number.isInteger(spi) || spi < 0 || spi > IPSEC.maxSpi) throw new RangeError(`SPI ${spi} is not in 0..15`);
  return spi >= IPSEC.maxSpi ? IPSEC.minSpi : spi + 1;
}

/** How many rotations lead from SPI `from` to SPI `to` (1..15 with 15 → 1; 0 when equal). */
export function spiDistance(from: number, to: number): number {
  const span = IPSEC.maxSpi - IPSEC.minSpi + 1;
  return (((to - from) % span) + span) % span;
}

/** What kec may show about a key: everything but the material. */
export interface KeySummary {
  spi: number;
  /** "+" after the SPI: per-tunnel keys derived from this one. */
  perTunnel: boolean;
  /** kec's name of the algorithm when it knows it, else Cilium's spelling. */
  algorithm: string;
}

const REDACTED = '<redacted>';

export class IpsecKey implements KeySummary {
  readonly #line: string;
  constructor(
    readonly spi: number,
    readonly perTunnel: boolean,
    readonly algorithm: string,
    line: string,
  ) {
    this.#line = line;
  }
  /** The Secret's "keys" value; only the Secret writer calls this. */
  secretValue(): string {
    return this.#line;
  }
  summary(): KeySummary {
    return { spi: this.spi, perTunnel: this.perTunnel, algorithm: this.algorithm };
  }
  toJSON(): KeySummary {
    return this.summary();
  }
  toString(): string {
    return `IPsec key spi=${this.spi}${this.perTunnel ? '+' : ''} ${this.algorithm} ${REDACTED}`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

export function isIpsecAlgorithm(a: string): a is IpsecAlgorithm {
  return Object.hasOwn(IPSEC_ALGORITHMS, a);
}

/** A new key from the CSPRNG. */
export function generateKey(
  spi: number,
  algorithm: IpsecAlgorithm,
  random: (n: number) => Buffer = randomBytes,
): IpsecKey {
  if (!Number.isInteger(spi) || spi < IPSEC.minSpi || spi > IPSEC.maxSpi)
    throw new UsageError(`--spi ${spi}: Cilium's key index is ${IPSEC.minSpi}..${IPSEC.maxSpi}`);
  const a = IPSEC_ALGORITHMS[algorithm];
  const body =
    a.kind === 'aead'
      ? `${a.name} ${random(a.keyBytes).toString('hex')} ${a.icvBits}`
      : `${a.auth} ${random(a.authBytes).toString('hex')} ${a.enc} ${random(a.encBytes).toString('hex')}`;
  return new IpsecKey(spi, true, algorithm, `${spi}+ ${body}`);
}

const HEX = /^(0x)?[0-9a-fA-F]+$/;

/** kec's algorithm name for a parsed key line (by algorithm names and key length). */
function algorithmOf(fields: string[]): string {
  for (const [name, a] of Object.entries(IPSEC_ALGORITHMS)) {
    if (a.kind === 'aead' && fields.length === 3 && fields[0] === a.name) {
      if (fields[1]!.replace(/^0x/, '').length === a.keyBytes * 2 && fields[2] === String(a.icvBits)) return name;
    }
    if (a.kind === 'auth-enc' && fields.length === 4 && fields[0] === a.auth && fields[2] === a.enc) return name;
  }
  return fields.length === 3 ? fields[0]! : `${fields[0] ?? '?'}/${fields[2] ?? '?'}`;
}

/**
 * Parses the Secret's key line. Errors name the Secret, never its content.
 * `where` says where the line came from (e.g. "Secret kube-system/cilium-ipsec-keys key keys").
 */
export function parseKey(line: string, where: string): IpsecKey {
  const fields = line.trim().split(/\s+/);
  const m = /^(\d+)(\+?)$/.exec(fields[0] ?? '');
  // No leading SPI: Cilium defaults the key index to 0 ("The Cilium agent will default to KEYID of zero").
  const spi = m ? Number(m[1]) : 0;
  const perTunnel = m ? m[2] === '+' : false;
  const rest = m ? fields.slice(1) : fields;
  const aead = rest.length === 3 && HEX.test(rest[1]!) && /^\d+$/.test(rest[2]!);
  const authEnc = rest.length === 4 && HEX.test(rest[1]!) && HEX.test(rest[3]!);
  if (!aead && !authEnc)
    throw new InputError(
      `${where}: not a Cilium IPsec key ("<spi>+ <aead-algorithm> <hex key> <icv bits>" or "<spi>+ <auth-algorithm> <hex key> <enc-algorithm> <hex key>"); content not shown`,
    );
  if (spi > IPSEC.maxSpi) throw new InputError(`${where}: key index ${spi} is over Cilium's maximum ${IPSEC.maxSpi}`);
  return new IpsecKey(spi, perTunnel, algorithmOf(rest), line.trim());
}

/** A new key for the next SPI with the algorithm of `current` (Cilium ignores a switch of key length). */
export function rotatedKey(current: KeySummary, random?: (n: number) => Buffer): IpsecKey {
  if (!isIpsecAlgorithm(current.algorithm))
    throw new InputError(
      `the current IPsec key uses ${current.algorithm}, which kec cannot generate; rotate it by hand (Cilium docs "Key Rotation") or pass --algorithm`,
    );
  return generateKey(nextSpi(current.spi), current.algorithm, random);
}
