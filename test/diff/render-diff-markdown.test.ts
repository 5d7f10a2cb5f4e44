// The pull-request comment: a headline first, breaking flows in the open, the rest collapsed, bounded, and
// user text that cannot break out of its table cell or inject HTML.
import { strict as assert } from 'node:assert';
import type { DeclaredChange, DiffResult, UndeclaredChange } from '../../src/diff/index.js';
import { renderDiffMarkdown } from '../../src/diff/index.js';
import { MAX_ROWS } from '../../src/diff/render-diff-markdown.js';
import { escapeMarkdown } from '../../src/diff/markdown-text.js';

const change = (over: Partial<DeclaredChange>): DeclaredChange => ({
  namespace: 'shop',
  test: 't',
  flow: 'f',
  expected: 'Allowed',
  before: 'Allowed',
  after: 'Denied',
  breaks: true,
  fixes: false,
  reasons: [],
  ...over,
});

const path = (over: Partial<UndeclaredChange>): UndeclaredChange => ({
  from: 'shop/deployment/a',
  to: 'shop/deployment/b',
  port: 80,
  protocol: 'TCP',
  before: 'Denied',
  after: 'Allowed',
  ...over,
});

function result(declared: DeclaredChange[], undeclared: UndeclaredChange[], opened = 0): DiffResult {
  return {
    report: { declared, undeclared },
    undeclaredTotals: { opened: Math.max(opened, undeclared.length), closed: 0, uncertain: 0 },
    maxUndeclared: 50,
  };
}

/** The cells of a Markdown table row, split on the pipes that are not escaped. */
const cells = (row: string) => row.slice(2, -2).split(/(?<!\\)\|/);

describe('diff as a pull-request comment (markdown)', () => {
  it('starts with the one-line headline, then the breaking flows, the rest collapsed', () => {
    const md = renderDiffMarkdown(
      result(
        [
          change({ flow: 'ok-now', breaks: false, fixes: true, before: 'Denied', after: 'Allowed' }),
          change({ flow: 'broken' }),
        ],
        [path({})],
      ),
    );
    const lines = md.split('\n');
    assert.equal(lines[2], '**1 declared flow breaks, 1 fixed; 1 undeclared path opened, 0 closed**');
    const broken = md.indexOf('| shop/t | broken |');
    const firstDetails = md.indexOf('<details>');
    assert.ok(broken > 0 && broken < firstDetails, md);
    assert.ok(md.indexOf('| shop/t | ok-now |') > firstDetails, md);
    assert.match(md, /<summary>Undeclared paths opened \(1\)<\/summary>\n\n\| from \| to \|/);
  });

  it('says that a change to Unknown is listed but is not a break', () => {
    const md = renderDiffMarkdown(
      result([change({ before: 'Allowed', after: 'Unknown', breaks: false })], []),
    );
    assert.match(md, /^\*\*0 declared flows break, 0 fixed, 1 other change;/m);
    assert.match(md, /becomes Unknown .* is neither a break nor a fix/);
  });

  it('escapes user text: a pipe stays in its cell, backticks and HTML stay text', () => {
    const md = renderDiffMarkdown(
      result(
        [change({ flow: 'a|b', reasons: ['`rm -rf` <script>alert(1)</script> & [x](http://e)'] })],
        [path({ from: 'ns/{app=a|b}', to: 'ns/<img src=x>' })],
      ),
    );
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    for (const row of rows) assert.equal(cells(row).length, 5, row);
    const tags = [...md.matchAll(/(?<!\\)<\/?([a-z]+)/g)].map((m) => m[1]);
    assert.deepEqual(
      [...new Set(tags)].sort(),
      ['details', 'sub', 'summary'],
      "only the renderer's own tags",
    );
    assert.ok(md.includes('\\`rm -rf\\`'), md);
    assert.equal(escapeMarkdown('a|b\nc'), 'a\\|b c');
  });

  it('is bounded: at most MAX_ROWS rows a section, the rest counted', () => {
    const many = Array.from({ length: MAX_ROWS + 7 }, (_, i) =>
      change({ flow: `f-${i}`, reasons: ['r'.repeat(200)] }),
    );
    const md = renderDiffMarkdown(result(many, []));
    assert.equal(md.split('\n').filter((l) => l.startsWith('| shop/t | f-')).length, MAX_ROWS);
    assert.match(md, /… and 7 more/);
  });

  it('with --max-undeclared 0 says how many paths changed, not that none did', () => {
    const md = renderDiffMarkdown({ ...result([], [], 3), maxUndeclared: 0 });
    assert.match(md, /3 undeclared paths opened/);
    assert.doesNotMatch(md, /No declared flow and no undeclared path changes/);
    assert.match(md, /<summary>Undeclared paths opened \(3\)<\/summary>/);
    assert.match(md, /… and 3 more opened paths/);
  });

  it('equal trees: the headline and a sentence, nothing else', () => {
    const md = renderDiffMarkdown(result([], []));
    assert.ok(!md.includes('<details>'));
    assert.match(md, /No declared flow and no undeclared path changes its prediction/);
  });
});
