// A ClusterConnectivityTest's status holds one result per flow and probed namespace, and an object in etcd
// is at most 1.5 MiB (etcd's --max-request-bytes default; kube-apiserver answers "etcdserver: request is
// too large", kubernetes/kubernetes#74600): the CRD's results-fit-status rule must refuse every spec whose
// status could not be written. Judged by the FAKE API server with the shipped CRD, which enforces etcd's
// limit (test/support/fake-apiserver/size-limits.ts). The results are the largest the operator writes in
// practice: long names, a diagnosis of a few hundred characters, every node and family filled in.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { MAX_PLACEMENT_NODES } from '../../src/api/spec-schema.js';
import type { FamilyResult, Flow, FlowResult, NodeResult } from '../../src/api/types.js';
import { CLUSTER_CRD_FILE } from '../../src/api/crd-yaml.js';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';
import { clientsFor, mergePatch } from '../fake-apiserver/harness.js';

const ROOT = new URL('../../', import.meta.url);
const API = { group: 'flowprobe.dev', version: 'v1alpha1', plural: 'clusterconnectivitytests' };
const long = (prefix: string, n: number) => `${prefix}-${'x'.repeat(n)}`.slice(0, n);
const FAMILIES = ['IPv4', 'IPv6'] as const;

interface Shape {
  what: string;
  flow: Partial<Flow>;
  nodes: number;
  families: number;
}

const SHAPES: Shape[] = [
  { what: 'a flow to an IP (one family)', flow: { to: { ip: '10.0.0.1' } }, nodes: 0, families: 0 },
  { what: 'a flow to a dual-stack Service', flow: { to: { service: 'web' } }, nodes: 0, families: 2 },
  {
    what: 'an EachNode flow that names its family',
    flow: { to: { service: 'web' }, placement: 'EachNode', ipFamily: 'IPv4' },
    nodes: MAX_PLACEMENT_NODES,
    families: 0,
  },
  {
    what: 'an EachNode flow to a dual-stack Service',
    flow: { to: { service: 'web' }, placement: 'EachNode' },
    nodes: MAX_PLACEMENT_NODES * 2,
    families: 2,
  },
];

function flowOf(shape: Shape, i: number): Flow {
  return {
    name: long(`f${i}`, 63),
    from: { labels: { app: 'probe' } },
    to: {},
    port: 8080,
    expect: 'Allowed',
    ...shape.flow,
  };
}

function result(shape: Shape, flow: string, namespace: string): FlowResult & { namespace: string } {
  const nodes: NodeResult[] = Array.from({ length: shape.nodes }, (_, n) => ({
    node: long(`ip-10-0-${n}-17.eu-west-1.compute.internal`, 60),
    outcome: 'Blocked',
    detail: 'no answer within 3s',
    verdict: 'Fail',
    durationMs: 3012,
    ...(shape.families > 0 ? { ipFamily: FAMILIES[n % 2] } : {}),
  }));
  const families: FamilyResult[] = FAMILIES.slice(0, shape.families).map((ipFamily) => ({
    ipFamily,
    target: ipFamily === 'IPv4' ? '10.96.123.45:8080' : '[fd00:10:96::1234:5678]:8080',
    outcome: 'Blocked',
    detail: 'no answer within 3s (3 attempts)',
    verdict: 'Fail',
    predicted: 'Allowed',
    diagnosis: long('the policies allow this path but the probe timed out; ', 300),
    node: nodes[0]?.node ?? long('node', 60),
  }));
  return {
    namespace,
    flow,
    expected: 'Allowed',
    outcome: 'Blocked',
    detail: 'no answer within 3s (3 attempts)',
    verdict: 'Fail',
    predicted: 'Allowed',
    diagnosis: long('only probes from node ip-10-0-3-17 fail; the policies allow this path; ', 400),
    target: `service ${long('web', 63)}.${namespace}:8080`,
    durationMs: 9034,
    attempts: 3,
    lastTransitionTime: '2026-01-01T00:00:00Z',
    ...(shape.nodes > 0 ? { node: nodes[0]!.node, nodes } : {}),
    ...(families.length > 0 ? { families } : {}),
  };
}

describe('the ClusterConnectivityTest status fits in etcd', function () {
  this.timeout(60_000);
  let server: FakeApiServer;
  before(async () => {
    const crd = parse(await readFile(new URL(CLUSTER_CRD_FILE, ROOT), 'utf8')) as KubeObject;
    server = await FakeApiServer.start({ objects: [crd] });
  });
  after(() => server.stop());

  const create = async (name: string, flows: Flow[], maxNamespaces: number): Promise<boolean> => {
    const body = {
      apiVersion: 'flowprobe.dev/v1alpha1',
      kind: 'ClusterConnectivityTest',
      metadata: { name },
      spec: { namespaceSelector: {}, maxNamespaces, flows },
    };
    try {
      await clientsFor(server).custom.createClusterCustomObject({ ...API, body });
      return true;
    } catch {
      return false;
    }
  };

  SHAPES.forEach((shape, s) => {
    it(`takes the full status of the largest spec it admits of ${shape.what}`, async () => {
      const namespaces = 10;
      let count = 100;
      const name = `shape-${s}`;
      const flowsOf = (n: number) => Array.from({ length: n }, (_, i) => flowOf(shape, i));
      while (count > 0 && !(await create(name, flowsOf(count), namespaces))) count--;
      assert.ok(count > 0, 'admits at least one flow');
      const results = flowsOf(count).flatMap((f) =>
        Array.from({ length: namespaces }, (_, n) => result(shape, f.name, long(`tenant-${n}`, 63))),
      );
      const status = {
        summary: { flows: results.length, passed: 0, failed: results.length, errors: 0 },
        namespaces: { matched: namespaces, probed: results.map((r) => r.namespace).slice(0, namespaces) },
        results,
      };
      await clientsFor(server).custom.patchClusterCustomObjectStatus(
        { ...API, name, body: { status } },
        mergePatch,
      );
    });
  });
});
