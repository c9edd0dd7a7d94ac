// The closing lines `npm test` prints (scripts/test-totals.mjs, called by scripts/bootstrap.mjs):
// the totals CI reads on the last line, and before it every contract suite counted per
// implementation (issue 12: "the contract suites, counted per implementation in the closing summary").
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}
type Summarize = (root: string, print: (line: string) => void) => Totals;

const script = pathToFileURL(resolve(import.meta.dirname, '../../../scripts/test-totals.mjs')).href;
const { summarizeTestResults } = (await import(script)) as { summarizeTestResults: Summarize };

const test = (ancestorTitles: string[], title: string, status: 'passed' | 'failed' | 'skipped') => ({ ancestorTitles, title, status, fullName: [...ancestorTitles, title].join(' ') });

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function workspaceWith(reports: Record<string, object>): string {
  root = mkdtempSync(join(tmpdir(), 'closing-summary-'));
  for (const [folder, report] of Object.entries(reports)) {
    mkdirSync(join(root, folder), { recursive: true });
    writeFileSync(join(root, folder, 'test-results.json'), JSON.stringify(report));
  }
  return root;
}

describe("npm test's closing summary", () => {
  it('counts each contract suite per implementation, across packages, and ends with the totals line', () => {
    const dir = workspaceWith({
      'packages/transport': {
        numPassedTests: 4,
        numFailedTests: 1,
        numPendingTests: 0,
        testResults: [
          {
            assertionResults: [
              test(['transport contract: fetch'], 'sends a POST', 'passed'),
              test(['transport contract: fetch'], 'sends a GET with a body', 'failed'),
              test(['transport contract: socket (inside workerd)'], 'sends a POST', 'passed'),
              test(['TokenStore contract: createMemoryTokenStore', 'nested'], 'is empty at first', 'passed'),
              test(['the client'], 'is not a contract case', 'passed'),
            ],
          },
        ],
      },
      'apps/edge': {
        numPassedTests: 1,
        numFailedTests: 0,
        numPendingTests: 1,
        testResults: [
          {
            assertionResults: [test(['RateLimiter contract: TeamRateLimiter Durable Object (workerd)'], 'admits up to the limit', 'passed'), test(['RateLimiter contract: memory'], 'skipped here', 'skipped')],
          },
        ],
      },
    });
    const lines: string[] = [];
    const totals = summarizeTestResults(dir, (line) => lines.push(line));
    expect(totals).toEqual(expect.objectContaining({ passed: 5, failed: 1, skipped: 1 }));
    expect(lines).toEqual([
      'contract suites, cases per implementation (5 implementations):',
      '  RateLimiter contract: memory: 0 passed',
      '  RateLimiter contract: TeamRateLimiter Durable Object (workerd): 1 passed',
      '  TokenStore contract: createMemoryTokenStore: 1 passed',
      '  transport contract: fetch: 1 passed, 1 failed',
      '  transport contract: socket (inside workerd): 1 passed',
      '5 passed, 1 failed, 1 skipped',
    ]);
  });

  it('prints only the totals line when no contract suite ran', () => {
    const dir = workspaceWith({ 'tooling/x': { numPassedTests: 2, numFailedTests: 0, testResults: [{ assertionResults: [test(['plain'], 'a', 'passed')] }] } });
    const lines: string[] = [];
    summarizeTestResults(dir, (line) => lines.push(line));
    expect(lines).toEqual(['2 passed, 0 failed']);
  });
});
