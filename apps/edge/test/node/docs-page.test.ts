import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import document from '../../public/openapi.json';
import { useNodeEdge } from './node-edge.js';

// The reference page in a real browser: Debian's chromium driven by playwright-core (Playwright's
// own browser download cannot reach its host here). One page load.
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** Debian's chromium, installed when missing (CI runs as root on a fresh machine). Throws when it cannot be had. */
function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const apt = (args: string[]) => execFileSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    apt(['install', '-y', 'chromium']);
  } catch {
    apt(['update']);
    apt(['install', '-y', 'chromium']);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium left no ${CHROMIUM}: the reference page cannot be tested without a browser`);
  return CHROMIUM;
}

const { edge } = useNodeEdge();
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('GET /docs in a browser', () => {
  it('lists every operation of the document, loads nothing from elsewhere and logs no console error', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const elsewhere: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('requestfailed', (request) => errors.push(`${request.url()} failed: ${request.failure()?.errorText}`));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.origin !== new URL(edge().url).origin) elsewhere.push(request.url());
    });

    const response = await page.goto(`${edge().url}/docs`);
    expect(response?.status()).toBe(200);

    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { operationId?: string; summary?: string }>)
        .filter(([method]) => method !== 'parameters')
        .map(([method, operation]) => ({ method, path, operationId: operation.operationId!, summary: operation.summary! })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(8);
    const blocks = page.locator('.opblock');
    await expect.poll(() => blocks.count(), { timeout: 30_000 }).toBe(operations.length);
    for (const operation of operations) {
      const block = page.locator(`.opblock-${operation.method}`, { has: page.locator(`[data-path="${operation.path}"]`) });
      await expect.poll(() => block.count(), { message: `${operation.method} ${operation.path}` }).toBe(1);
      expect(await block.innerText()).toContain(operation.summary);
      expect(await block.innerText()).toContain(operation.operationId);
    }
    expect(await page.locator('.info .title').innerText()).toContain(document.info.title);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}docs.png`, fullPage: true });
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
