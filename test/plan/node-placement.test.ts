import { strict as assert } from 'node:assert';
import type { Flow } from '../../src/api/types.js';
import type { LivePod } from '../../src/plan/live-pod.js';
import {
  nodeAffinity,
  planPlacement,
  sampleNodes,
  schedulableNodes,
  type NodePin,
} from '../../src/plan/node-placement.js';
import { probePod } from '../../src/plan/probe-pod.js';
import { planRun } from '../../src/plan/run-plan.js';

function pod(name: string, labels: Record<string, string>, extra: Partial<LivePod> = {}): LivePod {
  return {
    namespace: 'prod',
    name,
    labels,
    phase: 'Running',
    podIP: `10.0.0.${name.length}`,
    deleting: false,
    hostNetwork: false,
    ...extra,
  };
}

const pods: LivePod[] = [
  pod('api-1', { app: 'api' }, { nodeName: 'worker-b', podIP: '10.0.1.7' }),
  pod('web-1', { app: 'web' }, { nodeName: 'worker-a' }),
  pod('dns-1', { app: 'dns' }, { nodeName: 'control-plane', toleratesNoSchedule: true }),
  pod('proxy-1', { app: 'proxy' }, { nodeName: 'worker-c', hostNetwork: true }),
  pod('gone', { app: 'old' }, { nodeName: 'worker-d', phase: 'Succeeded' }),
];

function flow(name: string, over: Partial<Flow>): Flow {
  return {
    name,
    from: { labels: { app: 'client' } },
    to: { podSelector: { matchLabels: { app: 'api' } } },
    port: 8080,
    expect: 'Allowed',
    ...over,
  };
}

const plan = (flows: Flow[], clusterNodes?: string[]) =>
  planRun({
    namespace: 'prod',
    spec: { timeoutSeconds: 3, flows },
    pods,
    ...(clusterNodes ? { clusterNodes } : {}),
    serviceSelector: (ns, name) => (ns === 'prod' && name === 'api' ? { app: 'api' } : undefined),
  });

describe('node placement', () => {
  it('pins a pod with required node affinity on metadata.name, as the DaemonSet controller does', () => {
    assert.deepEqual(nodeAffinity({ operator: 'NotIn', nodes: ['worker-b'] }), {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['worker-b'] }] },
          ],
        },
      },
    });
  });

  // kube-apiserver: one value per node field requirement (ValidateNodeFieldSelectorRequirement,
  // kubernetes pkg/apis/core/validation/validation.go); terms are ORed, a term's requirements ANDed.
  it('pins to several nodes with one single-value term per node (In) or one requirement per node (NotIn)', () => {
    const field = (operator: string, node: string) => ({ key: 'metadata.name', operator, values: [node] });
    const terms = (pin: NodePin) =>
      (nodeAffinity(pin).nodeAffinity as { requiredDuringSchedulingIgnoredDuringExecution: unknown })
        .requiredDuringSchedulingIgnoredDuringExecution;
    assert.deepEqual(terms({ operator: 'In', nodes: ['a', 'b'] }), {
      nodeSelectorTerms: [{ matchFields: [field('In', 'a')] }, { matchFields: [field('In', 'b')] }],
    });
    assert.deepEqual(terms({ operator: 'NotIn', nodes: ['a', 'b'] }), {
      nodeSelectorTerms: [{ matchFields: [field('NotIn', 'a'), field('NotIn', 'b')] }],
    });
  });

  it('counts as schedulable the nodes of running ordinary pods: not tainted-only, not host-networked, not finished', () => {
    assert.deepEqual(schedulableNodes(pods), ['worker-a', 'worker-b']);
  });

  it('samples at most the cap of nodes, the same ones whatever their order', () => {
    const many = Array.from({ length: 25 }, (_, i) => `node-${i}`);
    const a = sampleNodes(many, 10);
    assert.equal(a.length, 10);
    assert.deepEqual(sampleNodes([...many].reverse(), 10), a);
    assert.notDeepEqual(a, many.slice(0, 10), 'a hash sample, not the first names');
    assert.deepEqual(sampleNodes(['b', 'a'], 10), ['a', 'b']);
  });

  it('plans SameNode In the target pod’s node and OtherNode NotIn it', () => {
    const p = plan([flow('same', { placement: 'SameNode' }), flow('other', { placement: 'OtherNode' })]);
    assert.deepEqual(
      p.identities.map((i) => [i.probes.map((x) => x.flow.name), i.slot?.pin]),
      [
        [['same'], { operator: 'In', nodes: ['worker-b'] }],
        [['other'], { operator: 'NotIn', nodes: ['worker-b'] }],
      ],
    );
  });

  it('places a Service target relative to the nodes of the pods it selects', () => {
    const p = plan([flow('svc', { to: { service: 'api' }, placement: 'SameNode' })]);
    assert.deepEqual(p.identities[0]?.slot?.pin, { operator: 'In', nodes: ['worker-b'] });
    const unknown = plan([flow('svc', { to: { service: 'nope' }, placement: 'OtherNode' })]);
    assert.match(unknown.unplanned[0]?.reason ?? '', /cannot place the probe OtherNode: Service prod\/nope/);
  });

  it('plans EachNode as one probe pod per node, and shares a pod between flows with the same pin', () => {
    const p = plan(
      [flow('each', { placement: 'EachNode' }), flow('same', { placement: 'SameNode' }), flow('free', {})],
      ['worker-a', 'worker-b'],
    );
    assert.deepEqual(
      p.identities.map((i) => [i.slot?.pin.nodes ?? 'anywhere', i.probes.map((x) => x.flow.name)]),
      [
        [['worker-a'], ['each']],
        [['worker-b'], ['each', 'same']],
        ['anywhere', ['free']],
      ],
    );
    assert.deepEqual(
      p.identities[0]?.probes.map((x) => x.slot?.node),
      ['worker-a'],
    );
  });

  it('says why a flow cannot be placed instead of running it anywhere', () => {
    const unscheduled = planRun({
      namespace: 'prod',
      spec: { timeoutSeconds: 3, flows: [flow('same', { placement: 'SameNode' })] },
      pods: [pod('api-1', { app: 'api' })],
    });
    assert.deepEqual(unscheduled.identities, []);
    assert.match(unscheduled.unplanned[0]?.reason ?? '', /not scheduled to a node yet/);
    assert.equal(unscheduled.unplanned[0]?.kind, 'waiting');
    const noNodes = plan([flow('each', { placement: 'EachNode' })], []);
    assert.match(noNodes.unplanned[0]?.reason ?? '', /cannot place the probe EachNode/);
  });

  it('reports a sample on every slot when there are more nodes than the cap', () => {
    const placed = planPlacement(
      'EachNode',
      [],
      Array.from({ length: 12 }, (_, i) => `n${i}`),
    );
    assert.ok('slots' in placed);
    assert.equal(placed.slots.length, 10);
    assert.ok(placed.slots.every((s) => s.sampledFrom === 12));
  });

  it('puts the affinity and a placement annotation on the probe pod, and nothing on an unplaced one', () => {
    const base = {
      test: { name: 't', namespace: 'prod', uid: 'u' },
      runId: 'r',
      identityLabels: { app: 'client' },
      identityName: 'client',
      image: 'busybox',
      command: ['sh', '-c', 'x'],
      deadlineSeconds: 60,
      probeCount: 1,
    };
    const slot = { placement: 'OtherNode' as const, pin: { operator: 'NotIn' as const, nodes: ['n1'] } };
    const placed = probePod({ ...base, slot });
    assert.deepEqual(placed.spec.affinity, nodeAffinity(slot.pin));
    assert.equal(placed.metadata.annotations?.['flowprobe.dev/placement'], 'OtherNode');
    const free = probePod(base);
    assert.equal(free.spec.affinity, undefined);
    assert.equal(free.metadata.annotations, undefined);
  });
});
