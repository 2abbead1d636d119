import { describe, expect, it } from 'vitest';
import { cachedAsync } from './cached.ts';

describe('cachedAsync', () => {
  it('loads once per max age and shares a load in flight', async () => {
    let t = 0;
    let loads = 0;
    const get = cachedAsync(
      async () => ++loads,
      1000,
      () => t,
    );
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    expect(await get()).toBe(1);
    t = 999;
    expect(await get()).toBe(1);
    t = 1000;
    expect(await get()).toBe(2);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const get = cachedAsync(async () => {
      if (fail) throw new Error('no cluster');
      return 'ok';
    }, 60_000);
    await expect(get()).rejects.toThrow('no cluster');
    fail = false;
    expect(await get()).toBe('ok');
  });
});
