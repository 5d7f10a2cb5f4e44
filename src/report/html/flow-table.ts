// The frame every page's tables share (per-flow rows, coverage lists): a captioned, scrollable `<table>`
// with one `<th scope="col">` per column, so that each page only writes its rows (and screen readers get
// the same structure on each).
import { html, type SafeHtml } from './html-escape.js';

export function renderFlowTable(
  caption: string,
  columns: readonly string[],
  rows: readonly SafeHtml[],
): SafeHtml {
  return html`<div class="scroll">
    <table class="flows">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${columns.map((c) => html`<th scope="col">${c}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}
