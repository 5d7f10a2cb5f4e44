// Debian's chromium, headless, driven by playwright-core, for the tests that look at the HTML reports the
// way a reader does (layer 5). playwright-core never downloads a browser: the one installed by
// scripts/test.sh (apt-get install chromium) runs, or FLOWPROBE_CHROMIUM names another. The flags keep
// chromium from reaching out on its own (the machines have no internet: without them it makes many
// refused connections); every request of the page itself that is not file:, data: or about: is aborted
// and recorded, and so are Content-Security-Policy violations, so a test can assert a page fetched nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { available } from './tool-available.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.FLOWPROBE_CHROMIUM ?? '/usr/bin/chromium';
}

/**
 * Skips the calling suite, with the reason, when chromium is not installed; unless
 * FLOWPROBE_REQUIRE_CHROMIUM=1 (CI, scripts/test.sh as root), where that is a failure.
 */
export function requireChromium(suite: Mocha.Context): void {
  if (available(chromiumPath(), ['--version'])) return;
  const reason = `the browser tests: ${chromiumPath()} does not run (apt-get install chromium, or set FLOWPROBE_CHROMIUM)`;
  if (process.env.FLOWPROBE_REQUIRE_CHROMIUM === '1')
    throw new Error(`${reason} (FLOWPROBE_REQUIRE_CHROMIUM=1)`);
  console.log(`      skipped: ${reason}`);
  suite.skip();
}

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh browser with a profile of its own in a temporary directory, removed on close. */
export async function launchChromium(): Promise<HeadlessChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'flowprobe-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** Requests the page attempted beyond file:, data: and about: (all aborted), and CSP violations. */
  outside: string[];
}

/** Opens a local file in a new tab, with every request beyond the file itself blocked and recorded. */
export async function openFile(context: BrowserContext, file: string): Promise<OpenedPage> {
  const page = await context.newPage();
  const outside: string[] = [];
  await page.route('**', async (route) => {
    const url = route.request().url();
    if (/^(file|data|about):/.test(url)) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) outside.push(`CSP: ${m.text()}`);
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, outside };
}

/**
 * The text of the matrix cell at (source, destination, port) of the table named `table`, found as a
 * screen reader finds it: by the row header and the column headers the cell's `headers` attribute names.
 * Undefined when no cell has those headers.
 */
export async function matrixCell(
  page: Page,
  table: string | RegExp,
  at: { source: string; destination: string; port: string },
): Promise<string | undefined> {
  const cells = page.getByRole('table', { name: table }).getByRole('cell');
  const all = await cells.evaluateAll((tds) =>
    (tds as unknown as BrowserCell[]).map((td) => ({
      headers: (td.getAttribute('headers') ?? '')
        .split(/\s+/)
        .map((id: string) => td.ownerDocument.getElementById(id)?.textContent?.trim() ?? ''),
      text: td.innerText.trim(),
    })),
  );
  const hit = all.filter(
    (c) => c.headers[0] === at.source && c.headers[1] === at.destination && c.headers[2] === at.port,
  );
  if (hit.length > 1) throw new Error(`${hit.length} cells at ${JSON.stringify(at)}`);
  return hit[0]?.text;
}

/** What the cell lookup reads of a DOM element, in the page (this project's lib has no DOM types). */
interface BrowserCell {
  getAttribute(name: string): string | null;
  innerText: string;
  ownerDocument: { getElementById(id: string): { textContent: string | null } | null };
}

/** FLOWPROBE_TEST_ARTIFACTS (CI uploads it), else test-artifacts/ in the working directory. */
export function artifactsDir(): string {
  return process.env.FLOWPROBE_TEST_ARTIFACTS ?? 'test-artifacts';
}
