import { strict as assert } from 'node:assert';
import { Pod } from 'kubernetes-models/v1/Pod';
import { testLabelValue } from '../../src/plan/labels.js';
import { podNamePrefix, probePod, type ProbePodInput } from '../../src/plan/probe-pod.js';
import { restrictedViolations } from '../support/pod-security.js';

const input: ProbePodInput = {
  test: { name: 'api-baseline', namespace: 'production', uid: '0b1c-uid' },
  runId: 'run-7',
  identityLabels: { app: 'web-frontend', tier: 'web' },
  identityName: 'web-frontend',
  image: 'busybox:1.37',
  command: ['sh', '-c', 'constant script', 'flowprobe-probe', 'tcp', '10.0.0.1', '8080'],
  deadlineSeconds: 60,
  probeCount: 1,
};

describe('the probe pod manifest', () => {
  const pod = probePod(input);

  it("is a valid core/v1 Pod by Kubernetes' own schema", () => {
    assert.doesNotThrow(() => {
      new Pod(pod as unknown as ConstructorParameters<typeof Pod>[0]).validate();
    });
  });

  it('would be rejected by that schema if it were malformed (the check can fail)', () => {
    const malformed = { ...pod, spec: { ...pod.spec, activeDeadlineSeconds: 'soon' } };
    assert.throws(() => {
      new Pod(malformed as unknown as ConstructorParameters<typeof Pod>[0]).validate();
    }, /activeDeadlineSeconds/);
  });

  it('passes the Pod Security restricted profile', () => {
    assert.deepEqual(restrictedViolations(pod), []);
  });

  it("carries the identity's labels so egress policies select it like the source, plus its run id", () => {
    assert.equal(pod.metadata.labels.app, 'web-frontend');
    assert.equal(pod.metadata.labels.tier, 'web');
    assert.equal(pod.metadata.labels['flowprobe.dev/run-id'], 'run-7');
    assert.equal(pod.metadata.namespace, 'production');
  });

  // A chart's pods carry `app.kubernetes.io/managed-by: Helm`; a probe that overwrote it escaped policies
  // selecting on it (issue 11). flowprobe marks its pods with flowprobe.dev/ labels only.
  it("carries exactly the source's labels plus flowprobe.dev/ ones, and the source's service account", () => {
    const helm = { app: 'api', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/name': 'api' };
    const borrowed = probePod({ ...input, identityLabels: helm, serviceAccountName: 'api' });
    const labels = borrowed.metadata.labels;
    const ours = Object.keys(labels).filter((k) => k.startsWith('flowprobe.dev/'));
    const rest = Object.fromEntries(Object.entries(labels).filter(([k]) => !ours.includes(k)));
    assert.deepEqual(rest, helm);
    assert.deepEqual(ours.sort(), ['flowprobe.dev/run-id', 'flowprobe.dev/test']);
    assert.equal(borrowed.spec.serviceAccountName, 'api');
    assert.equal(borrowed.spec.automountServiceAccountToken, false);
    assert.deepEqual(restrictedViolations(borrowed), []);
  });

  it("runs as the namespace's default service account when the identity names none", () => {
    assert.equal(pod.spec.serviceAccountName, undefined);
  });

  it('is controlled by its ConnectivityTest, so no ReplicaSet adopts it and deletion cascades', () => {
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'flowprobe.dev/v1alpha1',
        kind: 'ConnectivityTest',
        name: 'api-baseline',
        uid: '0b1c-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  it('never becomes ready, gets no service-account token, and has a deadline', () => {
    assert.deepEqual(pod.spec.readinessGates, [{ conditionType: 'flowprobe.dev/never-ready' }]);
    assert.equal(pod.spec.automountServiceAccountToken, false);
    assert.equal(pod.spec.activeDeadlineSeconds, 60);
    assert.equal(pod.spec.restartPolicy, 'Never');
  });

  it('limits the container by the probes it runs at once, never below 32Mi and 200m', () => {
    const resources = (p: ReturnType<typeof probePod>): unknown =>
      (p.spec.containers as { resources: unknown }[])[0]?.resources;
    assert.deepEqual(resources(pod), {
      requests: { cpu: '10m', memory: '16Mi' },
      limits: { cpu: '200m', memory: '32Mi' },
    });
    assert.deepEqual(resources(probePod({ ...input, probeCount: 100 })), {
      requests: { cpu: '10m', memory: '16Mi' },
      limits: { cpu: '500m', memory: '48Mi' },
    });
  });

  it('runs the command as given, as an argv', () => {
    const [container] = pod.spec.containers as { command: string[] }[];
    assert.deepEqual(container?.command, input.command);
  });

  it('fails the restricted check when a control is broken (the check itself can fail)', () => {
    const broken = structuredClone(pod) as unknown as { spec: { containers: { securityContext: object }[] } };
    broken.spec.containers[0]!.securityContext = {};
    assert.deepEqual(restrictedViolations(broken), [
      'container probe: allowPrivilegeEscalation must be false',
      'container probe: capabilities must drop ALL',
    ]);
  });
});

describe('the probe pod name prefix', () => {
  it('names the test and the identity', () => {
    assert.equal(podNamePrefix('api-baseline', 'web-frontend'), 'ctest-api-baseline-web-frontend-');
  });

  it("stays within 63 characters with the server's 5-character suffix", () => {
    const prefix = podNamePrefix('t'.repeat(63), 'i'.repeat(63));
    assert.ok(prefix.length + 5 <= 63, prefix);
    assert.match(prefix, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?-$/);
  });
});

describe('the flowprobe.dev/test label of a probe pod', () => {
  const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
  const labelOf = (name: string): string =>
    probePod({ ...input, test: { ...input.test, name } }).metadata.labels['flowprobe.dev/test'] ?? '';

  it('is the test name when the name fits a label value (63 characters)', () => {
    assert.equal(labelOf('a'.repeat(63)), 'a'.repeat(63));
    assert.equal(testLabelValue('api-baseline'), 'api-baseline');
  });

  // kube-apiserver refuses label values over 63 characters (apimachinery/pkg/util/validation
  // IsValidLabelValue), while a ConnectivityTest's name may have 253.
  it('is cut to a valid label value with a hash for longer names, the same every time', () => {
    for (const name of ['a'.repeat(64), `${'a'.repeat(52)}.${'b'.repeat(200)}`, `${'x-'.repeat(40)}y`]) {
      const value = labelOf(name);
      assert.ok(value.length <= 63 && LABEL_VALUE.test(value), value);
      assert.equal(labelOf(name), value);
      assert.ok(value.startsWith(name.slice(0, 20)), value);
    }
  });

  it('differs for two long names that share their first 60 characters', () => {
    const prefix = 'payments-team-egress-baseline-for-the-production-cluster-xyz';
    assert.notEqual(labelOf(`${prefix}-one`), labelOf(`${prefix}-two`));
  });
});

describe("the probe pod of flowprobe run's temporary owner", () => {
  const owner = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'flowprobe-run-x7k2p',
    uid: 'deploy-uid',
    expiresAt: '2026-12-01T12:10:00.000Z',
  };
  const pod = probePod({ ...input, owner });

  it("carries the run's deadline as an annotation, so the operator can reap it without reading Deployments", () => {
    assert.deepEqual(pod.metadata.annotations, { 'flowprobe.dev/expires-at': '2026-12-01T12:10:00.000Z' });
  });

  it('names the Deployment as its controller, without the deadline in the reference', () => {
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'flowprobe-run-x7k2p',
        uid: 'deploy-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  it("carries no annotation when a ConnectivityTest owns it (the operator's own runs)", () => {
    assert.equal(probePod(input).metadata.annotations, undefined);
  });
});
