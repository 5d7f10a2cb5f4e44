// The rules that span fields, each as CEL for the API server and as TypeScript for `flowprobe validate`.
// test/api/cel-rules.test.ts evaluates both on the same cases and on generated specs.
// https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules
import { encodePath, MAX_PATH_ARGUMENT } from '../probe/http-path.js';
import { intervalSeconds } from './duration.js';
import { LABEL_KEY } from './patterns.js';
import { celRule } from './schema-node.js';
import { RESERVED_LABEL_PREFIX } from './types.js';

type Fields = Record<string, unknown>;

const has = (self: Fields, key: string): boolean => self[key] !== undefined;
const count = (self: Fields, keys: string[]): number => keys.filter((k) => has(self, k)).length;
const sizeOf = (value: unknown): number =>
  Array.isArray(value) ? value.length : typeof value === 'object' && value ? Object.keys(value).length : 0;

/** The minimum interval: a run of many flows takes about a timeout and a few settling attempts. */
export const MIN_INTERVAL_SECONDS = 30;

export const intervalMinimum = celRule<string>({
  id: 'interval-minimum',
  rule: `duration(self) >= duration('${MIN_INTERVAL_SECONDS}s')`,
  message: `must be at least ${MIN_INTERVAL_SECONDS}s`,
  // Malformed text is the pattern's problem; the API server never evaluates a rule on it either way.
  holds: (self) => (intervalSeconds(self) ?? MIN_INTERVAL_SECONDS) >= MIN_INTERVAL_SECONDS,
});

export const uniqueFlowNames = celRule<Fields[]>({
  id: 'unique-flow-names',
  rule: 'self.all(f, self.exists_one(g, g.name == f.name))',
  message: 'flow names must be unique',
  reason: 'FieldValueDuplicate',
  holds: (self) => new Set(self.map((f) => f.name)).size === self.length,
  detail: (self) => {
    const names = self.map((f) => String(f.name));
    const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    return `${repeated.join(', ')} ${repeated.length === 1 ? 'appears' : 'appear'} more than once`;
  },
});

export const httpOnlyWithTcp = celRule<Fields>({
  id: 'http-only-with-tcp',
  rule: "!has(self.http) || !has(self.protocol) || self.protocol == 'TCP'",
  message: 'applies only to protocol TCP',
  fieldPath: '.http',
  holds: (self) => !has(self, 'http') || !has(self, 'protocol') || self.protocol === 'TCP',
});

export const dnsExcludesHttp = celRule<Fields>({
  id: 'dns-excludes-http',
  rule: '!has(self.dns) || !has(self.http)',
  message: 'a flow is either a DNS check or an HTTP request, not both',
  reason: 'FieldValueForbidden',
  fieldPath: '.dns',
  holds: (self) => !has(self, 'dns') || !has(self, 'http'),
});

// A flow that names a family and an address must name the address's family (an IPv6 address has a colon).
export const ipFamilyMatchesIp = celRule<Fields>({
  id: 'ip-family-matches-ip',
  rule: "!has(self.ipFamily) || !has(self.to.ip) || (self.ipFamily == 'IPv6') == self.to.ip.contains(':')",
  message: 'must be the family of to.ip',
  fieldPath: '.ipFamily',
  holds: (self) => {
    const ip = (self.to as Fields | undefined)?.ip;
    return (
      !has(self, 'ipFamily') || typeof ip !== 'string' || (self.ipFamily === 'IPv6') === ip.includes(':')
    );
  },
});

export const exactlyOneIdentity = celRule<Fields>({
  id: 'exactly-one-identity',
  rule: 'has(self.podSelector) != has(self.labels)',
  message: 'must set exactly one of podSelector or labels',
  holds: (self) => has(self, 'podSelector') !== has(self, 'labels'),
});

export const serviceAccountOnlyWithLabels = celRule<Fields>({
  id: 'service-account-only-with-labels',
  rule: '!has(self.serviceAccountName) || has(self.labels)',
  message: "applies only to labels; with a podSelector the probe runs as the matched pod's service account",
  reason: 'FieldValueForbidden',
  fieldPath: '.serviceAccountName',
  holds: (self) => !has(self, 'serviceAccountName') || has(self, 'labels'),
});

export const identitySelectorNotEmpty = celRule<Fields>({
  id: 'identity-selector-not-empty',
  rule:
    '(has(self.matchLabels) && size(self.matchLabels) > 0) || ' +
    '(has(self.matchExpressions) && size(self.matchExpressions) > 0)',
  message:
    'must not be empty: an empty selector matches every pod, so the probe would borrow the labels of any pod',
  holds: (self) => sizeOf(self.matchLabels) > 0 || sizeOf(self.matchExpressions) > 0,
});

const TARGET_KINDS = ['podSelector', 'service', 'host', 'ip'];

export const exactlyOneTarget = celRule<Fields>({
  id: 'exactly-one-target',
  rule: TARGET_KINDS.map((k) => `(has(self.${k}) ? 1 : 0)`).join(' + ') + ' == 1',
  message: 'must set exactly one of podSelector, service, host or ip',
  holds: (self) => count(self, TARGET_KINDS) === 1,
});

export const namespaceOnlyInCluster = celRule<Fields>({
  id: 'namespace-only-in-cluster',
  rule: '!has(self.namespace) || has(self.podSelector) || has(self.service)',
  message: 'applies only to a podSelector or service target',
  reason: 'FieldValueForbidden',
  fieldPath: '.namespace',
  holds: (self) => !has(self, 'namespace') || has(self, 'podSelector') || has(self, 'service'),
});

export const hostIsNotAnIp = celRule<string>({
  id: 'host-is-not-an-ip',
  rule: "!self.matches('^[0-9.]+$')",
  message: 'must be a host name; put an IP address in ip',
  holds: (self) => !/^[0-9.]+$/.test(self),
});

export const valuesMatchOperator = celRule<Fields>({
  id: 'values-match-operator',
  rule:
    "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0) : " +
    '(!has(self.values) || size(self.values) == 0)',
  message: 'must be non-empty for In and NotIn, and empty for Exists and DoesNotExist',
  fieldPath: '.values',
  holds: (self) =>
    self.operator === 'In' || self.operator === 'NotIn' ? sizeOf(self.values) > 0 : sizeOf(self.values) === 0,
});

const LABEL_KEY_RE = new RegExp(LABEL_KEY.pattern);

export const labelKeysValid = celRule<Fields>({
  id: 'label-keys-valid',
  rule: `self.all(k, k.matches('${LABEL_KEY.pattern}'))`,
  message: `every key must be ${LABEL_KEY.description}`,
  holds: (self) => Object.keys(self).every((k) => LABEL_KEY_RE.test(k)),
});

// The formats accept an IPv6 address with an embedded IPv4 tail (::ffff:10.0.5.10, Go's net.ParseIP); the
// probe does not (src/probe/ipv6-literal.ts): an IPv4-mapped address is an IPv4 flow in disguise.
export const ipHasNoIPv4Tail = celRule<string>({
  id: 'ip-has-no-ipv4-tail',
  rule: "!(self.contains(':') && self.contains('.'))",
  message: 'must be a plain IPv4 or IPv6 address: write an IPv4-mapped address (::ffff:a.b.c.d) as IPv4',
  holds: (self) => !(self.includes(':') && self.includes('.')),
});

// The probe sends "|" as %7C (src/probe/http-path.ts), and takes at most MAX_PATH_ARGUMENT characters so.
export const pathFitsProbe = celRule<string>({
  id: 'path-fits-probe',
  rule: `self.size() + 2 * (self.split('|').size() - 1) <= ${MAX_PATH_ARGUMENT}`,
  message: `must be at most ${MAX_PATH_ARGUMENT} characters, each | counting as 3 (the probe sends it as %7C)`,
  holds: (self) => encodePath(self).length <= MAX_PATH_ARGUMENT,
});

const reservedKeys = (self: Fields): string[] =>
  Object.keys(self).filter((k) => k.startsWith(RESERVED_LABEL_PREFIX));

// flowprobe marks its probe pods with these keys (src/plan/labels.ts); an identity that set them would
// collide with the marks (and a run id or test label of its own choosing would confuse the reaper).
export const noReservedLabelKeys = celRule<Fields>({
  id: 'no-reserved-label-keys',
  rule: `self.all(k, !k.startsWith('${RESERVED_LABEL_PREFIX}'))`,
  message: `must not use keys under ${RESERVED_LABEL_PREFIX}, which flowprobe reserves for its probe pods' marks`,
  holds: (self) => reservedKeys(self).length === 0,
  detail: (self) => reservedKeys(self).join(', '),
});

// SameNode and OtherNode are relative to the node of the target's pods; an IP or host name has no node
// flowprobe can know, so those placements are refused rather than quietly read as "anywhere".
export const placementNeedsPodTarget = celRule<Fields>({
  id: 'placement-needs-pod-target',
  rule:
    "!has(self.placement) || self.placement == 'EachNode' || " +
    'has(self.to.podSelector) || has(self.to.service)',
  message:
    'SameNode and OtherNode apply only to a podSelector or service target (an ip or host has no node); use EachNode or no placement',
  reason: 'FieldValueForbidden',
  fieldPath: '.placement',
  holds: (self) => {
    const to = (self.to ?? {}) as Fields;
    return (
      !has(self, 'placement') || self.placement === 'EachNode' || has(to, 'podSelector') || has(to, 'service')
    );
  },
});

/** Every rule, for tests that go through them all. */
export const CEL_RULES = [
  intervalMinimum,
  uniqueFlowNames,
  httpOnlyWithTcp,
  exactlyOneIdentity,
  serviceAccountOnlyWithLabels,
  identitySelectorNotEmpty,
  exactlyOneTarget,
  namespaceOnlyInCluster,
  hostIsNotAnIp,
  valuesMatchOperator,
  labelKeysValid,
  ipHasNoIPv4Tail,
  pathFitsProbe,
  noReservedLabelKeys,
  dnsExcludesHttp,
  placementNeedsPodTarget,
  ipFamilyMatchesIp,
] as const;
