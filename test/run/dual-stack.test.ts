// Dual-stack targets: a pod with both families in `status.podIPs` and a Service with both in
// `spec.clusterIPs` are probed once per family (or in the family the flow names), each family predicted
// with that family's addresses, and the results stay one status entry per flow. An ipBlock of one family
// never matches an address of the other (the NetworkPolicy API reference describes ipBlock as "a
// particular CIDR"; an IPv4 CIDR holds no IPv6 address, and the dataplanes compare within a family:
// kube-network-policies and Calico program ip and ip6 sets apart).
import { strict as assert } from 'node:assert';
import type { ConnectivityTest, Flow, FlowResult } from '../../src/api/types.js';
import { podSourceOf } from '../../src/kube/cached-pods.js';
import type { PodObject, WireObject } from '../../src/kube/objects.js';
import { planRun } from '../../src/plan/run-plan.js';
import type { ProbeResult } from '../../src/probe/index.js';
import { withFamilies } from '../../src/run/family-flows.js';
import { mergeFamilies, observationKey } from '../../src/run/family-results.js';
import type { FlowObservation } from '../../src/run/flow-results.js';
import { flowResults } from '../../src/run/flow-results.js';
import { Predictor, type ClusterObjects } from '../../src/run/predict.js';
import { repredict } from '../../src/run/repredict.js';
import { serviceIpsOf, servicesWithoutClusterIpOf } from '../../src/run/service-ips.js';
import { toLivePod } from '../../src/run/run-test.js';

const V4 = '10.1.0.7';
const V6 = 'fd00:10:1::7';
const SVC4 = '10.96.0.20';
const SVC6 = 'fd00:10:96::20';

const api: PodObject = {
  metadata: { name: 'api-1', namespace: 'prod', labels: { app: 'api' } },
  spec: { containers: [{ name: 'api', ports: [{ containerPort: 8080 }] }] },
  status: { phase: 'Running', podIP: V4, podIPs: [{ ip: V4 }, { ip: V6 }] },
};
const web: PodObject = {
  metadata: { name: 'web-1', namespace: 'prod', labels: { app: 'web' } },
  status: { phase: 'Running', podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }, { ip: 'fd00:10:1::5' }] },
};
const service: WireObject = {
  metadata: { name: 'api', namespace: 'prod' },
  spec: {
    selector: { app: 'api' },
    ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
    clusterIP: SVC4,
    clusterIPs: [SVC4, SVC6],
    ipFamilies: ['IPv4', 'IPv6'],
  },
};
/** Egress from web only to an IPv4 block (and DNS): IPv6 to api is denied. */
const ipv4Only: WireObject = {
  metadata: { name: 'web-egress-v4', namespace: 'prod' },
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
  },
};

function flow(name: string, over: Partial<Flow> = {}): Flow {
  return {
    name,
    from: { labels: { app: 'web' } },
    to: { podSelector: { matchLabels: { app: 'api' } } },
    port: 8080,
    expect: 'Allowed',
    ...over,
  };
}

function test(flows: Flow[]): ConnectivityTest {
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: 't', namespace: 'prod' },
    spec: { timeoutSeconds: 2, flows },
  };
}

function cluster(policies: WireObject[] = [ipv4Only]): ClusterObjects {
  return {
    namespaces: [{ metadata: { name: 'prod' } }],
    pods: podSourceOf([api, web]),
    services: [service],
    policies,
  };
}

function plan(flows: Flow[]) {
  return planRun({
    namespace: 'prod',
    spec: { timeoutSeconds: 2, flows },
    pods: [api, web].map(toLivePod),
    serviceIps: new Map([['prod/api', [SVC4, SVC6]]]),
  });
}

const probed = (flows: Flow[]) =>
  plan(flows).identities.flatMap((i) => i.probes.map((p) => [p.flow.name, p.ipFamily, p.target]));

const singleStack: PodObject = { ...api, status: { phase: 'Running', podIP: V4, podIPs: [{ ip: V4 }] } };

describe('dual-stack targets', () => {
  describe('planning', () => {
    it('probes a dual-stack pod in each family, at the address of that family', () => {
      assert.deepEqual(probed([flow('a')]), [
        ['a', 'IPv4', `${V4}:8080`],
        ['a', 'IPv6', `[${V6}]:8080`],
      ]);
    });

    it('probes only the family a flow names', () => {
      assert.deepEqual(probed([flow('a', { ipFamily: 'IPv6' })]), [['a', 'IPv6', `[${V6}]:8080`]]);
    });

    it("probes a dual-stack Service at each family's clusterIP", () => {
      const f = flow('s', { to: { service: 'api' }, port: 80 });
      assert.deepEqual(probed([f]), [
        ['s', 'IPv4', `${SVC4}:80`],
        ['s', 'IPv6', `[${SVC6}]:80`],
      ]);
    });

    it('keeps a single-stack target on the path it had: one probe, no family', () => {
      const p = planRun({
        namespace: 'prod',
        spec: { timeoutSeconds: 2, flows: [flow('s', { to: { service: 'api' }, port: 80 })] },
        pods: [toLivePod(web)],
        serviceIps: new Map([['prod/api', [SVC4]]]),
      });
      assert.deepEqual(
        p.identities.flatMap((i) => i.probes.map((x) => [x.ipFamily, x.target])),
        [[undefined, 'api.prod.svc.cluster.local:80']],
      );
    });

    it('says why a flow cannot be probed in a family its target lacks, or by a host name over IPv6', () => {
      const single = planRun({
        namespace: 'prod',
        spec: { timeoutSeconds: 2, flows: [flow('a', { ipFamily: 'IPv6' })] },
        pods: [singleStack, web].map(toLivePod),
      });
      assert.deepEqual(
        single.unplanned.map((u) => [u.flow.name, u.kind, u.reason]),
        [['a', 'waiting', 'pod prod/api-1 has no IPv6 address']],
      );
      const host = plan([flow('h', { to: { host: 'api.example.com' }, ipFamily: 'IPv6' })]);
      assert.equal(host.unplanned[0]?.kind, 'invalid');
      assert.match(host.unplanned.map((u) => u.reason).join(), /IPv4 addresses only/);
    });
    // An IPv6 single-stack cluster: pods and Services have IPv6 addresses only. The probe resolves names
    // to A records only (docs/busybox-ipv6.md), so the Service's DNS name would be DNSFailure
    // no-ipv4-address on every run; the IPv6 cluster IP is dialled instead, as a flow naming IPv6 would.
    it('dials an IPv6-only Service and pod at their IPv6 addresses, in the IPv6 family', () => {
      const api6: PodObject = { ...api, status: { phase: 'Running', podIP: V6, podIPs: [{ ip: V6 }] } };
      const web6: PodObject = {
        ...web,
        status: { phase: 'Running', podIP: 'fd00:10:1::5', podIPs: [{ ip: 'fd00:10:1::5' }] },
      };
      const service6: WireObject = {
        ...service,
        spec: { ...(service.spec as object), clusterIP: SVC6, clusterIPs: [SVC6], ipFamilies: ['IPv6'] },
      };
      const p = planRun({
        namespace: 'prod',
        spec: { timeoutSeconds: 2, flows: [flow('s', { to: { service: 'api' }, port: 80 }), flow('p')] },
        pods: [api6, web6].map(toLivePod),
        serviceIps: serviceIpsOf([service6]),
      });
      assert.deepEqual(p.unplanned, []);
      assert.deepEqual(
        p.identities.flatMap((i) => i.probes.map((x) => [x.flow.name, x.ipFamily, x.target])),
        [
          ['s', 'IPv6', `[${SVC6}]:80`],
          ['p', 'IPv6', `[${V6}]:8080`],
        ],
      );
    });

    // A headless Service has `clusterIP: None`; an ExternalName Service may not have clusterIPs at all
    // (kubernetes pkg/apis/core/validation/validation.go, ValidateService: "may not be set for
    // ExternalName services"). Neither ever gains one, so no later run can plan the flow: not `waiting`.
    it('plans a flow that names a family for a headless or ExternalName Service as invalid, saying why', () => {
      const headless: WireObject = {
        metadata: { name: 'api-headless', namespace: 'prod' },
        spec: {
          selector: { app: 'api' },
          clusterIP: 'None',
          clusterIPs: ['None'],
          ipFamilies: ['IPv4', 'IPv6'],
        },
      };
      const external: WireObject = {
        metadata: { name: 'db', namespace: 'prod' },
        spec: { type: 'ExternalName', externalName: 'db.example.com' },
      };
      const services = [service, headless, external];
      const p = planRun({
        namespace: 'prod',
        spec: {
          timeoutSeconds: 2,
          flows: [
            flow('h', { to: { service: 'api-headless' }, port: 80, ipFamily: 'IPv6' }),
            flow('x', { to: { service: 'db' }, port: 5432, ipFamily: 'IPv4' }),
          ],
        },
        pods: [api, web].map(toLivePod),
        serviceIps: serviceIpsOf(services),
        servicesWithoutClusterIp: servicesWithoutClusterIpOf(services),
      });
      assert.deepEqual(
        p.unplanned.map((u) => [u.flow.name, u.kind]),
        [
          ['h', 'invalid'],
          ['x', 'invalid'],
        ],
      );
      assert.match(
        p.unplanned[0]?.reason ?? '',
        /headless Service \(clusterIP: None\): it has no cluster IP/,
      );
      assert.match(p.unplanned[1]?.reason ?? '', /ExternalName Service: it has no cluster IP/);
    });
  });

  describe('prediction', () => {
    it('predicts an IPv4-only ipBlock as allowing IPv4 and denying IPv6 to the same pod', () => {
      const p = new Predictor();
      const t = test([flow('v4', { ipFamily: 'IPv4' }), flow('v6', { ipFamily: 'IPv6' })]);
      const predictions = p.predict(t, cluster());
      assert.equal(predictions.get('v4')?.predicted, 'Allowed');
      assert.equal(predictions.get('v6')?.predicted, 'Denied');
    });

    it('predicts an IPv6 ipBlock as matching the IPv6 address only', () => {
      const v6Only: WireObject = {
        ...ipv4Only,
        spec: { ...(ipv4Only.spec as object), egress: [{ to: [{ ipBlock: { cidr: 'fd00:10::/32' } }] }] },
      };
      const t = test([flow('v4', { ipFamily: 'IPv4' }), flow('v6', { ipFamily: 'IPv6' })]);
      const predictions = new Predictor().predict(t, cluster([v6Only]));
      assert.equal(predictions.get('v4')?.predicted, 'Denied');
      assert.equal(predictions.get('v6')?.predicted, 'Allowed');
    });

    it("predicts a dual-stack Service's IPv6 clusterIP as the Service, through its pods' IPv6 addresses", () => {
      const t = test([flow('s6', { to: { ip: SVC6 }, port: 80, ipFamily: 'IPv6' })]);
      const e = new Predictor().predict(t, cluster()).get('s6');
      assert.match(e?.to ?? '', /svc prod\/api/);
      assert.equal(e?.predicted, 'Denied');
    });
  });

  describe('results', () => {
    const observation = (
      target: string,
      outcome: ProbeResult['outcome'],
      detail: string,
    ): FlowObservation => ({
      flow: 'a',
      target,
      result: { target, outcome, detail, message: '', durationMs: 10, settled: true, attempts: [] },
    });

    function run(flows: Flow[], observed: [string, FlowObservation][]): FlowResult[] {
      const t = test(flows);
      const predictor = new Predictor();
      const observations = new Map(observed);
      const common = { refusedMeans: 'Allowed', startupGraceMs: 0 } as const;
      const results = flowResults({
        ...common,
        flows,
        observations,
        predictions: predictor.predict(t, cluster()),
      });
      return withFamilies(results, {
        ...common,
        test: t,
        probes: plan(flows).identities.flatMap((i) => i.probes),
        observations,
        predict: (x) => predictor.predict(x, cluster()),
      });
    }

    it('gives a dual-stack flow one entry with a result per family; IPv6 Blocked as the IPv4-only policy predicts', () => {
      const [r] = run(
        [flow('a')],
        [
          [observationKey('a', 'IPv4'), observation(`${V4}:8080`, 'Connected', 'tcp-open')],
          [observationKey('a', 'IPv6'), observation(`[${V6}]:8080`, 'Blocked', 'timeout')],
        ],
      );
      assert.deepEqual(
        r?.families?.map((f) => [f.ipFamily, f.target, f.outcome, f.verdict, f.predicted]),
        [
          ['IPv4', `${V4}:8080`, 'Connected', 'Pass', 'Allowed'],
          ['IPv6', `[${V6}]:8080`, 'Blocked', 'Fail', 'Denied'],
        ],
      );
      assert.deepEqual([r.flow, r.verdict, r.outcome, r.predicted], ['a', 'Fail', 'Blocked', 'Denied']);
      assert.match(r.diagnosis, /^IPv6: expected Allowed, observed Blocked/);
    });

    it('keeps the family it probed on the result of a flow that names one', () => {
      const [r] = run(
        [flow('a', { ipFamily: 'IPv6' })],
        [[observationKey('a', 'IPv6'), observation(`[${V6}]:8080`, 'Blocked', 'timeout')]],
      );
      assert.deepEqual(
        [r?.ipFamily, r?.target, r?.predicted, r?.families],
        ['IPv6', `[${V6}]:8080`, 'Denied', undefined],
      );
    });

    it('predicts each family again when the policies change after the run', () => {
      const [r] = run(
        [flow('a')],
        [
          [observationKey('a', 'IPv4'), observation(`${V4}:8080`, 'Connected', 'tcp-open')],
          [observationKey('a', 'IPv6'), observation(`[${V6}]:8080`, 'Blocked', 'timeout')],
        ],
      );
      const obj = { ...test([flow('a')]), metadata: { name: 't', namespace: 'prod' } };
      const [again] = repredict(new Predictor(), obj, [r!], cluster([]));
      assert.deepEqual(
        again?.families?.map((f) => [f.ipFamily, f.verdict, f.predicted]),
        [
          ['IPv4', 'Pass', 'Allowed'],
          ['IPv6', 'Fail', 'Allowed'],
        ],
      );
    });

    it('lets the worst family decide the entry, IPv4 first on a tie', () => {
      const base = {
        flow: 'a',
        expected: 'Allowed',
        detail: '',
        predicted: 'Allowed',
        diagnosis: 'd',
      } as const;
      const pass4: FlowResult = { ...base, outcome: 'Connected', verdict: 'Pass', ipFamily: 'IPv4' };
      const err6: FlowResult = { ...base, outcome: 'Error', verdict: 'Error', ipFamily: 'IPv6' };
      const pass6: FlowResult = { ...pass4, ipFamily: 'IPv6' };
      assert.equal(mergeFamilies([pass4, err6]).verdict, 'Error');
      assert.equal(mergeFamilies([pass6, pass4]).diagnosis, 'IPv4: d');
    });
  });
});
