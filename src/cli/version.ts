// kec's version, set by the build (scripts/build.mjs defines KEC_VERSION).
declare const KEC_VERSION: string | undefined;
export const VERSION = typeof KEC_VERSION === 'string' ? KEC_VERSION : '0.0.0-dev';
