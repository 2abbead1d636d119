// The standalone binaries' tests (`make binary-test`, after `make binaries`): *.btest.ts files
// run dist/bin/kec-linux-amd64 natively and kec-linux-arm64 under qemu-aarch64-static.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/binary/**/*.btest.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
