// Draws a ReachMatrix as a real table: a row header per source identity, a column group per destination
// with a column header per port, and every cell tied to its headers with `headers` (a two-level header
// needs it for screen readers). A cell says its state in words and symbols ("✓ allowed", "✗ denied",
// "? unknown") and marks a problem with "⚠" and a sentence; the colour only repeats that.
import { html, type SafeHtml } from './html-escape.js';
import { matricesBySourceNamespace, type MatrixEntry, type Reach, type ReachMatrix } from './reach-matrix.js';

const LABEL: Record<Reach, string> = {
  Allowed: '✓ allowed',
  Denied: '✗ denied',
  Unknown: '? unknown',
  Absent: '– absent',
};

export function reachLabel(reach: Reach): string {
  return LABEL[reach];
}

export function renderMatrix(matrix: ReachMatrix, caption: string, id: string): SafeHtml {
  const columns = matrix.destinations.flatMap((d, di) =>
    d.ports.map((port, pi) => ({ destination: d.name, port, ids: `${id}-d${di} ${id}-d${di}-p${pi}` })),
  );
  const head = html`<thead>
    <tr>
      <th scope="col" rowspan="2" id="${id}-src">source identity ↓ / destination →</th>
      ${matrix.destinations.map(
        (d, di) => html`<th scope="colgroup" colspan="${d.ports.length}" id="${id}-d${di}">${d.name}</th>`,
      )}
    </tr>
    <tr>
      ${matrix.destinations.map((d, di) =>
        d.ports.map((port, pi) => html`<th scope="col" id="${id}-d${di}-p${pi}">${port}</th>`),
      )}
    </tr>
  </thead>`;
  const rows = matrix.sources.map(
    (source, si) =>
      html`<tr>
        <th scope="row" id="${id}-s${si}">${source}</th>
        ${columns.map((c) => renderCell(matrix.cell(source, c.destination, c.port), `${id}-s${si} ${c.ids}`))}
      </tr> `,
  );
  return html`<div class="scroll">
    <table class="matrix" id="${id}">
      <caption>
        ${caption}
      </caption>
      ${head}
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

function renderCell(entries: readonly MatrixEntry[], headers: string): SafeHtml {
  if (entries.length === 0) return html`<td headers="${headers}"><span class="none">not declared</span></td>`;
  // One colour per cell: a problem's state wins, so a contradiction is never hidden behind a sibling.
  const first = entries.find((e) => e.problem !== undefined) ?? entries[0];
  const problem = entries.some((e) => e.problem !== undefined);
  const cls = `s-${(first?.shown.reach ?? 'Unknown').toLowerCase()}${problem ? ' problem' : ''}`;
  return html`<td headers="${headers}" class="${cls}">${entries.map(renderEntry)}</td>`;
}

function renderEntry(e: MatrixEntry): SafeHtml {
  const flow = e.anchor === undefined ? e.label : html`<a href="#${e.anchor}">${e.label}</a>`;
  return html`<div class="entry">
    <span class="state">${reachLabel(e.shown.reach)}</span>
    <span class="what">(${e.shown.what}${e.shown.note === undefined ? '' : `: ${e.shown.note}`})</span
    >${e.also.map(
      (a) => html`<span class="also">${a.what} ${reachLabel(a.reach)}</span>`,
    )}${e.problem === undefined ? '' : html`<span class="mark">⚠ ${e.problem}</span>`}<span class="flow"
      >${flow}</span
    >
  </div>`;
}

/**
 * The matrices of `entries`, one per source namespace (matricesBySourceNamespace), each captioned
 * `caption` and the namespace; ids stay unique on the page.
 */
export function renderMatrices(entries: readonly MatrixEntry[], caption: string): SafeHtml {
  const groups = matricesBySourceNamespace(entries);
  if (groups.length === 0) return html`<p class="none">No flows to draw.</p>`;
  const intro = html`<p>
    One table per namespace of the sources: a row per source identity, a column per destination and declared
    port.
  </p>`;
  return html`${intro}${groups.map(({ namespace, matrix }, i) =>
    renderMatrix(
      matrix,
      namespace === '' ? caption : `${caption} from namespace ${namespace}`,
      `matrix-${i}`,
    ),
  )}`;
}

/** The legend under a matrix: what the symbols mean, for readers who meet them first there. */
export function renderLegend(): SafeHtml {
  return html`<p class="legend">
    Legend: ${LABEL.Allowed} · ${LABEL.Denied} · ${LABEL.Unknown} (the policies cannot tell, or nothing was
    learned) · ⚠ the flow needs a look (contradiction, flaky, error) · “not declared”: no flow covers this
    source, destination and port.
  </p>`;
}
