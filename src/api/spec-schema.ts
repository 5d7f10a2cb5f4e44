// The ConnectivityTest spec as an OpenAPI v3 structural schema: the single source of the CRD's
// validation, the validator's structural checks and the defaults. Bounds (maxItems, maxLength,
// maxProperties) are also what keeps the CEL rules' estimated cost inside the API server's budget.
import * as rules from './cel-rules.js';
import { REPLICAS_FIELD, REPLICAS_SCHEMA } from './scale.js';
import {
  DNS_NAME,
  DNS1035_LABEL,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  HTTP_PATH,
  INTERVAL,
  LABEL_KEY,
  LABEL_VALUE,
} from './patterns.js';
import type { NameFormat } from './patterns.js';
import type { CelRule, SchemaNode } from './schema-node.js';

export const MAX_FLOWS = 100;
/** EachNode probes from at most this many nodes (a deterministic sample beyond; README "Node placement"). */
export const MAX_PLACEMENT_NODES = 10;
export const MAX_LABELS = 16;
export const DEFAULT_TIMEOUT_SECONDS = 3;
/** src/probe/settle.ts says why 3 s (the lag of real enforcers) and what it costs (once per probe pod). */
export const DEFAULT_STARTUP_GRACE_SECONDS = 3;

const named = (format: NameFormat, description: string): SchemaNode => ({
  type: 'string',
  description,
  pattern: format.pattern,
  maxLength: format.maxLength,
});

const labelMap = (description: string, extraRules: CelRule[] = []): SchemaNode => ({
  type: 'object',
  description,
  maxProperties: MAX_LABELS,
  additionalProperties: { type: 'string', pattern: LABEL_VALUE.pattern, maxLength: LABEL_VALUE.maxLength },
  'x-kubernetes-validations': [rules.labelKeysValid, ...extraRules],
});

const requirement: SchemaNode = {
  type: 'object',
  required: ['key', 'operator'],
  properties: {
    key: named(LABEL_KEY, 'The label key the requirement applies to.'),
    operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
    values: {
      type: 'array',
      maxItems: 64,
      items: { type: 'string', pattern: LABEL_VALUE.pattern, maxLength: LABEL_VALUE.maxLength },
    },
  },
  'x-kubernetes-validations': [rules.valuesMatchOperator],
};

/** metav1.LabelSelector. */
export const labelSelector = (description: string, extra: SchemaNode = {}): SchemaNode => ({
  type: 'object',
  description,
  properties: {
    matchLabels: labelMap('Labels the pods must carry.'),
    matchExpressions: {
      type: 'array',
      description: 'Label requirements, all of which must hold.',
      maxItems: 16,
      items: requirement,
    },
  },
  ...extra,
});

const timeoutSeconds = (description: string, withDefault: boolean): SchemaNode => ({
  type: 'integer',
  description,
  // busybox-probe.md: ICMP rate limits turn rejects into timeouts below about 2 s.
  minimum: 2,
  maximum: 60,
  ...(withDefault ? { default: DEFAULT_TIMEOUT_SECONDS } : {}),
});

const from: SchemaNode = {
  type: 'object',
  description:
    'The identity the probe takes, always in the namespace of the test: exactly one of podSelector or ' +
    'labels, and with labels optionally a service account.',
  properties: {
    podSelector: labelSelector('Copy the labels of a running pod that matches.', {
      'x-kubernetes-validations': [rules.identitySelectorNotEmpty],
    }),
    labels: labelMap('Use this explicit label set (no flowprobe.dev/ keys).', [rules.noReservedLabelKeys]),
    serviceAccountName: named(
      DNS1123_SUBDOMAIN,
      'With labels: the service account the probe runs as, without a token; default: default. ' +
        "With a podSelector the probe runs as the matched pod's service account.",
    ),
  },
  'x-kubernetes-validations': [rules.exactlyOneIdentity, rules.serviceAccountOnlyWithLabels],
};

const to: SchemaNode = {
  type: 'object',
  description: 'Exactly one kind of target: podSelector, service, host or ip.',
  properties: {
    podSelector: labelSelector('Pods to reach (one is picked).'),
    namespace: named(
      DNS1123_LABEL,
      'Namespace of a podSelector or service target; default: the namespace of the test.',
    ),
    service: named(DNS1035_LABEL, 'A Service, reached through its cluster DNS name.'),
    host: {
      ...named(DNS1123_SUBDOMAIN, 'A DNS name, resolved by the probe pod.'),
      'x-kubernetes-validations': [rules.hostIsNotAnIp],
    },
    ip: {
      type: 'string',
      description: 'An IPv4 or IPv6 address.',
      maxLength: 45,
      anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }],
      'x-kubernetes-validations': [rules.ipHasNoIPv4Tail],
    },
  },
  'x-kubernetes-validations': [rules.exactlyOneTarget, rules.namespaceOnlyInCluster],
};

const flow: SchemaNode = {
  type: 'object',
  required: ['name', 'from', 'to', 'port', 'expect'],
  properties: {
    name: named(DNS1123_LABEL, 'Unique within the test; names the flow in status, events and metrics.'),
    from,
    to,
    port: { type: 'integer', description: 'Port on the target.', minimum: 1, maximum: 65535 },
    protocol: {
      type: 'string',
      description:
        'UDP proves only rejections (Refused, Unreachable): silence looks the same open or dropped.',
      enum: ['TCP', 'UDP'],
      default: 'TCP',
    },
    http: {
      type: 'object',
      description: 'Send an HTTP GET instead of a bare connect; any response status counts as Connected.',
      properties: {
        path: {
          ...named(HTTP_PATH, 'Request path and query, as RFC 3986 allows them (and |).'),
          default: '/',
          'x-kubernetes-validations': [rules.pathFitsProbe],
        },
      },
    },
    dns: {
      type: 'object',
      description:
        'A DNS check: ask the target for the A record of name over the protocol (UDP or TCP), usually on ' +
        'port 53. Any answer (NXDOMAIN included) proves the path: Connected, with the rcode in detail.',
      required: ['name'],
      properties: {
        name: named(DNS_NAME, 'The name to ask about, asked fully qualified (a trailing dot is allowed).'),
      },
    },
    expect: {
      type: 'string',
      description: 'What the policies should do with the flow.',
      enum: ['Allowed', 'Denied'],
    },
    timeoutSeconds: timeoutSeconds('Overrides spec.timeoutSeconds for this flow.', false),
    placement: {
      type: 'string',
      description:
        "Where the probe runs relative to the target: SameNode (a node of the target's pods), OtherNode " +
        '(any other node) or EachNode (one probe per node, at most ' +
        `${MAX_PLACEMENT_NODES}); absent: wherever the scheduler puts it.`,
      enum: ['SameNode', 'OtherNode', 'EachNode'],
    },
    ipFamily: {
      type: 'string',
      description:
        'Probe only this address family of a dual-stack pod or Service; absent: each family the target has.',
      enum: ['IPv4', 'IPv6'],
    },
  },
  'x-kubernetes-validations': [
    rules.httpOnlyWithTcp,
    rules.dnsExcludesHttp,
    rules.placementNeedsPodTarget,
    rules.ipFamilyMatchesIp,
  ],
};

export const SPEC_SCHEMA: SchemaNode = {
  type: 'object',
  description: 'Flows to prove, and how often.',
  required: ['flows'],
  properties: {
    [REPLICAS_FIELD]: REPLICAS_SCHEMA,
    interval: {
      ...named(INTERVAL, 'Re-run period (30s, 5m, 1h30m); absent: run once per spec change.'),
      'x-kubernetes-validations': [rules.intervalMinimum],
    },
    timeoutSeconds: timeoutSeconds('Per-probe timeout in seconds.', true),
    startupGraceSeconds: {
      type: 'integer',
      description:
        'Seconds a probe pod waits after it starts before its first attempt, once per pod: many CNIs ' +
        "program a new pod's NetworkPolicy rules a moment after it starts. Raise it for a slower CNI.",
      minimum: 0,
      maximum: 60,
      default: DEFAULT_STARTUP_GRACE_SECONDS,
    },
    suspend: {
      type: 'boolean',
      description: 'Stop running the flows; keep the last results.',
      default: false,
    },
    refusedMeans: {
      type: 'string',
      description:
        'What a TCP reset proves. Allowed: the packet reached the host, nothing listened, so the path is ' +
        'open. Denied: the enforcer rejects denied connections with a reset, so a reset counts as denied.',
      enum: ['Allowed', 'Denied'],
      default: 'Allowed',
    },
    flows: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_FLOWS,
      items: flow,
      'x-kubernetes-validations': [rules.uniqueFlowNames],
    },
  },
};
