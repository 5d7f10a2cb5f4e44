// The escaping every report value goes through (src/report/html/html-escape.ts), and the pages' promise
// that user text never becomes markup, checked on the page text itself (the browser tests check the
// rendering).
import { strict as assert } from 'node:assert';
import { escapeHtml, html, SafeHtml } from '../../../src/report/html/html-escape.js';
import { renderDiffHtml } from '../../../src/report/html/render-diff.js';
import { renderRunHtml } from '../../../src/report/html/render-run.js';
import { DIFF, HOSTILE, RUN } from './fixtures.js';

describe('HTML escaping', () => {
  const cases: [string, string][] = [
    ['<script>', '&lt;script&gt;'],
    [`"double" 'single'`, '&quot;double&quot; &#39;single&#39;'],
    ['a & b', 'a &amp; b'],
    ['&amp;', '&amp;amp;'],
    ['bell\u0007 and nul\u0000', 'bell and nul'],
    ['tab\tnewline\n', 'tab\tnewline\n'],
    ['emoji 🔥 ✓', 'emoji 🔥 ✓'],
  ];
  for (const [input, output] of cases) {
    it(`escapes ${JSON.stringify(input)}`, () => {
      assert.equal(escapeHtml(input), output);
    });
  }

  it('escapes every interpolated value of html`` and keeps only SafeHtml as markup', () => {
    const out = html`<p title="${HOSTILE}">${HOSTILE}${['<b>', new SafeHtml('<i>')]}${42}${undefined}</p>`;
    assert.equal(out.markup, `<p title="${escapeHtml(HOSTILE)}">${escapeHtml(HOSTILE)}&lt;b&gt;<i>42</p>`);
  });

  it('puts no user text into the run and diff pages as markup', () => {
    for (const page of [renderRunHtml(RUN), renderDiffHtml(DIFF)]) {
      assert.ok(!page.includes('<script'), 'no script element');
      assert.ok(!page.includes('<img'), 'no img element');
      assert.ok(page.includes(escapeHtml(HOSTILE)), 'the hostile text is there, escaped');
    }
  });
});
