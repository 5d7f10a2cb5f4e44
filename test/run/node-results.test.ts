import { strict as assert } from 'node:assert';
import type { FlowResult, Verdict } from '../../src/api/types.js';
import type { TestObject } from '../../src/kube/objects.js';
import { eachNodeResult } from '../../src/run/node-results.js';
import { Predictor, type ClusterObjects } from '../../src/run/predict.js';
import { repredict } from '../../src/run/repredict.js';
import { FakePodCache } from '../support/fake-pod-cache.js';
import { WEB_TO_API } from '../support/web-to-api.js';

function result(verdict: Verdict, outcome: FlowResult['outcome'], diagnosis: string): FlowResult {
  return {
    flow: 'f',
    expected: 'Allowed',
    outcome,
    detail: outcome.toLowerCase(),
    verdict,
    predicted: 'Allowed',
    diagnosis,
    durationMs: 5,
  };
}

const pass = result('Pass', 'Connected', 'as expected: connected');
const blocked = result('Fail', 'Blocked', 'expected Allowed, observed Blocked, policies allow it: …');

describe("an EachNode flow's result", () => {
  it('takes its verdict from the worst node, lists every node, and names the one node that fails', () => {
    const r = eachNodeResult([
      { node: 'n1', result: pass },
      { node: 'n2', result: blocked },
      { node: 'n3', result: pass },
    ]);
    assert.equal(r.verdict, 'Fail');
    assert.equal(r.outcome, 'Blocked');
    assert.equal(r.node, 'n2');
    assert.deepEqual(
      r.nodes?.map((n) => [n.node, n.verdict, n.outcome]),
      [
        ['n1', 'Pass', 'Connected'],
        ['n2', 'Fail', 'Blocked'],
        ['n3', 'Pass', 'Connected'],
      ],
    );
    assert.match(r.diagnosis, /^only probes from node n2 fail \(Blocked from n2; 2 other nodes pass\)/);
    assert.match(r.diagnosis, /a fault local to that node is likely/);
  });

  it('blames no node when every node agrees, and says when the nodes were a sample', () => {
    const all = eachNodeResult(
      [
        { node: 'n1', result: blocked },
        { node: 'n2', result: blocked },
      ],
      14,
    );
    assert.doesNotMatch(all.diagnosis, /only probes/);
    assert.match(all.diagnosis, /from every node: n1, n2; probed a sample of 2 of 14 nodes/);
    const ok = eachNodeResult([{ node: 'n1', result: pass }]);
    assert.equal(ok.verdict, 'Pass');
    assert.match(ok.diagnosis, /from the only node found running ordinary pods, n1\)$/);
    const both = eachNodeResult([
      { node: 'n1', result: pass },
      { node: 'n2', result: pass },
    ]);
    assert.match(both.diagnosis, /\(from all 2 nodes found running ordinary pods\)$/);
  });

  it('names at most five nodes in a list, then how many more, so a long list stays within the status', () => {
    const node = (i: number) => `node-${String(i).padStart(2, '0')}-${'x'.repeat(240)}`;
    const failing = eachNodeResult(
      Array.from({ length: 10 }, (_, i) => ({ node: node(i), result: blocked })),
    );
    assert.match(failing.diagnosis, new RegExp(`from every node: ${node(0)}, .*${node(4)} and 5 more\\)$`));
    assert.doesNotMatch(failing.diagnosis, new RegExp(node(5)));
    const some = eachNodeResult([
      { node: 'ok', result: pass },
      ...Array.from({ length: 8 }, (_, i) => ({ node: node(i), result: blocked })),
    ]);
    assert.match(
      some.diagnosis,
      /^only probes from nodes node-00-x+, (node-0\d-x+, ){3}node-04-x+ and 3 more fail \(/,
    );
    assert.match(some.diagnosis, /Blocked from node-04-x+ and 3 more; 1 other node passes\)/);
    assert.ok(some.diagnosis.length < 4096, `${some.diagnosis.length} characters`);
  });

  it('says the probe could not run on a node whose probe is only an Error', () => {
    const error = result('Error', 'Error', 'the probe could not run (pod-not-started): Unschedulable');
    const r = eachNodeResult([
      { node: 'n1', result: pass },
      { node: 'n2', result: error },
    ]);
    assert.equal(r.verdict, 'Error');
    assert.match(
      r.diagnosis,
      /only probes from node n2 fail \(Error from n2; 1 other node passes\): the probe could not run there/,
    );
  });
});

describe("re-predicting an EachNode flow's stored result", () => {
  it('keeps naming the node that failed, with the new prediction in its sentence', () => {
    const test = {
      ...WEB_TO_API,
      metadata: { ...WEB_TO_API.metadata, uid: 'u' },
      spec: {
        flows: WEB_TO_API.spec.flows.map((f) => ({ ...f, placement: 'EachNode' as const })),
      },
    } as TestObject;
    const stored = eachNodeResult(
      [
        { node: 'n1', result: { ...pass, flow: 'web-to-api' } },
        { node: 'n2', result: { ...blocked, flow: 'web-to-api' } },
      ],
      12,
    );
    const cluster: ClusterObjects = {
      namespaces: [{ metadata: { name: 'prod' } }],
      pods: new FakePodCache().source,
      services: [],
      policies: [],
    };
    const [after] = repredict(new Predictor(), test, [stored], cluster);
    assert.ok(after);
    assert.match(after.diagnosis, /^only probes from node n2 fail \(Blocked from n2; 1 other node passes\)/);
    assert.match(after.diagnosis, /on n2: expected Allowed, observed Blocked/);
    assert.match(after.diagnosis, /probed a sample of 2 of 12 nodes$/);
    assert.deepEqual([after.verdict, after.node, after.nodesSampledFrom], ['Fail', 'n2', 12]);
  });
});
