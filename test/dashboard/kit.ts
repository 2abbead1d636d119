// Browser tests of kec dashboard: the real `kec dashboard` (dist/kec.mjs) in a child process,
// Debian's chromium driven by playwright-core (no browser download), axe-core in the page.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { KEC_BIN, ROOT } from '../paths.ts';

export const CHROMIUM = process.env['KEC_CHROMIUM'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, '.cache', 'dashboard-screenshots');
/** Generous: the CI machine is a busy 2-core box. */
export const WAIT = { timeout: 30_000 };

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface RunningDashboard {
  /** The URL kec printed, with its token. */
  url: string;
  base: string;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startDashboard(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningDashboard> {
  const child = spawn(process.execPath, [KEC_BIN, 'dashboard', ...args], {
    cwd: ROOT,
    env: { ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kec dashboard printed no URL in 60s: ${err}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kec dashboard exited ${code}: ${err}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    base: `${u.origin}/`,
    token: u.searchParams.get('token')!,
    child,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Page code runs in the browser (the test's tsconfig has no DOM types): globalThis is the window.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const w = globalThis as unknown as {
      axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> };
      document: unknown;
    };
    return (await w.axe.run(w.document, { resultTypes: ['violations'] })).violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
