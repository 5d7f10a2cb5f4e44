// The status the operator writes (types.ts ConnectivityTestStatus). Conditions follow metav1.Condition:
// https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#typical-status-properties
import { DNS1123_LABEL } from './patterns.js';
import type { SchemaNode } from './schema-node.js';
import { MAX_FLOWS, MAX_PLACEMENT_NODES } from './spec-schema.js';

const count: SchemaNode = { type: 'integer', minimum: 0 };
const time: SchemaNode = { type: 'string', format: 'date-time' };
const text = (maxLength: number): SchemaNode => ({ type: 'string', maxLength });
const oneOf = (...values: string[]): SchemaNode => ({ type: 'string', enum: values });

const condition: SchemaNode = {
  type: 'object',
  required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
  properties: {
    type: {
      type: 'string',
      maxLength: 316,
      pattern:
        '^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    },
    status: oneOf('True', 'False', 'Unknown'),
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    },
    message: text(32768),
    observedGeneration: count,
    lastTransitionTime: time,
  },
};

export const RESULT_SCHEMA: SchemaNode = {
  type: 'object',
  required: ['flow', 'expected', 'outcome', 'detail', 'verdict', 'predicted', 'diagnosis'],
  properties: {
    flow: { type: 'string', pattern: DNS1123_LABEL.pattern, maxLength: DNS1123_LABEL.maxLength },
    expected: oneOf('Allowed', 'Denied'),
    outcome: oneOf('Connected', 'Refused', 'Blocked', 'Unreachable', 'DNSFailure', 'Error'),
    detail: text(4096),
    verdict: oneOf('Pass', 'Fail', 'Flaky', 'Error'),
    predicted: oneOf('Allowed', 'Denied', 'Unknown'),
    diagnosis: text(4096),
    target: text(512),
    httpStatus: { type: 'integer', minimum: 100, maximum: 599 },
    durationMs: count,
    attempts: count,
    lastTransitionTime: time,
    node: text(253),
    nodes: {
      type: 'array',
      // One entry per node, or per node and family of a flow probed in both.
      maxItems: MAX_PLACEMENT_NODES * 2,
      items: {
        type: 'object',
        required: ['node', 'outcome', 'detail', 'verdict'],
        properties: {
          node: text(253),
          outcome: oneOf('Connected', 'Refused', 'Blocked', 'Unreachable', 'DNSFailure', 'Error'),
          detail: text(4096),
          verdict: oneOf('Pass', 'Fail', 'Flaky', 'Error'),
          durationMs: count,
          ipFamily: oneOf('IPv4', 'IPv6'),
        },
      },
    },
    nodesSampledFrom: count,
    ipFamily: oneOf('IPv4', 'IPv6'),
    families: {
      type: 'array',
      maxItems: 2,
      items: {
        type: 'object',
        required: ['ipFamily', 'outcome', 'detail', 'verdict', 'predicted', 'diagnosis'],
        properties: {
          ipFamily: oneOf('IPv4', 'IPv6'),
          target: text(512),
          outcome: oneOf('Connected', 'Refused', 'Blocked', 'Unreachable', 'DNSFailure', 'Error'),
          detail: text(4096),
          verdict: oneOf('Pass', 'Fail', 'Flaky', 'Error'),
          predicted: oneOf('Allowed', 'Denied', 'Unknown'),
          diagnosis: text(4096),
          httpStatus: { type: 'integer', minimum: 100, maximum: 599 },
          node: text(253),
        },
      },
    },
  },
};

export const STATUS_SCHEMA: SchemaNode = {
  type: 'object',
  properties: {
    observedGeneration: count,
    lastRunTime: time,
    runId: text(128),
    summary: {
      type: 'object',
      required: ['flows', 'passed', 'failed', 'errors'],
      properties: { flows: count, passed: count, failed: count, errors: count },
    },
    conditions: {
      type: 'array',
      maxItems: 16,
      items: condition,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    },
    results: {
      type: 'array',
      maxItems: MAX_FLOWS,
      items: RESULT_SCHEMA,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['flow'],
    },
  },
};
