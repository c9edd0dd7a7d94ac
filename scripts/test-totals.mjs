// The closing lines of `npm test` (scripts/bootstrap.mjs): every package's vitest JSON report
// (test-results.json, vitest.shared.ts) added up. The last line is the one CI reads,
// "N passed, N failed"; before it, each contract suite's cases counted per implementation, so a
// suite that stopped running against one of them shows in the summary, not only in its package.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Contract suites name themselves "<Interface> contract: <implementation>" (describeTransportContract,
// describeTokenStoreContract, the edge's and the shim's store contracts, ...).
const CONTRACT_SUITE = /^(\S+) contract: (.+)$/;

/** Adds one vitest JSON report's contract cases into `counts` (suite name -> passed/failed). */
export function countContractCases(report, counts) {
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      const suite = (test.ancestorTitles ?? []).map((title) => CONTRACT_SUITE.exec(title)).find(Boolean);
      if (!suite) continue;
      const name = `${suite[1]} contract: ${suite[2]}`;
      const count = counts.get(name) ?? { passed: 0, failed: 0 };
      if (test.status === 'passed') count.passed += 1;
      else if (test.status === 'failed') count.failed += 1;
      counts.set(name, count);
    }
  }
  return counts;
}

/** Reads every packages/*, apps/* and tooling/* report under `root`, prints the summary, returns the totals. */
export function summarizeTestResults(root, print = console.log) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const contracts = new Map();
  for (const group of ['packages', 'apps', 'tooling']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name, 'test-results.json');
      if (!existsSync(path)) continue;
      const report = JSON.parse(readFileSync(path, 'utf8'));
      passed += report.numPassedTests ?? 0;
      failed += report.numFailedTests ?? 0;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      countContractCases(report, contracts);
    }
  }
  if (contracts.size > 0) {
    print(`contract suites, cases per implementation (${contracts.size} implementations):`);
    for (const [suite, count] of [...contracts].sort(([a], [b]) => a.localeCompare(b))) {
      print(`  ${suite}: ${count.passed} passed${count.failed ? `, ${count.failed} failed` : ''}`);
    }
  }
  print(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return { passed, failed, skipped, contracts };
}
