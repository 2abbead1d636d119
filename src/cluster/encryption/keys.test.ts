import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chartDir } from '../../../test/paths.ts';
import { CILIUM_CHART_VERSIONS } from '../../knowledge/cilium.ts';
import { configKeysFor, IPSEC } from '../../knowledge/encryption.ts';
import { redactObject, redactText } from '../redact.ts';
import { encryptionConfigOf } from './config.ts';
import { generateKey, nextSpi, parseKey, rotatedKey, spiDistance } from './keys.ts';

/** One file of a .tgz (ustar: 512-byte headers, name at 0, octal size at 124). */
function fromTgz(tgz: string, name: string): string {
  const tar = gunzipSync(readFileSync(tgz));
  for (let off = 0; off + 512 <= tar.length;) {
    const n = tar
      .subarray(off, off + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    const size = parseInt(
      tar
        .subarray(off + 124, off + 136)
        .toString('utf8')
        .replace(/\0.*$/s, '')
        .trim() || '0',
      8,
    );
    if (n === name) return tar.subarray(off + 512, off + 512 + size).toString('utf8');
    off += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} not in ${tgz}`);
}

const fixed = (byte: number) => (n: number) => Buffer.alloc(n, byte);

describe('SPI arithmetic', () => {
  it('increments 1..14 and wraps 15 to 1 (never 0)', () => {
    expect(nextSpi(1)).toBe(2);
    expect(nextSpi(14)).toBe(15);
    expect(nextSpi(15)).toBe(1);
    expect(nextSpi(0)).toBe(1);
    expect(() => nextSpi(16)).toThrow(RangeError);
    expect(() => nextSpi(-1)).toThrow(RangeError);
  });
  it('measures rotations across the wrap', () => {
    expect(spiDistance(3, 4)).toBe(1);
    expect(spiDistance(15, 1)).toBe(1);
    expect(spiDistance(14, 1)).toBe(2);
    expect(spiDistance(5, 5)).toBe(0);
  });
});

describe('key format', () => {
  it('writes the documented per-tunnel form "<spi>+ rfc4106(gcm(aes)) <40 hex> 128"', () => {
    const k = generateKey(3, 'rfc4106-gcm-aes-128', fixed(0xab));
    expect(k.secretValue()).toBe(`3+ rfc4106(gcm(aes)) ${'ab'.repeat(20)} 128`);
    expect(generateKey(1, 'rfc4106-gcm-aes-256', fixed(1)).secretValue()).toMatch(
      /^1\+ rfc4106\(gcm\(aes\)\) [0-9a-f]{72} 128$/,
    );
    expect(generateKey(2, 'cbc-aes-sha256', fixed(2)).secretValue()).toMatch(
      /^2\+ hmac\(sha256\) [0-9a-f]{64} cbc\(aes\) [0-9a-f]{32}$/,
    );
  });
  it('draws key material from the CSPRNG: two keys differ', () => {
    expect(generateKey(1, 'rfc4106-gcm-aes-128').secretValue()).not.toBe(
      generateKey(1, 'rfc4106-gcm-aes-128').secretValue(),
    );
  });
  it('parses the per-tunnel, the global (deprecated in 1.16) and the SPI-less forms', () => {
    expect(parseKey(`3+ rfc4106(gcm(aes)) ${'0'.repeat(40)} 128`, 'x').summary()).toEqual({
      spi: 3,
      perTunnel: true,
      algorithm: 'rfc4106-gcm-aes-128',
    });
    expect(parseKey(`7 rfc4106(gcm(aes)) ${'0'.repeat(40)} 128`, 'x').summary()).toMatchObject({
      spi: 7,
      perTunnel: false,
    });
    expect(parseKey(`1 hmac(sha256) ${'a'.repeat(64)} cbc(aes) ${'b'.repeat(32)}`, 'x').algorithm).toBe(
      'cbc-aes-sha256',
    );
    expect(parseKey(`rfc4106(gcm(aes)) ${'0'.repeat(40)} 128`, 'x').spi).toBe(0);
  });
  it('rejects a malformed line without echoing it', () => {
    const secretish = 'deadbeefdeadbeefdeadbeef';
    expect(() =>
      parseKey(`3+ rfc4106(gcm(aes)) ${secretish}`, 'Secret kube-system/cilium-ipsec-keys key keys'),
    ).toThrow(/Secret kube-system\/cilium-ipsec-keys key keys: not a Cilium IPsec key/);
    try {
      parseKey(`3+ rfc4106(gcm(aes)) ${secretish}`, 'here');
    } catch (e) {
      expect((e as Error).message).not.toContain(secretish);
    }
    expect(() => parseKey(`16+ rfc4106(gcm(aes)) ${'0'.repeat(40)} 128`, 'x')).toThrow(/over Cilium's maximum 15/);
  });
  it('rotates to the next SPI with the same algorithm, switching a global key to per-tunnel', () => {
    const k = rotatedKey({ spi: 15, perTunnel: false, algorithm: 'rfc4106-gcm-aes-128' }, fixed(1));
    expect(k.summary()).toEqual({ spi: 1, perTunnel: true, algorithm: 'rfc4106-gcm-aes-128' });
    expect(() => rotatedKey({ spi: 2, perTunnel: true, algorithm: 'rfc4309(ccm(aes))' })).toThrow(/cannot generate/);
  });
});

describe('the key never appears in printed forms', () => {
  const k = generateKey(4, 'rfc4106-gcm-aes-128');
  const hex = k.secretValue().split(' ')[2]!;
  it('JSON, YAML-like inspection, template strings', () => {
    expect(JSON.stringify({ k })).not.toContain(hex);
    expect(inspect(k, { depth: 5 })).not.toContain(hex);
    expect(`${k}`).not.toContain(hex);
    expect(JSON.stringify(k)).toBe('{"spi":4,"perTunnel":true,"algorithm":"rfc4106-gcm-aes-128"}');
  });
  it('redact.ts removes key material from text and objects (logs, ConfigMaps, sysdump)', () => {
    const line = k.secretValue();
    expect(redactText(`level=info msg="loaded" keys="${line}"`)).not.toContain(hex);
    expect(redactText(line)).toBe('4+ rfc4106(gcm(aes)) <redacted> 128');
    const cbc = generateKey(2, 'cbc-aes-sha256').secretValue();
    expect(redactText(cbc)).toBe('2+ hmac(sha256) <redacted> cbc(aes) <redacted>');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { notes: `copy: ${line}` } };
    expect(JSON.stringify(redactObject(cm))).not.toContain(hex);
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: IPSEC.secretName },
      data: { keys: Buffer.from(line).toString('base64') },
    };
    expect(JSON.stringify(redactObject(secret))).not.toContain(Buffer.from(line).toString('base64'));
  });
});

describe('cilium-config keys per Cilium version (the real charts)', () => {
  it.each(CILIUM_CHART_VERSIONS)('%s: every key kec reads is one the chart writes', (v) => {
    const tpl = fromTgz(join(chartDir(v), `cilium-${v}.tgz`), 'cilium/templates/cilium-configmap.yaml');
    const k = configKeysFor(v.split('.').slice(0, 2).join('.'));
    for (const key of [
      k.ipsec,
      k.wireguard,
      k.nodeEncryption,
      k.ipsecKeyFile,
      k.ipsecKeyWatcher,
      k.ipsecRotationDuration,
      k.wireguardKeepalive,
    ])
      expect(tpl, key).toContain(`  ${key}:`);
    expect(tpl).toContain(`  ${k.strictEgress[0]}:`);
    if (k.strictIngress) expect(tpl).toContain(`  ${k.strictIngress}:`);
    if (k.ztunnel) expect(tpl).toContain(`  ${k.ztunnel}:`);
    // The Secret name and key file kec writes are the chart defaults.
    const values = fromTgz(join(chartDir(v), `cilium-${v}.tgz`), 'cilium/values.yaml');
    expect(values).toContain(`secretName: ${IPSEC.secretName}`);
    expect(values).toContain(`keyFile: ${IPSEC.keyFile}`);
  });
  it('reads the mode, node encryption, strict mode (renamed in 1.19) and the IPsec settings', () => {
    expect(
      encryptionConfigOf(
        { 'enable-ipsec': 'true', 'ipsec-key-file': '/etc/ipsec/keys', 'enable-ipsec-key-watcher': 'false' },
        '1.18',
      ),
    ).toMatchObject({
      mode: 'ipsec',
      ipsec: { keyFile: 'keys', keyWatcher: false, rotationDuration: '5m', secretName: 'cilium-ipsec-keys' },
    });
    const wg = encryptionConfigOf(
      { 'enable-wireguard': 'true', 'encrypt-node': 'true', 'enable-encryption-strict-mode-egress': 'true' },
      '1.19',
    );
    expect(wg).toMatchObject({ mode: 'wireguard', nodeEncryption: true, strictMode: { egress: true, ingress: false } });
    expect(encryptionConfigOf({ 'enable-encryption-strict-mode': 'true' }, '1.16').strictMode.egress).toBe(true);
    expect(encryptionConfigOf({}).mode).toBe('none');
  });
});
