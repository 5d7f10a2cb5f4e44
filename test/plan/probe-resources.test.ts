import { strict as assert } from 'node:assert';
import { probeResources, probesInFlight } from '../../src/plan/probe-resources.js';
import { MAX_CONCURRENT_PROBES } from '../../src/probe/index.js';

const limits = (n: number): [string, string] => {
  const l = probeResources(n).limits;
  return [l.memory, l.cpu];
};

describe('probe container resources', () => {
  it('keep the floor of 32Mi and 200m for a pod of few probes', () => {
    assert.deepEqual(limits(1), ['32Mi', '200m']);
    assert.deepEqual(limits(4), ['32Mi', '200m']);
  });

  it('grow with each probe in flight: 2Mi and 25m each', () => {
    assert.deepEqual(limits(9), ['34Mi', '325m']);
    assert.deepEqual(limits(12), ['40Mi', '400m']);
  });

  it('stop growing at the probes the script runs at once: more probes take longer, not more', () => {
    assert.equal(probesInFlight(100), MAX_CONCURRENT_PROBES);
    assert.deepEqual(limits(100), limits(MAX_CONCURRENT_PROBES));
    assert.deepEqual(limits(MAX_CONCURRENT_PROBES), ['48Mi', '500m']);
  });

  it('keep the requests small: a probe pod lives for seconds', () => {
    assert.deepEqual(probeResources(100).requests, { cpu: '10m', memory: '16Mi' });
  });
});
