// Before it probes, `flowprobe run` deletes what earlier runs left in its namespaces: owner Deployments
// past their run's deadline (run-expiry.ts), left by a run killed before its clean-up (kill -9, a
// cancelled CI job), and the owner ConfigMaps that releases before the Deployment owner left the same way.
// Deleting an owner garbage-collects the probe pods it controls. A run still in its time is never
// touched, and a failure here never fails the run: it is reported and the probing goes on.
import type { KubeCluster, OwnerKind } from '../kube/index.js';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from '../plan/labels.js';
import { runExpired } from '../plan/run-expiry.js';
import { OWNER_PREFIX } from '../plan/run-owner.js';

/** flowprobe's run owners, of any run. */
export const OWNER_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY},${RUN_ID_LABEL}`;

/** Deployments own the probe pods now; ConfigMaps did before (still reaped: a killed old run's). */
const OWNER_KINDS: readonly OwnerKind[] = ['Deployment', 'ConfigMap'];

export interface ReapReport {
  /** `Kind NS/NAME (run RUN-ID)` of each owner deleted. */
  deleted: string[];
  /** What could not be listed or deleted, and why. */
  problems: string[];
}

export async function reapExpiredRuns(
  cluster: KubeCluster,
  namespaces: readonly string[],
  now: Date,
  signal: AbortSignal,
): Promise<ReapReport> {
  const report: ReapReport = { deleted: [], problems: [] };
  const reaps = namespaces.flatMap((ns) =>
    OWNER_KINDS.map((kind) => reapOwners(cluster, { kind, namespace: ns, now, signal }, report)),
  );
  await Promise.all(reaps);
  return report;
}

interface Scope {
  kind: OwnerKind;
  namespace: string;
  now: Date;
  signal: AbortSignal;
}

async function reapOwners(cluster: KubeCluster, scope: Scope, report: ReapReport): Promise<void> {
  const { kind, namespace, now, signal } = scope;
  let owners;
  try {
    owners = await cluster.listOwners(kind, namespace, OWNER_SELECTOR, { signal });
  } catch (err) {
    report.problems.push(`cannot list leftover ${kind}s in ${namespace}: ${messageOf(err)}`);
    return;
  }
  const expired = owners.filter(
    (o) =>
      o.metadata.name.startsWith(OWNER_PREFIX) &&
      !o.metadata.deletionTimestamp &&
      runExpired(o.metadata, now),
  );
  for (const owner of expired) {
    const name = `${kind} ${namespace}/${owner.metadata.name} (run ${owner.metadata.labels?.[RUN_ID_LABEL] ?? '?'})`;
    try {
      await cluster.deleteOwner(kind, namespace, owner.metadata.name, { signal });
      report.deleted.push(name);
    } catch (err) {
      report.problems.push(`cannot delete leftover ${name}: ${messageOf(err)}`);
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
