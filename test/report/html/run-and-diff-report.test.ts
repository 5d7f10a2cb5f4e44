// The run report (run --report) and the diff renderer, from hand-made inputs (fixtures.ts), opened in
// headless Chromium: headlines, matrix cells found by their headers, flow rows, user text shown as text
// (never markup), and nothing fetched.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { renderDiffHtml } from '../../../src/report/html/render-diff.js';
import { renderRunHtml } from '../../../src/report/html/render-run.js';
import {
  artifactsDir,
  launchChromium,
  matrixCell,
  openFile,
  requireChromium,
  type HeadlessChromium,
} from '../../support/headless-chromium.js';
import { DIFF, HOSTILE, RUN } from './fixtures.js';

describe('the run and diff reports in Chromium', function () {
  this.timeout(60_000);
  let browser: HeadlessChromium | undefined;
  const dir = resolve(artifactsDir());

  before(async function () {
    requireChromium(this);
    mkdirSync(dir, { recursive: true });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  async function open(name: string, text: string): Promise<{ page: Page; outside: string[] }> {
    const file = join(dir, name);
    writeFileSync(file, text);
    const opened = await openFile(browser!.context, file);
    // A script that ran would have opened a dialog; none may.
    opened.page.on('dialog', (d) => {
      opened.outside.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    return opened;
  }

  it('would notice a page that fetches: its requests are recorded (aborted, to loopback only)', async () => {
    const { outside } = await open(
      'fetching-page.html',
      '<!doctype html><link rel="stylesheet" href="http://127.0.0.1:9/x.css"><p>x</p>',
    );
    assert.deepEqual(outside, ['http://127.0.0.1:9/x.css']);
  });

  describe('run --report', () => {
    let page: Page;
    let outside: string[];
    before(async () => {
      ({ page, outside } = await open('run-report.html', renderRunHtml(RUN)));
    });

    it('leads with how many flows did not pass', async () => {
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /3 of 4 flows did not pass/);
      assert.match(
        await page.locator('.counts').innerText(),
        /4 flow\(s\): 1 passed, 1 failed, 1 flaky, 1 errors/,
      );
    });

    it('marks the drift in its cell: observed allowed where policies and expectation say denied', async () => {
      const cell = await matrixCell(page, /^Observed reachability/, {
        source: 'shop/probe{role=other}',
        destination: 'shop/{app=web}',
        port: '8080/TCP',
      });
      assert.match(cell ?? '', /✓ allowed \(observed: Connected\)/);
      assert.match(cell ?? '', /expected ✗ denied\npredicted ✗ denied/);
      assert.match(cell ?? '', /⚠ contradiction: expected Denied, observed Connected/);
    });

    it('shows a pass with its HTTP status and an error as unknown, marked', async () => {
      const pass = await matrixCell(page, /^Observed reachability/, {
        source: 'shop/probe{role=frontend}',
        destination: 'shop/{app=web}',
        port: '8080/TCP',
      });
      assert.match(pass ?? '', /^✓ allowed \(observed: Connected 503\)/);
      assert.doesNotMatch(pass ?? '', /⚠/);
      const error = await matrixCell(page, /^Observed reachability/, {
        source: 'shop/probe{role=frontend}',
        destination: 'svc shop/db',
        port: '5432/TCP',
      });
      assert.match(error ?? '', /\? unknown \(observed: Error\)[\s\S]*⚠ error: nothing was learned/);
    });

    it('has a row per flow with outcome, verdict and diagnosis', async () => {
      const table = page.getByRole('table', { name: /^Every probed flow/ });
      assert.deepEqual(await table.getByRole('rowheader').allInnerTexts(), [
        'frontend-to-web',
        'other-to-web',
        'frontend-to-db',
        'quoted',
      ]);
      const drift = await table.getByRole('row', { name: /other-to-web/ }).innerText();
      assert.match(drift, /Connected[\s\S]*✗ Fail[\s\S]*the CNI is not enforcing NetworkPolicy/);
    });

    it('shows hostile names, labels, details and diagnoses as text, and runs nothing', async () => {
      const table = page.getByRole('table', { name: /^Every probed flow/ });
      const row = await table.getByRole('row', { name: /quoted/ }).innerText();
      assert.ok(row.includes(HOSTILE), row);
      assert.ok(row.includes(`hostile/probe{app=${HOSTILE}}`), row);
      const cell = await matrixCell(page, /^Observed reachability/, {
        source: `hostile/probe{app=${HOSTILE}}`,
        destination: HOSTILE,
        port: '443/TCP',
      });
      assert.match(cell ?? '', /⚠ flaky: the attempts never agreed/);
      assert.equal(await page.locator('script, img').count(), 0);
      assert.deepEqual(outside, []);
    });
  });

  describe('renderDiffHtml', () => {
    let page: Page;
    let outside: string[];
    before(async () => {
      ({ page, outside } = await open('diff-report.html', renderDiffHtml(DIFF)));
    });

    it('leads with the declared flows the change breaks, and counts the rest', async () => {
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /2 declared flows would break/);
      assert.match(
        await page.locator('.counts').innerText(),
        /4 declared flows change prediction or expectation: 2 break, 1 fixed; 2 undeclared paths change: 1 opened, 1 closed/,
      );
    });

    it('lists the broken flows first, each with before, after and its effect in words', async () => {
      const table = page.getByRole('table', {
        name: /^Declared flows whose prediction or expectation changes/,
      });
      assert.deepEqual(await table.getByRole('rowheader').allInnerTexts(), [
        'frontend-to-api-service',
        'api-to-postgres',
        'prometheus-scrapes-api-by-name',
        'api-to-payments',
      ]);
      const broken = await table.getByRole('row', { name: /frontend-to-api-service/ }).innerText();
      assert.match(broken, /✓ allowed\s+✓ allowed\s+✗ denied\s+✗ breaks: expected Allowed/);
      const gone = await table.getByRole('row', { name: /api-to-payments/ }).innerText();
      assert.match(gone, /\? unknown\s+– absent\s+changes/);
    });

    it('marks the path nobody declared that the change opens, and the one it closes', async () => {
      const opened = await matrixCell(page, /^Undeclared paths/, {
        source: 'monitoring/deployment/grafana',
        destination: 'production/deployment/api-backend',
        port: '9090/TCP',
      });
      assert.match(
        opened ?? '',
        /✓ allowed \(after\)\nbefore ✗ denied\n⚠ opened: no declared flow covers it/,
      );
      const closed = await matrixCell(page, /^Undeclared paths/, {
        source: 'production/deployment/web-frontend',
        destination: 'production/statefulset/postgres',
        port: '5432/TCP',
      });
      assert.match(closed ?? '', /✗ denied \(after\)\nbefore ✓ allowed\n⚠ closed/);
    });

    it('shows a hostile reason as text and fetches nothing', async () => {
      const row = await page.getByRole('row', { name: /api-to-postgres/ }).innerText();
      assert.ok(row.includes(HOSTILE), row);
      assert.equal(await page.locator('script, img').count(), 0);
      assert.deepEqual(outside, []);
    });
  });

  describe('renderDiffHtml with a cut undeclared list', () => {
    let page: Page;
    before(async () => {
      // As `diff --max-undeclared 1` gives it: one path listed per kind, the totals counted by the diff; and a
      // path from Unknown to Allowed, which the diff calls uncertain (neither opened nor closed).
      const report = {
        ...DIFF,
        undeclared: [
          ...DIFF.undeclared,
          {
            from: 'monitoring/deployment/grafana',
            to: 'production/statefulset/postgres',
            port: 5432,
            protocol: 'TCP',
            before: 'Unknown' as const,
            after: 'Allowed' as const,
          },
        ],
      };
      const totals = { opened: 40, closed: 1, uncertain: 3 };
      ({ page } = await open('diff-report-cut.html', renderDiffHtml(report, totals)));
    });

    it('counts every undeclared change the diff found, as its other outputs do, and says how many are not listed', async () => {
      const counts = await page.locator('.counts').innerText();
      assert.match(counts, /44 undeclared paths change: 40 opened, 1 closed, 3 now or formerly Unknown/);
      assert.match(await page.locator('body').innerText(), /41 more not listed/);
    });

    it('does not mark a path from Unknown to Allowed as opened', async () => {
      const cell = await matrixCell(page, /^Undeclared paths/, {
        source: 'monitoring/deployment/grafana',
        destination: 'production/statefulset/postgres',
        port: '5432/TCP',
      });
      assert.ok(cell !== undefined && !cell.includes('opened'), cell);
    });
  });
});
