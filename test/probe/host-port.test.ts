// IPv6 is printed as `[addr]:port` (RFC 3986 section 3.2.2), wherever flowprobe prints a host and a port
// (issue 12, "Input edges"): `fd00::5:8080` cannot be told from an address ending in `:8080`.
import { strict as assert } from 'node:assert';
import { hostPort } from '../../src/probe/index.js';
import { formatTarget } from '../../src/probe/args.js';
import { planRun } from '../../src/plan/run-plan.js';

describe('printing a host and a port', () => {
  const cases: [string, number, string][] = [
    ['10.244.1.7', 8080, '10.244.1.7:8080'],
    ['api.shop.svc.cluster.local', 80, 'api.shop.svc.cluster.local:80'],
    ['fd00::5', 8080, '[fd00::5]:8080'],
    ['::1', 53, '[::1]:53'],
  ];
  for (const [host, port, text] of cases) {
    it(`prints ${host} port ${port} as ${text}`, () => {
      assert.equal(hostPort(host, port), text);
    });
  }

  it('brackets an IPv6 address in a probe target', () => {
    assert.equal(
      formatTarget({ kind: 'http', host: 'fd00::5', port: 80, timeoutSeconds: 2, path: '/x' }),
      'http://[fd00::5]:80/x',
    );
  });

  it('plans a probe to an IPv6 pod address and shows the target in brackets', () => {
    const plan = planRun({
      namespace: 'shop',
      spec: {
        timeoutSeconds: 2,
        flows: [
          {
            name: 'web-to-api',
            from: { labels: { app: 'web' } },
            to: { podSelector: { matchLabels: { app: 'api' } } },
            port: 8080,
            expect: 'Allowed',
          },
        ],
      },
      pods: [
        {
          namespace: 'shop',
          name: 'api-1',
          labels: { app: 'api' },
          podIP: 'fd00::5',
          phase: 'Running',
          deleting: false,
          hostNetwork: false,
        },
      ],
    });
    assert.deepEqual(plan.unplanned, []);
    assert.deepEqual(
      plan.identities.flatMap((i) => i.probes.map((p) => [p.target, p.spec.host])),
      [['[fd00::5]:8080', 'fd00::5']],
    );
  });
});
