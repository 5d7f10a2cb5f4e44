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
 * Flows × namespaces a spec may ask for, in units of a plain result: every pair is one result in the
 * status, and an object in etcd is at most 1.5 MiB (etcd's --max-request-bytes default). A plain result is
 * under 1 KB; one probed in both IP families carries two families[] entries with their own diagnosis
 * (about twice that), and an EachNode one carries a nodes[] entry per node (and family): about 3 times.
 * So a flow counts FAMILY_WEIGHT when it may probe both families and NODE_WEIGHT times that when EachNode;
 * the largest statuses that admits stay near 1 MB (test/api/cluster-status-size.test.ts), leaving room for
 * metadata and conditions.
 */
export const MAX_CLUSTER_RESULTS = 1000;
export const FAMILY_WEIGHT = 2;
export const NODE_WEIGHT = 4;

/** A flow that may be probed in both families: no ipFamily named, not an IP target (one family). */
const CEL_DUAL = '!has(f.ipFamily) && !has(f.to.ip)';
const CEL_EACH_NODE = "has(f.placement) && f.placement == 'EachNode'";
const celCount = (predicate: string) => `size(self.flows.filter(f, ${predicate}))`;

/** A flow's weight in results: (1 + dual) × (1 + (NODE_WEIGHT - 1) × eachNode), summed as CEL can. */
const CEL_WEIGHTED_FLOWS = [
  'size(self.flows)',
  `${FAMILY_WEIGHT - 1} * ${celCount(CEL_DUAL)}`,
  `${NODE_WEIGHT - 1} * ${celCount(CEL_EACH_NODE)}`,
  `${(FAMILY_WEIGHT - 1) * (NODE_WEIGHT - 1)} * ${celCount(`${CEL_DUAL} && ${CEL_EACH_NODE}`)}`,
].join(' + ');

/** The weight of one flow in results (the CEL rule's, in TypeScript). */
export function resultWeight(flow: unknown): number {
  const f = (typeof flow === 'object' && flow !== null ? flow : {}) as Record<string, unknown>;
  const to = (typeof f.to === 'object' && f.to !== null ? f.to : {}) as Record<string, unknown>;
  const dual = f.ipFamily === undefined && to.ip === undefined;
  return (dual ? FAMILY_WEIGHT : 1) * (f.placement === 'EachNode' ? NODE_WEIGHT : 1);
}

export const resultsFitStatus = celRule<Record<string, unknown>>({
  id: 'results-fit-status',
  rule: `!has(self.flows) || (${CEL_WEIGHTED_FLOWS}) * (has(self.maxNamespaces) ? self.maxNamespaces : ${DEFAULT_MAX_NAMESPACES}) <= ${MAX_CLUSTER_RESULTS}`,
  message:
    `flows × maxNamespaces must be at most ${MAX_CLUSTER_RESULTS}, a flow counting ${FAMILY_WEIGHT} when it ` +
    `may probe both IP families (no ipFamily, no ip target) and ${NODE_WEIGHT} times that when EachNode: ` +
    'each pair is one result in the status',
  fieldPath: '.maxNamespaces',
  holds: (self) => {
    const flows = Array.isArray(self.flows) ? self.flows : [];
    const weight = flows.reduce((sum: number, f) => sum + resultWeight(f), 0);
    const max = typeof self.maxNamespaces === 'number' ? self.maxNamespaces : DEFAULT_MAX_NAMESPACES;
    return weight * max <= MAX_CLUSTER_RESULTS;
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
