// `flowprobe explain -f examples/ -o html`, opened in headless Chromium as a reader opens it: the headline,
// the matrix cells of the examples' known contradictions (examples/README.md) and of flows that agree, every
// flow's row, and nothing fetched from anywhere. A full-page screenshot and the page itself go to the
// test artifacts (CI uploads them).
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { CoverageReport } from '../../../src/coverage/coverage-types.js';
import { coverageSummaryLine } from '../../../src/coverage/render-coverage.js';
import {
  artifactsDir,
  launchChromium,
  matrixCell,
  openFile,
  requireChromium,
  type HeadlessChromium,
} from '../../support/headless-chromium.js';
import { runCli } from '../../support/run-cli.js';

const MATRIX = /^Predicted reachability/;

describe('the explain report (explain -o html) in Chromium', function () {
  this.timeout(60_000);
  let browser: HeadlessChromium | undefined;
  let page: Page;
  let outside: string[];
  let flows: string[];

  before(async function () {
    requireChromium(this);
    const [htmlOut, jsonOut] = await Promise.all([
      runCli(['explain', '-f', 'examples/', '-o', 'html']),
      runCli(['explain', '-f', 'examples/', '-o', 'json']),
    ]);
    // The examples contradict their policies on purpose: exit 1, and the page is still written.
    assert.equal(htmlOut.code, 1, htmlOut.stderr);
    flows = (JSON.parse(jsonOut.stdout) as { results: { flow: string }[] }).results.map((r) => r.flow);
    const dir = resolve(artifactsDir());
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'explain-report.html');
    writeFileSync(file, htmlOut.stdout);
    browser = await launchChromium();
    ({ page, outside } = await openFile(browser.context, file));
    await page.screenshot({ path: join(dir, 'explain-report.png'), fullPage: true });
  });

  after(async () => {
    await browser?.close();
  });

  it('leads with the headline: 4 of 22 flows contradict their policies', async () => {
    const h1 = await page.getByRole('heading', { level: 1 }).innerText();
    assert.match(h1, /4 of 22 flows contradict their policies/);
  });

  it('marks the OR-ed selectors mistake in words: grafana → api metrics predicted allowed, expected denied', async () => {
    const cell = await matrixCell(page, MATRIX, {
      source: 'monitoring/probe{app=grafana}',
      destination: 'production/{app=api-backend}',
      port: '9090/TCP',
    });
    assert.ok(cell, 'the cell exists');
    assert.match(cell, /✓ allowed \(predicted\)/);
    assert.match(cell, /expected ✗ denied/);
    assert.match(cell, /⚠ contradiction: expected Denied/);
    assert.match(cell, /grafana-cannot-scrape-api/);
  });

  it('marks the forgotten DNS egress: prometheus → the api Service by name is predicted denied', async () => {
    const cell = await matrixCell(page, MATRIX, {
      source: 'monitoring/deployment/prometheus',
      destination: 'svc production/api-backend',
      port: '9090/TCP',
    });
    assert.match(cell ?? '', /✗ denied \(predicted\)[\s\S]*expected ✓ allowed[\s\S]*⚠ contradiction/);
  });

  it("marks the platform's too-wide Admin deny: NodeLocal DNSCache on 53/UDP is predicted denied", async () => {
    const cell = await matrixCell(page, MATRIX, {
      source: 'shop/deployment/storefront',
      destination: '169.254.20.10',
      port: '53/UDP',
    });
    assert.match(cell ?? '', /✗ denied \(predicted\)[\s\S]*⚠ contradiction: expected Allowed/);
  });

  it('shows agreeing and unknown flows without a mark, and an undeclared pair as not declared', async () => {
    const agree = await matrixCell(page, MATRIX, {
      source: 'production/deployment/web-frontend',
      destination: 'production/{app=api-backend}',
      port: '8080/TCP',
    });
    assert.match(
      agree ?? '',
      /^✓ allowed \(predicted\)\nexpected ✓ allowed\nproduction\/api-baseline frontend-to-api$/,
    );
    assert.doesNotMatch(agree ?? '', /⚠/);
    const unknown = await matrixCell(page, MATRIX, {
      source: 'production/deployment/api-backend',
      destination: 'api.payments.example.com',
      port: '443/TCP',
    });
    assert.match(unknown ?? '', /\? unknown \(predicted\)/);
    assert.doesNotMatch(unknown ?? '', /⚠/);
    const none = await matrixCell(page, MATRIX, {
      source: 'monitoring/probe{app=grafana}',
      destination: 'svc production/postgres',
      port: '5432/TCP',
    });
    assert.equal(none, 'not declared');
  });

  it('marks exactly the four contradictions in the matrix', async () => {
    const marked = await page
      .getByRole('table', { name: MATRIX })
      .getByRole('cell')
      .filter({ hasText: '⚠' })
      .allInnerTexts();
    const names = marked.map((t) => /\S+\/\S+ (\S+)$/m.exec(t)?.[1]).sort();
    assert.deepEqual(names, [
      'grafana-cannot-scrape-api',
      'prometheus-resolves-names',
      'prometheus-scrapes-api-by-name',
      'storefront-resolves-via-node-local-dns',
    ]);
  });

  it('has a row for every flow explain knows, each with its verdict in words', async () => {
    const table = page.getByRole('table', { name: /^Every declared flow/ });
    const rowHeaders = await table.getByRole('rowheader').allInnerTexts();
    assert.deepEqual(rowHeaders, flows);
    const grafana = await table.getByRole('row', { name: /grafana-cannot-scrape-api/ }).innerText();
    assert.match(grafana, /✗ contradicts/);
    assert.match(grafana, /selectors ORed, not ANDed/);
  });

  it('is self-contained: no script, and no request beyond the file itself', async () => {
    assert.deepEqual(outside, []);
    assert.equal(await page.locator('script').count(), 0);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /default-src 'none'/);
  });
});

describe('the explain report with --coverage (explain --coverage -o html) in Chromium', function () {
  this.timeout(60_000);
  let browser: HeadlessChromium | undefined;
  let page: Page;
  let coverage: CoverageReport;

  before(async function () {
    requireChromium(this);
    const [htmlOut, jsonOut] = await Promise.all([
      runCli(['explain', '-f', 'examples/', '--coverage', '-o', 'html']),
      runCli(['explain', '-f', 'examples/', '--coverage', '-o', 'json']),
    ]);
    assert.equal(htmlOut.code, 1, htmlOut.stderr);
    coverage = (JSON.parse(jsonOut.stdout) as { coverage: CoverageReport }).coverage;
    const dir = resolve(artifactsDir());
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'explain-coverage-report.html');
    writeFileSync(file, htmlOut.stdout);
    browser = await launchChromium();
    ({ page } = await openFile(browser.context, file));
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the coverage summary line that explain --coverage prints', async () => {
    assert.match(await page.locator('body').innerText(), /policy rules exercised: \d+\/\d+/);
    assert.ok((await page.locator('body').innerText()).includes(coverageSummaryLine(coverage.summary)));
  });

  it('lists in tables the rules, isolations and open workloads that no declared flow covers', async () => {
    const rules = await page
      .getByRole('table', { name: /^Rules and peers no declared flow exercises/ })
      .locator('tbody tr')
      .allInnerTexts();
    // examples/: prometheus as a second peer of allow-monitoring-scrape, and the Baseline tier's deny.
    assert.equal(rules.length, 2, rules.join('\n'));
    assert.match(
      rules[0] ?? '',
      /production\/allow-monitoring-scrape\s+ingress rule 0.*peer 1 podSelector \{app=prometheus\}/,
    );
    assert.match(rules[1] ?? '', /isolate-billing/);
    const isolations = page.getByRole('table', { name: /^Isolations no declared flow is denied by/ });
    assert.equal(
      await isolations.locator('tbody tr').count(),
      coverage.isolations.filter((i) => !i.exercised).length,
    );
    const open = page.getByRole('table', { name: /^Workloads without isolation/ });
    assert.deepEqual(
      await open.getByRole('rowheader').allInnerTexts(),
      coverage.workloads.filter((w) => w.exposure.length > 0).map((w) => `${w.namespace}/${w.name}`),
    );
  });
});
