// The FAKE scheduler's fit test (node-affinity.ts), against kube-scheduler's NodeAffinity filter rules
// (kubernetes pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go; component-helpers
// scheduling/corev1/nodeaffinity): nodeSelector AND required affinity; terms ORed; a term's requirements ANDed;
// matchFields only on metadata.name.
import { strict as assert } from 'node:assert';
import { fitsNode, nodeLabels, unschedulableMessage } from '../support/fake-cluster/node-affinity.js';
import type { k8s } from './helpers.js';

const node = (name: string) => ({ name, labels: nodeLabels(name) });
const pod = (spec: Partial<k8s.V1PodSpec>): k8s.V1Pod => ({ spec: { containers: [], ...spec } });
const fields = (operator: string, values: string[]) => ({
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator, values }] }],
      },
    },
  },
});

describe('the FAKE scheduler’s node fit', () => {
  const cases: [string, Partial<k8s.V1PodSpec>, boolean][] = [
    ['no constraint fits any node', {}, true],
    [
      'matchFields metadata.name In [the node] fits it (how a DaemonSet pins a pod)',
      fields('In', ['n1']),
      true,
    ],
    ['matchFields metadata.name In [another node] does not', fields('In', ['n2']), false],
    ['matchFields metadata.name NotIn [the node] does not', fields('NotIn', ['n1']), false],
    ['matchFields metadata.name NotIn [another node] does', fields('NotIn', ['n2']), true],
    [
      'nodeSelector on kubernetes.io/hostname fits its node',
      { nodeSelector: { 'kubernetes.io/hostname': 'n1' } },
      true,
    ],
    ['nodeSelector on a label the node lacks does not', { nodeSelector: { disk: 'ssd' } }, false],
    [
      'matchExpressions on kubernetes.io/hostname read the label',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n9'] }] },
                { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'Exists' }] },
              ],
            },
          },
        },
      },
      true,
    ],
    [
      'an empty term matches nothing',
      {
        affinity: {
          nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } },
        },
      },
      false,
    ],
    [
      'matchFields on anything but metadata.name matches nothing',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.uid', operator: 'Exists' }] }],
            },
          },
        },
      },
      false,
    ],
  ];
  for (const [what, spec, fits] of cases) {
    it(what, () => {
      assert.equal(fitsNode(pod(spec), node('n1')), fits);
    });
  }

  it('explains an unschedulable pod as kube-scheduler does', () => {
    assert.equal(
      unschedulableMessage(2),
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
  });
});
