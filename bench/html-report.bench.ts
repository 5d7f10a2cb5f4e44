// `npm run bench -- html`: `explain -o html`'s renderer on explain's synthetic cluster (explain.bench.ts) at
// 1,000 and 10,000 flows: render time, page size and matrix cells. Prints figures, asserts none.
import { validateConnectivityTest } from '../src/api/validate.js';
import { buildSnapshot, explainSnapshot } from '../src/explain/index.js';
import { renderExplainHtml } from '../src/report/html/render-explain.js';
import { cluster } from './explain.bench.js';

export default function bench(): Promise<void> {
  console.log('explain -o html, render only (the report is predicted first, not timed); three runs each');
  for (const namespaces of [5, 50]) {
    const { snapshot } = buildSnapshot(cluster(namespaces), validateConnectivityTest);
    const report = explainSnapshot(snapshot);
    const times: number[] = [];
    let page = '';
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      page = renderExplainHtml(report);
      times.push(performance.now() - t0);
    }
    const cells = page.match(/<td headers=/g)?.length ?? 0;
    console.log(
      `${String(report.summary.flows).padStart(6)} flows: render ${times.map((t) => t.toFixed(0)).join(', ')} ms, ` +
        `${(page.length / 1e6).toFixed(1)} MB, ${cells} matrix cells`,
    );
  }
  return Promise.resolve();
}
