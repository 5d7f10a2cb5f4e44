import { strict as assert } from 'node:assert';
import type { ClusterFlowResult } from '../../src/api/types.js';
import { verdictEvents } from '../../src/controller/verdict-events.js';
import { withNamespaces } from '../../src/verdict/cluster-status.js';
import { statusAfterRun } from '../../src/verdict/status.js';

const result = (namespace: string, verdict: ClusterFlowResult['verdict']): ClusterFlowResult => ({
  namespace,
  flow: 'no-metadata',
  expected: 'Denied',
  outcome: verdict === 'Pass' ? 'Blocked' : 'Connected',
  detail: '',
  verdict,
  predicted: 'Denied',
  diagnosis: verdict === 'Pass' ? 'as expected' : 'expected Denied, observed Connected',
});

describe("a ClusterConnectivityTest's status", () => {
  const run = (time: string, results: ClusterFlowResult[], previous?: ReturnType<typeof statusAfterRun>) =>
    statusAfterRun(previous, { generation: 1, runId: time, time, results });

  it('keeps each namespace’s result apart: one flow, two namespaces, two transition times', () => {
    const first = run('2026-12-01T10:00:00Z', [result('a', 'Pass'), result('b', 'Pass')]);
    const second = run('2026-12-01T11:00:00Z', [result('a', 'Pass'), result('b', 'Fail')], first);
    assert.deepEqual(
      second.results?.map((r) => [(r as ClusterFlowResult).namespace, r.lastTransitionTime]),
      [
        ['a', '2026-12-01T10:00:00Z'],
        ['b', '2026-12-01T11:00:00Z'],
      ],
    );
    assert.equal(second.conditions?.find((c) => c.type === 'Passing')?.message, 'drift in b/no-metadata');
  });

  it('raises a drift event naming only the namespace that drifted', () => {
    const events = verdictEvents(
      [result('a', 'Pass'), result('b', 'Pass')],
      [result('a', 'Pass'), result('b', 'Fail')],
    );
    assert.deepEqual(
      events.map((e) => [e.reason, e.note]),
      [['DriftDetected', 'b/no-metadata: expected Denied, observed Connected']],
    );
  });

  it('says which namespaces were probed, and that sampling left some out', () => {
    const status = withNamespaces(
      run('2026-12-01T10:00:00Z', [result('a', 'Pass')]),
      { matched: 3, probed: ['a'], sampled: true },
      'probed 1 of 3 matching namespaces',
      1,
      '2026-12-01T10:00:00Z',
    );
    assert.deepEqual(status.namespaces, { matched: 3, probed: ['a'] });
    const sampled = status.conditions?.find((c) => c.type === 'NamespacesSampled');
    assert.deepEqual([sampled?.status, sampled?.reason], ['True', 'MoreNamespacesThanMax']);
  });

  it('does not call a run that matched no namespace a pass', () => {
    const status = withNamespaces(
      run('2026-12-01T10:00:00Z', []),
      { matched: 0, probed: [], sampled: false },
      'probed all 0 matching namespaces: none',
      1,
      '2026-12-01T10:00:00Z',
    );
    const passing = status.conditions?.find((c) => c.type === 'Passing');
    assert.deepEqual([passing?.status, passing?.reason], ['Unknown', 'NoMatchingNamespaces']);
  });
});
