import { strict as assert } from 'node:assert';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { toJsonSchema } from '../../src/api/json-schema.js';
import { STATUS_SCHEMA } from '../../src/api/status-schema.js';
import type { ConnectivityTestStatus } from '../../src/api/types.js';

const ajv = new Ajv({ allErrors: true, strict: true });
addFormatsPlugin.default(ajv);
const check = ajv.compile(toJsonSchema(STATUS_SCHEMA));

const status: ConnectivityTestStatus = {
  observedGeneration: 3,
  lastRunTime: '2026-11-24T04:00:00Z',
  runId: 'r-1',
  summary: { flows: 2, passed: 1, failed: 1, errors: 0 },
  conditions: [
    {
      type: 'Ready',
      status: 'True',
      reason: 'RunCompleted',
      message: '',
      lastTransitionTime: '2026-11-24T04:00:00Z',
    },
    {
      type: 'Passing',
      status: 'False',
      reason: 'Drift',
      message: 'frontend-to-api: expected Allowed, observed Blocked',
      observedGeneration: 3,
      lastTransitionTime: '2026-11-24T04:00:00Z',
    },
  ],
  results: [
    {
      flow: 'frontend-to-api',
      expected: 'Allowed',
      outcome: 'Blocked',
      detail: 'no answer within 2s',
      verdict: 'Fail',
      predicted: 'Allowed',
      diagnosis: 'expected Allowed, observed Blocked, policies allow it',
      target: '10.244.1.7:8080',
      durationMs: 2004,
      attempts: 3,
      lastTransitionTime: '2026-11-24T04:00:00Z',
    },
    {
      flow: 'web-to-site',
      expected: 'Allowed',
      outcome: 'Connected',
      detail: '',
      verdict: 'Pass',
      predicted: 'Unknown',
      diagnosis: '',
      httpStatus: 503,
    },
  ],
};

describe('the status schema', () => {
  it('accepts a status shaped as types.ts describes it', () => {
    assert.ok(check(status), JSON.stringify(check.errors));
  });

  const [result] = status.results!;
  const [ready] = status.conditions!;
  const breaks: { name: string; broken: unknown }[] = [
    { name: 'an unknown outcome', broken: { ...status, results: [{ ...result, outcome: 'Timeout' }] } },
    {
      name: 'a result without a verdict',
      broken: { ...status, results: [{ ...result, verdict: undefined }] },
    },
    {
      name: 'a condition reason with spaces',
      broken: { ...status, conditions: [{ ...ready, reason: 'not camel' }] },
    },
    {
      name: 'a condition status other than True, False, Unknown',
      broken: { ...status, conditions: [{ ...ready, status: 'Yes' }] },
    },
    { name: 'a negative count', broken: { ...status, summary: { ...status.summary, failed: -1 } } },
    { name: 'a time that is not RFC 3339', broken: { ...status, lastRunTime: 'yesterday' } },
  ];
  for (const b of breaks) {
    it(`refuses ${b.name}`, () => {
      // A JSON round trip drops fields set to undefined, as a document would not have them.
      assert.equal(check(JSON.parse(JSON.stringify(b.broken))), false);
    });
  }
});
