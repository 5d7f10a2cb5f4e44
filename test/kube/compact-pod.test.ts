// A cached pod is kept compact (src/kube/compact-pod.ts): it must answer what prediction and planning ask
// exactly as the whole pod does, share what a ReplicaSet's pods repeat, and let go of what no pod uses.
import { strict as assert } from 'node:assert';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Problems } from '../../src/explain/narrow.js';
import { readWorkload } from '../../src/explain/read-workload.js';
import { compactPod, isCompactPod, packAddress } from '../../src/kube/compact-pod.js';
import { Interner } from '../../src/kube/interner.js';
import type { PodObject } from '../../src/kube/objects.js';
import { cachedPod } from '../../src/kube/trim.js';
import { toLivePod } from '../../src/run/run-test.js';

const labels = { app: 'api', 'pod-template-hash': '6d9f', tier: 'backend' };

/** A pod as kube-apiserver serves it; `status` and `spec` parts replace the defaults. */
function pod(name: string, parts: { status?: object; spec?: object; meta?: object; labels?: object } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'prod',
      resourceVersion: '42',
      uid: `uid-${name}`,
      labels: parts.labels ?? { ...labels },
      annotations: { 'prometheus.io/scrape': 'true' },
      managedFields: [{ manager: 'kubelet', operation: 'Update' }],
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-6d9f', uid: 'u', controller: true },
      ],
      ...parts.meta,
    },
    spec: {
      serviceAccountName: 'api',
      containers: [
        {
          name: 'api',
          image: 'example/api:1',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { containerPort: 9000 }],
        },
        { name: 'dns', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] },
      ],
      ...parts.spec,
    },
    status: parts.status ?? {
      phase: 'Running',
      podIP: '10.1.0.7',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
    },
  } as unknown as PodObject;
}

const ready = (status: string) => [{ type: 'Ready', status }];
const CASES: [string, PodObject][] = [
  ['running and ready', pod('a')],
  [
    'running, not ready',
    pod('b', { status: { phase: 'Running', podIP: '10.1.0.8', conditions: ready('False') } }),
  ],
  ['pending, no conditions yet', pod('c', { status: { phase: 'Pending' } })],
  ['succeeded, keeping its address', pod('d', { status: { phase: 'Succeeded', podIP: '10.1.0.7' } })],
  ['running, without conditions (a manifest)', pod('e', { status: { phase: 'Running', podIP: '10.1.0.9' } })],
  [
    'terminating',
    pod('f', {
      meta: { deletionTimestamp: '2026-11-24T10:00:00Z' },
      status: { phase: 'Running', podIP: '10.1.0.10', conditions: ready('True') },
    }),
  ],
  ['on the host network', pod('g', { spec: { hostNetwork: true } })],
  [
    'with an IPv6 address',
    pod('h', { status: { phase: 'Running', podIP: 'fd00::7', conditions: ready('True') } }),
  ],
  ['without status', { ...pod('i'), status: undefined }],
  ['without labels or ports', pod('j', { labels: {}, spec: { containers: [{ name: 'c' }] } })],
  ['at the ends of the IPv4 range', pod('k', { status: { phase: 'Running', podIP: '255.255.255.255' } })],
  ['at 0.0.0.0', pod('l', { status: { phase: 'Running', podIP: '0.0.0.0' } })],
  ['bound to a node', pod('m', { spec: { nodeName: 'worker-2' } })],
  [
    'tolerating a NoSchedule taint (a system pod)',
    pod('n', {
      spec: {
        nodeName: 'control-plane',
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      },
    }),
  ],
  [
    'tolerating only NoExecute taints (as every Deployment pod does)',
    pod('o', { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] } }),
  ],
  [
    'dual-stack, IPv4 first',
    pod('p', {
      status: { phase: 'Running', podIP: '10.1.0.11', podIPs: [{ ip: '10.1.0.11' }, { ip: 'fd00::b' }] },
    }),
  ],
  [
    'dual-stack, IPv6 first',
    pod('q', {
      status: { phase: 'Running', podIP: 'fd00::c', podIPs: [{ ip: 'fd00::c' }, { ip: '10.1.0.12' }] },
    }),
  ],
];

/** The endpoint fields, as plain data (a CompactPod computes some of them). */
function endpoint(e: {
  kind: string;
  namespace: string;
  name: string;
  labels: object;
  ports: object[];
  ip?: string;
  secondIp?: string;
  hostNetwork?: boolean;
  serving?: boolean;
}) {
  const { kind, namespace, name, labels: l, ports, ip, secondIp, hostNetwork, serving } = e;
  return {
    kind,
    namespace,
    name,
    labels: { ...l },
    ports: ports.map((p) => ({ ...p })),
    ip,
    secondIp,
    hostNetwork,
    serving,
  };
}

describe('a compact pod', () => {
  for (const [what, wire] of CASES) {
    it(`answers prediction and planning as the whole pod does: ${what}`, () => {
      const compact = compactPod(wire, new Interner());
      const p = new Problems();
      const read = readWorkload(wire, 'Pod', 'prod', wire.metadata.name, p);
      assert.deepEqual(p.list, []);
      assert.deepEqual(endpoint(compact), endpoint(read));
      assert.deepEqual(toLivePod(compact), toLivePod(wire));
    });
  }

  it('keeps what the list-watch cache compares and resumes from, and nothing the operator does not read', () => {
    const compact = compactPod(pod('a'), new Interner());
    assert.deepEqual(compact.metadata, { name: 'a', namespace: 'prod', resourceVersion: '42', labels });
    const kept = JSON.stringify(compact);
    for (const gone of ['managedFields', 'uid-a', 'prometheus', 'ReplicaSet', 'PodScheduled', 'example/api'])
      assert.ok(!kept.includes(gone), `${gone} is not kept: ${kept}`);
  });

  it('keeps its node name as one interned string shared by the pods of that node', () => {
    const interner = new Interner();
    const a = compactPod(pod('a', { spec: { nodeName: ['worker', 2].join('-') } }), interner);
    const b = compactPod(pod('b', { spec: { nodeName: ['worker', '2'].join('-') } }), interner);
    assert.equal(a.nodeName, 'worker-2');
    assert.equal(toLivePod(a).nodeName, 'worker-2');
    assert.equal(interner.string('worker-2'), a.nodeName);
    assert.equal(b.nodeName, a.nodeName);
  });

  it("keeps a dual-stack pod's second address, and a single-stack pod's address as one small integer", () => {
    const dual = compactPod(CASES.find(([w]) => w === 'dual-stack, IPv4 first')![1], new Interner());
    assert.deepEqual([dual.ip, dual.secondIp], ['10.1.0.11', 'fd00::b']);
    const single = compactPod(
      pod('s', { status: { phase: 'Running', podIP: '10.1.0.7', podIPs: [{ ip: '10.1.0.7' }] } }),
      new Interner(),
    );
    assert.equal(typeof (single as unknown as { address: unknown }).address, 'number');
    assert.equal(single.secondIp, undefined);
  });

  it('packs an IPv4 address into a small integer and keeps anything else as text', () => {
    assert.equal(typeof packAddress('10.1.0.7'), 'number');
    for (const text of ['fd00::7', '010.1.0.7', '10.1.0.256', '10.1.0', ' 10.1.0.7'])
      assert.equal(packAddress(text), text, text);
  });

  it('shares one frozen label set and one port list among the pods of a ReplicaSet', () => {
    const interner = new Interner();
    const [a, b] = [pod('api-1'), pod('api-2')].map((p) => compactPod(p, interner));
    assert.ok(a && b);
    assert.equal(a.labels, b.labels);
    assert.equal(a.ports, b.ports);
    assert.ok(Object.isFrozen(a.labels) && Object.isFrozen(a.ports) && Object.isFrozen(a.ports[0]));
    assert.throws(() => {
      a.labels.app = 'web';
    }, TypeError);
    // The same labels in another order are the same set.
    const reordered = compactPod(
      pod('api-3', { labels: { tier: 'backend', 'pod-template-hash': '6d9f', app: 'api' } }),
      interner,
    );
    assert.equal(reordered.labels, a.labels);
  });

  it('gives a pod whose labels change a new set, and leaves the old set to the pods that have it', () => {
    const interner = new Interner();
    const before = compactPod(pod('api-1'), interner);
    const sibling = compactPod(pod('api-2'), interner);
    const after = compactPod(pod('api-1', { labels: { ...labels, canary: 'true' } }), interner);
    assert.notEqual(after.labels, before.labels);
    assert.deepEqual(after.labels, { ...labels, canary: 'true' });
    assert.deepEqual(sibling.labels, labels);
    assert.equal(sibling.labels, before.labels);
  });

  it('lets go of label sets no pod uses any more (a finished rollout)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const interner = new Interner();
    for (let i = 0; i < 3000; i++)
      compactPod(pod(`old-${i}`, { labels: { ...labels, 'pod-template-hash': `old-${i}` } }), interner);
    // A WeakRef keeps its target for the rest of the job that made it.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const kept = Array.from({ length: 1100 }, (_, i) =>
      compactPod(pod(`new-${i}`, { labels: { ...labels, 'pod-template-hash': `new-${i}` } }), interner),
    );
    assert.ok(interner.size < 2500, `${interner.size} label sets held for ${kept.length} live pods`);
  });

  it('is what the cache keeps of a workload pod; a probe pod stays whole', () => {
    const interner = new Interner();
    assert.equal(isCompactPod(cachedPod(pod('a'), interner)), true);
    const probe = cachedPod(pod('probe', { labels: { app: 'api', 'flowprobe.dev/run-id': 'r1' } }), interner);
    assert.equal(isCompactPod(probe), false);
    assert.deepEqual((probe as PodObject).status?.conditions?.[0], { type: 'PodScheduled', status: 'True' });
  });
});
