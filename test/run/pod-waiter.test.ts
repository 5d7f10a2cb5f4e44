import { strict as assert } from 'node:assert';
import type { PodObject } from '../../src/kube/objects.js';
import { PodWaiter } from '../../src/run/pod-waiter.js';

const ours = { 'flowprobe.dev/run-id': '1-abcd' };

function pod(name: string, phase: string, labels: Record<string, string> = ours): PodObject {
  return { metadata: { name, namespace: 'prod', labels }, status: { phase: phase as 'Running' } };
}

describe('waiting for a probe pod', () => {
  it('returns a pod that finished before anyone waited', async () => {
    const w = new PodWaiter();
    w.observe(pod('a', 'Succeeded'));
    const r = await w.wait('prod', 'a', 1000);
    assert.equal(r.kind, 'finished');
  });

  it('resolves when the pod finishes after the wait began', async () => {
    const w = new PodWaiter();
    const pending = w.wait('prod', 'a', 1000);
    w.observe(pod('a', 'Running'));
    w.observe(pod('a', 'Failed'));
    const r = await pending;
    assert.ok(r.kind === 'finished' && r.progress.state === 'done' && r.progress.phase === 'Failed');
  });

  it('says when the pod was deleted before it finished', async () => {
    const w = new PodWaiter();
    const pending = w.wait('prod', 'a', 1000);
    w.forget('prod', 'a');
    assert.deepEqual(await pending, { kind: 'deleted' });
  });

  it('gives up on a pod that has not started by its start deadline, with the last state it saw', async () => {
    const w = new PodWaiter();
    w.observe(pod('a', 'Pending'));
    const r = await w.wait('prod', 'a', 60_000, { startWithinMs: 10 });
    assert.ok(r.kind === 'not-started' && r.last?.status?.phase === 'Pending');
  });

  it('keeps waiting past the start deadline for a pod that is running', async () => {
    const w = new PodWaiter();
    w.observe(pod('a', 'Running'));
    const pending = w.wait('prod', 'a', 60_000, { startWithinMs: 10 });
    setTimeout(() => {
      w.observe(pod('a', 'Succeeded'));
    }, 30);
    assert.equal((await pending).kind, 'finished');
  });

  it('times out with the last state it saw', async () => {
    const w = new PodWaiter();
    w.observe(pod('a', 'Pending'));
    const r = await w.wait('prod', 'a', 10);
    assert.ok(r.kind === 'timeout' && r.last?.status?.phase === 'Pending');
  });

  it('ends at once when its signal aborts (the run was stopped), saying why', async () => {
    const w = new PodWaiter();
    const controller = new AbortController();
    // An hour's timeout: only the abort can end this wait within the test's time.
    const pending = w.wait('prod', 'a', 3600_000, { signal: controller.signal });
    controller.abort(new Error('interrupted (SIGINT)'));
    assert.deepEqual(await pending, { kind: 'aborted', reason: 'interrupted (SIGINT)' });
  });

  it('does not start waiting on an already aborted signal', async () => {
    const w = new PodWaiter();
    const r = await w.wait('prod', 'a', 3600_000, {
      signal: AbortSignal.abort(new Error('timed out after 5s')),
    });
    assert.deepEqual(r, { kind: 'aborted', reason: 'timed out after 5s' });
  });

  it("ignores pods that are not flowprobe's and counts its own as alive", async () => {
    const w = new PodWaiter();
    w.observe(pod('web', 'Succeeded', { app: 'web' }));
    w.observe(pod('a', 'Running'));
    assert.equal(w.alive, 1);
    assert.equal((await w.wait('prod', 'web', 10)).kind, 'timeout');
  });
});
