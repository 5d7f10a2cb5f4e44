// Layer 2 (DESIGN.md, "Layers of test"): one identity's 100 flows, the most a ConnectivityTest holds, run
// by the probe script in one invocation from a network namespace, inside a cgroup with the memory and
// CPU limits that the probe pod of 100 probes gets (src/plan/probe-resources.ts). On a node the kubelet
// puts the container in such a cgroup: memory beyond the limit is OOM-killed, and the CPU limit is a CFS
// quota (kubernetes pkg/kubelet/kuberuntime/helpers_linux.go, `milliCPUToQuota`, 100 ms periods), under
// which a throttled nc or wget
// can see its own timeout run out before it gets the CPU to notice the answer: a false Blocked.
import { strict as assert } from 'node:assert';
import { probeResources } from '../../src/plan/probe-resources.js';
import { settleOptions } from '../../src/probe/settle.js';
import type { ProbeResult } from '../../src/probe/types.js';
import { NetLab } from '../support/netlab/lab.js';
import { mixedFlows } from '../support/netlab/mixed-flows.js';
import { PodCgroup, podLimits, type CgroupFigures } from '../support/netlab/pod-cgroup.js';
import { requireTools } from '../support/netlab/prereqs.js';

const PROBES = 100;
/** The smallest timeout a flow may have: the least room for a throttled tool. */
const T = 1;

describe('a probe pod of 100 flows, within the memory and CPU limits the pod gets', function () {
  this.timeout(240_000);
  const flows = mixedFlows(PROBES, T);
  let lab: NetLab | undefined;
  let cgroup: PodCgroup | undefined;
  let results: ProbeResult[] = [];
  let figures: CgroupFigures;

  before(async function () {
    const tools = requireTools(this, 'the probe pod limits test');
    const limits = podLimits(probeResources(PROBES).limits);
    const made = PodCgroup.create(`flowprobe-test-${process.pid}`, limits);
    if (typeof made === 'string') {
      const reason = `the probe pod limits test: no cgroup (${made})`;
      if (process.env.FLOWPROBE_REQUIRE_NETNS === '1')
        throw new Error(`${reason} (FLOWPROBE_REQUIRE_NETNS=1)`);
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    cgroup = made;
    lab = await NetLab.create(tools);
    const run = await lab.probe(
      'c1',
      flows.map((f) => f.spec),
      settleOptions(T),
      cgroup,
    );
    results = run.results;
    figures = cgroup.figures();
  });

  after(async () => {
    await lab?.destroy();
    await cgroup?.remove();
  });

  it('gives every probe its right outcome: none killed, none falsely Blocked by throttling', () => {
    const wrong = flows.flatMap((f, i) => {
      const r = results[i];
      const seen = `${r?.outcome}/${r?.detail}`;
      return seen === `${f.outcome}/${f.detail}`
        ? []
        : [`#${i + 1} ${f.spec.kind}://${f.spec.host}: ${seen}`];
    });
    assert.deepEqual(wrong, [], `cgroup: ${JSON.stringify(figures)}`);
  });

  it('settles every probe', () => {
    assert.deepEqual(
      results.flatMap((r, i) => (r.settled ? [] : [i + 1])),
      [],
    );
  });
});
