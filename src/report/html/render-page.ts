// The page every report shares: one self-contained HTML document. Its Content-Security-Policy allows
// nothing but the inline style sheet, so the page can fetch nothing, run nothing and submit nothing even
// if a value escaped the escaping (html-escape.ts); it needs no script: everything is in the markup.
import { html, SafeHtml } from './html-escape.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export interface Page {
  /** The document's title, e.g. `flowprobe explain`. */
  title: string;
  /** One sentence a reader sees first: "4 of 22 flows contradict their policies". */
  headline: string;
  /** Whether the headline reports a problem (it is then marked as one, in words too). */
  trouble: boolean;
  /** A line under the headline with the other counts. */
  counts: string;
  sections: readonly SafeHtml[];
}

export function renderPage(page: Page): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="flowprobe" />
        <title>${page.title}</title>
        <style>
          ${new SafeHtml(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <p class="tool">${page.title}</p>
          <h1 class="${page.trouble ? 'trouble' : 'fine'}">${page.trouble ? '✗ ' : '✓ '}${page.headline}</h1>
          <p class="counts">${page.counts}</p>
        </header>
        <main>${page.sections}</main>
      </body>
    </html> `.markup;
}

// Ours, not user input, and raw text inside <style> (entities are not decoded there): not escaped.
// Colours only ever repeat what the text says (✓ allowed, ✗ denied, ? unknown, ⚠ contradiction), so the
// page reads the same in grey, in print and to a screen reader.
const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px; color: #1b1f24; }
body { margin: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0.2rem 0; }
h1.trouble { color: #a4161a; }
h1.fine { color: #1e6b34; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
.tool { color: #57606a; margin: 0; }
.counts { margin: 0.2rem 0 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; caption-side: top; }
th, td { border: 1px solid #8c959f; padding: 0.3rem 0.45rem; vertical-align: top; text-align: left; }
thead th { background: #eaeef2; }
tbody th { background: #f6f8fa; font-weight: 600; }
.matrix td { min-width: 7rem; max-width: 12rem; }
.matrix td, .flows td { overflow-wrap: anywhere; }
.flows { width: 100%; }
.flows td.reasons { min-width: 20rem; }
.flows td.diagnosis { min-width: 12rem; }
.entry + .entry { border-top: 1px dotted #8c959f; margin-top: 0.3rem; padding-top: 0.3rem; }
.state { font-weight: 700; }
.what, .also, .flow { color: #424a53; font-size: 0.85rem; }
.also { display: block; }
.flow { display: block; }
.none { color: #6e7781; font-size: 0.85rem; }
.s-allowed { background: #dafbe1; }
.s-denied { background: #ffebe9; }
.s-unknown { background: #fff8c5; }
.s-absent { background: #f6f8fa; }
td.problem { outline: 3px dashed #a4161a; outline-offset: -4px; }
.mark { display: block; font-weight: 700; color: #a4161a; }
.flows td.reasons ul { margin: 0; padding-left: 1.1rem; }
.legend { font-size: 0.9rem; }
ul.findings li { margin: 0.2rem 0; }
@media print {
  body { margin: 0.5cm; font-size: 10pt; }

  tr, td, th { break-inside: avoid; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
`;
