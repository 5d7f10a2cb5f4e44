// The matrix model (src/report/html/reach-matrix.ts): rows, columns per destination port, cells, and one
// matrix per source namespace so that a large cluster's page stays a sum of small matrices.
import { strict as assert } from 'node:assert';
import {
  buildMatrix,
  matricesBySourceNamespace,
  type MatrixEntry,
} from '../../../src/report/html/reach-matrix.js';

function entry(
  source: string,
  destination: string,
  port: string,
  label = `${source}>${destination}`,
): MatrixEntry {
  return { label, source, destination, port, shown: { what: 'predicted', reach: 'Allowed' }, also: [] };
}

describe('the reachability matrix model', () => {
  it('has a row per source, a column per destination and declared port (by number), and the flows per cell', () => {
    const m = buildMatrix([
      entry('prod/web', 'prod/api', '8080/TCP', 'a'),
      entry('prod/web', 'prod/api', '443/TCP', 'b'),
      entry('prod/api', 'kube-system/dns', '53/UDP', 'c'),
      entry('prod/api', 'kube-system/dns', '53/TCP', 'd'),
      entry('prod/web', 'prod/api', '8080/TCP', 'e'),
    ]);
    assert.deepEqual(m.sources, ['prod/api', 'prod/web']);
    assert.deepEqual(m.destinations, [
      { name: 'kube-system/dns', ports: ['53/TCP', '53/UDP'] },
      { name: 'prod/api', ports: ['443/TCP', '8080/TCP'] },
    ]);
    assert.deepEqual(
      m.cell('prod/web', 'prod/api', '8080/TCP').map((e) => e.label),
      ['a', 'e'],
    );
    assert.deepEqual(m.cell('prod/api', 'prod/api', '8080/TCP'), []);
  });

  it('counts the entries that need a look', () => {
    const m = buildMatrix([
      entry('a/x', 'b', '1/TCP'),
      { ...entry('a/y', 'b', '1/TCP'), problem: 'contradiction' },
    ]);
    assert.equal(m.problems, 1);
  });

  it('draws one matrix per source namespace, each with only its own destinations', () => {
    const groups = matricesBySourceNamespace([
      entry('shop/web', 'billing/api', '80/TCP'),
      entry('billing/api', 'shop/web', '80/TCP'),
      entry('billing/api', 'billing/db', '5432/TCP'),
      entry('10.0.0.1', 'x', '1/TCP'),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.namespace, g.matrix.sources, g.matrix.destinations.map((d) => d.name)]),
      [
        ['', ['10.0.0.1'], ['x']],
        ['billing', ['billing/api'], ['billing/db', 'shop/web']],
        ['shop', ['shop/web'], ['billing/api']],
      ],
    );
  });
});
