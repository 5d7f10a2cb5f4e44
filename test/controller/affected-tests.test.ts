import { strict as assert } from 'node:assert';
import type { FlowTarget } from '../../src/api/types.js';
import { testsToRepredict } from '../../src/controller/affected-tests.js';
import type { TestObject } from '../../src/kube/objects.js';

function test(name: string, namespace: string, to: FlowTarget): TestObject {
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name, namespace },
    spec: { flows: [{ name: 'f', from: { labels: { app: 'a' } }, to, port: 80, expect: 'Allowed' }] },
  };
}

const tests = [
  test('own-namespace', 'prod', { service: 'api' }),
  test('targets-prod', 'web', { podSelector: {}, namespace: 'prod' }),
  test('to-an-ip', 'web', { ip: '10.0.0.1' }),
  test('to-a-host', 'web', { host: 'api.example.com' }),
  test('elsewhere', 'web', { service: 'api' }),
];

describe('which tests a change may re-predict', () => {
  const names = (kind: 'NetworkPolicy' | 'Service' | 'Namespace', ns: string) =>
    testsToRepredict(kind, ns, tests).map((t) => t.metadata.name);

  it('a NetworkPolicy or Service: tests whose sources or targets live in its namespace, and IP or host targets', () => {
    const expected = ['own-namespace', 'targets-prod', 'to-an-ip', 'to-a-host'];
    assert.deepEqual(names('NetworkPolicy', 'prod'), expected);
    assert.deepEqual(names('Service', 'prod'), expected);
  });

  it('a Namespace: every test, since its labels feed namespaceSelectors anywhere', () => {
    assert.deepEqual(
      names('Namespace', 'anything'),
      tests.map((t) => t.metadata.name),
    );
  });
});
