import { describe, expect, it } from 'vitest';
import { checkUpgradePath } from './path.ts';

describe('upgrade path', () => {
  it('allows patches and the next minor', () => {
    expect(() => checkUpgradePath('1.18.12', '1.18.12')).not.toThrow();
    expect(() => checkUpgradePath('1.18.10', '1.18.12')).not.toThrow();
    expect(() => checkUpgradePath('1.18.12', '1.19.6')).not.toThrow();
  });

  it('refuses downgrades and skipped minors, dry run or not (one function serves both)', () => {
    expect(() => checkUpgradePath('1.19.6', '1.18.12')).toThrow('kec upgrade does not downgrade');
    expect(() => checkUpgradePath('1.18.12', '1.20.0')).toThrow('upgrade to 1.19.x first');
  });
});
