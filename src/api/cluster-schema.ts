// The ClusterConnectivityTest's schema, built from the ConnectivityTest's so that the two flow schemas
// cannot drift: the same spec plus the namespaces the flows run from, and the same status plus the
// namespace of each result and which namespaces a run probed.
import { celRule, type SchemaNode } from './schema-node.js';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from './patterns.js';
import { labelSelector, SPEC_SCHEMA } from './spec-schema.js';
import { RESULT_SCHEMA, STATUS_SCHEMA } from './status-schema.js';
import { API_VERSION, CLUSTER_KIND } from './types.js';

/** A run probes at most this many matching namespaces unless the spec says otherwise. */
export const DEFAULT_MAX_NAMESPACES = 10;
export const MAX_NAMESPACES = 100;
/**
 * Flows × namespaces a spec may ask for: every pair is one result in the status, and an object in etcd is
 * at most 1.5 MiB (kube-apiserver's --max-request-bytes default); 1,000 results of ~0.5 KB fit with room.
 */
export const MAX_CLUSTER_RESULTS = 1000;

export const resultsFitStatus = celRule<Record<string, unknown>>({
  id: 'results-fit-status',
  rule: `!has(self.flows) || size(self.flows) * (has(self.maxNamespaces) ? self.maxNamespaces : ${DEFAULT_MAX_NAMESPACES}) <= ${MAX_CLUSTER_RESULTS}`,
  message: `flows × maxNamespaces must be at most ${MAX_CLUSTER_RESULTS}: each pair is one result in the status`,
  fieldPath: '.maxNamespaces',
  holds: (self) => {
    const flows = Array.isArray(self.flows) ? self.flows.length : 0;
    const max = typeof self.maxNamespaces === 'number' ? self.maxNamespaces : DEFAULT_MAX_NAMESPACES;
    return flows * max <= MAX_CLUSTER_RESULTS;
  },
});

export const CLUSTER_SPEC_SCHEMA: SchemaNode = {
  ...SPEC_SCHEMA,
  description:
    'Flows to prove from every namespace the namespaceSelector matches (at most maxNamespaces), and how often.',
  required: ['flows', 'namespaceSelector'],
  properties: {
    ...SPEC_SCHEMA.properties,
    namespaceSelector: labelSelector(
      'The namespaces whose identities run the flows ({} selects every namespace). Each flow runs in each ' +
        'probed namespace as a ConnectivityTest there would: its from identity and its podSelector and ' +
        'service targets without a namespace are that namespace.',
    ),
    maxNamespaces: {
      type: 'integer',
      description:
        'At most this many matching namespaces are probed per run, the first by name; status.namespaces ' +
        'says how many matched and which were probed.',
      minimum: 1,
      maximum: MAX_NAMESPACES,
      default: DEFAULT_MAX_NAMESPACES,
    },
  },
  'x-kubernetes-validations': [resultsFitStatus],
};

const CLUSTER_RESULT_SCHEMA: SchemaNode = {
  ...RESULT_SCHEMA,
  required: [...(RESULT_SCHEMA.required ?? []), 'namespace'],
  properties: {
    namespace: {
      type: 'string',
      description: 'The namespace the flow was probed from.',
      pattern: DNS1123_LABEL.pattern,
      maxLength: DNS1123_LABEL.maxLength,
    },
    ...RESULT_SCHEMA.properties,
  },
};

export const CLUSTER_STATUS_SCHEMA: SchemaNode = {
  ...STATUS_SCHEMA,
  properties: {
    ...STATUS_SCHEMA.properties,
    namespaces: {
      type: 'object',
      description: 'How many namespaces the selector matched at the last run, and which were probed.',
      required: ['matched', 'probed'],
      properties: {
        matched: { type: 'integer', minimum: 0 },
        probed: {
          type: 'array',
          maxItems: MAX_NAMESPACES,
          items: { type: 'string', maxLength: DNS1123_LABEL.maxLength },
        },
      },
    },
    results: {
      type: 'array',
      maxItems: MAX_CLUSTER_RESULTS,
      items: CLUSTER_RESULT_SCHEMA,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['namespace', 'flow'],
    },
  },
};

export const CLUSTER_OBJECT_SCHEMA: SchemaNode = {
  type: 'object',
  description:
    'ClusterConnectivityTest declares network flows that must be allowed or denied from every namespace a ' +
    'selector matches, and proves them with probe pods there. Cluster-admin only: its author runs probe ' +
    'pods with borrowed labels in any matching namespace.',
  required: ['spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: CLUSTER_SPEC_SCHEMA,
    status: CLUSTER_STATUS_SCHEMA,
  },
};

/** What a manifest must look like before `kubectl apply` (object-schema.ts MANIFEST_SCHEMA's twin). */
export const CLUSTER_MANIFEST_SCHEMA: SchemaNode = {
  ...CLUSTER_OBJECT_SCHEMA,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: [API_VERSION] },
    kind: { type: 'string', enum: [CLUSTER_KIND] },
    metadata: {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: DNS1123_SUBDOMAIN.pattern, maxLength: DNS1123_SUBDOMAIN.maxLength },
      },
    },
    spec: CLUSTER_SPEC_SCHEMA,
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};
