// What globalSetup hands to integration test files (vitest provide/inject).
import type { RunningCluster } from './cluster.ts';

export type HarnessContext =
  { available: true; cluster: RunningCluster; reused: boolean } | { available: false; reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    kecHarness: HarnessContext;
  }
}
