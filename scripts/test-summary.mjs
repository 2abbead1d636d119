// Prints vitest's JSON report as one plain closing line, "<label>: N passed, N failed, N skipped",
// so that any CI log reader sees how many tests ran. Exit code: 1 when the report is missing
// or counts no test at all.
import { readFileSync } from 'node:fs';

// --allow-empty: integration tests may all be skipped (no Go on a developer machine; CI fails instead).
const args = process.argv.slice(2);
const allowEmpty = args.includes('--allow-empty');
const file = args.find((a) => !a.startsWith('--')) ?? '.cache/vitest-report.json';
const label = args.find((a) => a.startsWith('--label='))?.slice('--label='.length) ?? 'tests';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  console.error(`test-summary: cannot read ${file}: ${e.message}`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0 && !allowEmpty) process.exit(1);
