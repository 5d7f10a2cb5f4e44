import { strict as assert } from 'node:assert';
import { withDefaults } from '../../src/api/defaults.js';
import type { ConnectivityTestSpec, Flow } from '../../src/api/types.js';

const bare: Flow = {
  name: 'f',
  from: { labels: { app: 'web' } },
  to: { service: 'api' },
  port: 80,
  expect: 'Allowed',
};

describe('applying the schema’s defaults to a spec', () => {
  const cases: { name: string; spec: ConnectivityTestSpec; expected: ConnectivityTestSpec }[] = [
    {
      name: 'fills replicas 0, timeoutSeconds 3, startupGraceSeconds 3, suspend false, refusedMeans Allowed and protocol TCP',
      spec: { flows: [bare] },
      expected: {
        replicas: 0,
        timeoutSeconds: 3,
        startupGraceSeconds: 3,
        suspend: false,
        refusedMeans: 'Allowed',
        flows: [{ ...bare, protocol: 'TCP' }],
      },
    },
    {
      name: 'keeps every value the user gave',
      spec: {
        timeoutSeconds: 5,
        startupGraceSeconds: 0,
        suspend: true,
        refusedMeans: 'Denied',
        flows: [{ ...bare, protocol: 'UDP' }],
      },
      expected: {
        replicas: 0,
        timeoutSeconds: 5,
        startupGraceSeconds: 0,
        suspend: true,
        refusedMeans: 'Denied',
        flows: [{ ...bare, protocol: 'UDP' }],
      },
    },
    {
      name: 'gives an http check the path /',
      spec: { flows: [{ ...bare, http: {} }] },
      expected: {
        replicas: 0,
        timeoutSeconds: 3,
        startupGraceSeconds: 3,
        suspend: false,
        refusedMeans: 'Allowed',
        flows: [{ ...bare, protocol: 'TCP', http: { path: '/' } }],
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(withDefaults(c.spec), c.expected);
    });
  }

  it('leaves interval and a flow’s own timeout absent: absent has a meaning there', () => {
    const spec = withDefaults({ flows: [bare] });
    assert.equal(spec.interval, undefined);
    assert.equal(spec.flows[0]?.timeoutSeconds, undefined);
  });

  it('defaults a field set to null, which the API server prunes first', () => {
    const spec = withDefaults({ timeoutSeconds: null, flows: [bare] } as unknown as ConnectivityTestSpec);
    assert.equal(spec.timeoutSeconds, 3);
  });

  it('does not modify its argument', () => {
    const spec: ConnectivityTestSpec = { flows: [{ ...bare, http: {} }] };
    const before = structuredClone(spec);
    withDefaults(spec);
    assert.deepEqual(spec, before);
  });
});
