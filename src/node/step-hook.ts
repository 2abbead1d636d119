// Test hook for the crash test: between every elementary file operation kec node calls
// step(). With KEC_TEST_CRASH_AT=N the process SIGKILLs itself at step N; with
// KEC_TEST_STEP_DELAY_MS=D it sleeps D ms at each step (a window for an external kill).
// Both are inert unless set.

let count = 0;
const crashAt = Number(process.env['KEC_TEST_CRASH_AT'] ?? 0);
const delayMs = Number(process.env['KEC_TEST_STEP_DELAY_MS'] ?? 0);
const sleeper = delayMs > 0 ? new Int32Array(new SharedArrayBuffer(4)) : undefined;

export function step(): void {
  count += 1;
  if (sleeper) Atomics.wait(sleeper, 0, 0, delayMs);
  if (crashAt > 0 && count === crashAt) process.kill(process.pid, 'SIGKILL');
}

/** Steps taken so far (tests use it to pick a crash point). */
export function stepsTaken(): number {
  return count;
}
