import { strict as assert } from 'node:assert';
import type { PodObject } from '../../src/kube/objects.js';
import { podProgress } from '../../src/run/pod-progress.js';

function pod(status: PodObject['status']): PodObject {
  return { metadata: { name: 'p' }, status };
}

describe("reading a probe pod's progress", () => {
  const cases: [string, PodObject['status'], string, string?][] = [
    ['a pod with no status yet is pending', {}, 'pending'],
    ['a running pod is running', { phase: 'Running' }, 'running'],
    ['a succeeded pod is done', { phase: 'Succeeded' }, 'done'],
    [
      'a pod killed at its deadline is done, with the reason',
      { phase: 'Failed', reason: 'DeadlineExceeded' },
      'done',
      'DeadlineExceeded',
    ],
    [
      'an image that cannot be pulled is stuck, not pending',
      {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'probe',
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } },
          },
        ],
      },
      'stuck',
      'ImagePullBackOff',
    ],
    [
      'a first pull error may still recover, so it is pending',
      {
        phase: 'Pending',
        containerStatuses: [{ name: 'probe', state: { waiting: { reason: 'ErrImagePull' } } }],
      },
      'pending',
      'ErrImagePull',
    ],
    [
      "an unschedulable pod is pending with the scheduler's reason",
      {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes' },
        ],
      },
      'pending',
      'Unschedulable',
    ],
  ];
  for (const [name, status, state, reason] of cases) {
    it(name, () => {
      const p = podProgress(pod(status));
      assert.equal(p.state, state);
      if (reason) assert.equal('reason' in p ? p.reason : undefined, reason);
    });
  }
});

describe('reading a placed probe pod’s progress', () => {
  it('calls an Unschedulable pod pinned by its placement stuck at once, with the scheduler’s message', () => {
    const message = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.";
    const placed: PodObject = {
      metadata: { name: 'p', annotations: { 'flowprobe.dev/placement': 'OtherNode' } },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
      },
    };
    assert.deepEqual(podProgress(placed), { state: 'stuck', reason: 'Unschedulable', message });
  });
});
