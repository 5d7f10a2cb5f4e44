import { strict as assert } from 'node:assert';
import { ConfigError, operatorConfig } from '../../src/config/operator-config.js';

describe('the operator configuration', () => {
  it("runs in the cluster with the pod's identity when a service host is set and no kubeconfig", () => {
    const c = operatorConfig(
      {},
      { KUBERNETES_SERVICE_HOST: '10.96.0.1', POD_NAME: 'op-0', POD_NAMESPACE: 'flowprobe-system' },
      'host',
    );
    assert.equal(c.inCluster, true);
    assert.deepEqual(c.leaderElection, {
      enabled: true,
      namespace: 'flowprobe-system',
      name: 'flowprobe-operator',
      identity: 'op-0',
    });
    assert.equal(c.probeImage, 'busybox:1.37.0');
    assert.deepEqual([c.metricsHost, c.metricsPort], ['0.0.0.0', 8080]);
  });

  it('uses a kubeconfig given by flag over the environment, and then not the in-cluster credentials', () => {
    const c = operatorConfig(
      { kubeconfig: '/tmp/kc' },
      { KUBECONFIG: '/other', KUBERNETES_SERVICE_HOST: 'x' },
      'h',
    );
    assert.equal(c.kubeconfig, '/tmp/kc');
    assert.equal(c.inCluster, false);
  });

  it('leaves the Lease namespace to the kubeconfig context when neither flag nor $POD_NAMESPACE names one', () => {
    assert.equal(operatorConfig({}, {}, 'laptop').leaderElection.namespace, undefined);
    assert.equal(
      operatorConfig({ leaseNamespace: 'ops' }, { POD_NAMESPACE: 'x' }, 'h').leaderElection.namespace,
      'ops',
    );
  });

  it('falls back to the hostname as the election identity', () => {
    assert.equal(operatorConfig({}, {}, 'laptop').leaderElection.identity, 'laptop');
  });

  it('parses the metrics address with and without a host', () => {
    assert.deepEqual(
      [':9000', '127.0.0.1:8081'].map((a) => {
        const c = operatorConfig({ metricsAddr: a }, {}, 'h');
        return [c.metricsHost, c.metricsPort];
      }),
      [
        ['0.0.0.0', 9000],
        ['127.0.0.1', 8081],
      ],
    );
  });

  it('reports every bad flag at once', () => {
    assert.throws(
      () => operatorConfig({ metricsAddr: 'nope', workers: '0', logLevel: 'loud' }, {}, 'h'),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 3 &&
        /--metrics-addr/.test(err.problems[0] ?? '') &&
        /--workers/.test(err.problems[1] ?? '') &&
        /--log-level/.test(err.problems[2] ?? ''),
    );
  });
});
