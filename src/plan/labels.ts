// Labels and annotations flowprobe puts on the objects it creates. The `flowprobe.dev/` prefix is ours:
// an explicit identity (`from.labels`) may not use it (the CRD and the validator refuse such a label set).
import { createHash } from 'node:crypto';
import { RESERVED_LABEL_PREFIX } from '../api/types.js';

export const LABEL_PREFIX = RESERVED_LABEL_PREFIX;
/** Which run created a probe pod; a pod of another run is stale and gets deleted. */
export const RUN_ID_LABEL = `${LABEL_PREFIX}run-id`;
/** The ConnectivityTest a probe pod belongs to; its value is `testLabelValue(name)`. */
export const TEST_LABEL = `${LABEL_PREFIX}test`;

/** kube-apiserver refuses a label value over 63 characters (apimachinery validation.IsValidLabelValue). */
const MAX_LABEL_VALUE = 63;
const HASH_LENGTH = 10;

/**
 * The value of TEST_LABEL: the test's name when it fits a label value, else its first characters, "-" and
 * a hash of the whole name, so that two long names sharing a prefix still select different pods. Object
 * names are DNS subdomains (lowercase alphanumerics, "-", "."), so what is kept is a valid label value.
 */
export function testLabelValue(testName: string): string {
  if (testName.length <= MAX_LABEL_VALUE) return testName;
  const hash = createHash('sha256').update(testName).digest('hex').slice(0, HASH_LENGTH);
  const head = testName.slice(0, MAX_LABEL_VALUE - HASH_LENGTH - 1).replace(/[^a-z0-9]+$/, '');
  return `${head}-${hash}`;
}
/**
 * flowprobe's own objects that borrow no identity (`flowprobe run`'s owner Deployments) say who manages
 * them. A probe pod never carries this label: it keeps the source's labels exactly, and a chart's pods
 * carry `managed-by: Helm`, which policies select on.
 */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'flowprobe';
/**
 * What marks a probe pod: it carries a run id (as a label selector: `flowprobe.dev/run-id`). Probe pods of
 * earlier releases (which also overwrote `app.kubernetes.io/managed-by`) carry it too, so the reaper still
 * finds their leftovers.
 */
export function isProbePod(labels: Readonly<Record<string, string>> | undefined): boolean {
  return labels?.[RUN_ID_LABEL] !== undefined;
}
/**
 * When a `flowprobe run` has exited for sure (RFC 3339), on its owner Deployments and probe pods: past it,
 * they are leftovers of a run that died, and the next run (Deployments) and the operator (pods) delete them.
 */
export const EXPIRES_AT_ANNOTATION = `${LABEL_PREFIX}expires-at`;
/** A readiness gate that nothing ever sets, so no Service ever routes to a probe pod. */
export const NEVER_READY_GATE = `${LABEL_PREFIX}never-ready`;
/** A probe pod's flows' node placement (SameNode, OtherNode, EachNode), when they have one. */
export const PLACEMENT_ANNOTATION = `${LABEL_PREFIX}placement`;
