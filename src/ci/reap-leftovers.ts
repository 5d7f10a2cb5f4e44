// Before it probes, `flowprobe run` deletes what earlier runs left in its namespaces: owner ConfigMaps past
// their run's deadline (run-expiry.ts), left by a run killed before its clean-up (kill -9, a cancelled CI
// job). Deleting a ConfigMap garbage-collects the probe pods it controls. A run still in its time is
// never touched, and a failure here never fails the run: it is reported and the probing goes on.
import type { KubeCluster } from '../kube/index.js';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from '../plan/labels.js';
import { runExpired } from '../plan/run-expiry.js';
import { OWNER_PREFIX } from './run-once.js';

/** flowprobe's owner ConfigMaps, of any run. */
export const OWNER_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY},${RUN_ID_LABEL}`;

export interface ReapReport {
  /** `NS/NAME (run RUN-ID)` of each ConfigMap deleted. */
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
  await Promise.all(namespaces.map((ns) => reapNamespace(cluster, ns, now, signal, report)));
  return report;
}

async function reapNamespace(
  cluster: KubeCluster,
  namespace: string,
  now: Date,
  signal: AbortSignal,
  report: ReapReport,
): Promise<void> {
  let owners;
  try {
    owners = await cluster.listOwners(namespace, OWNER_SELECTOR, { signal });
  } catch (err) {
    report.problems.push(`cannot list leftover ConfigMaps in ${namespace}: ${messageOf(err)}`);
    return;
  }
  const expired = owners.filter(
    (cm) =>
      cm.metadata.name.startsWith(OWNER_PREFIX) &&
      !cm.metadata.deletionTimestamp &&
      runExpired(cm.metadata, now),
  );
  for (const cm of expired) {
    const name = `${namespace}/${cm.metadata.name} (run ${cm.metadata.labels?.[RUN_ID_LABEL] ?? '?'})`;
    try {
      await cluster.deleteOwner(namespace, cm.metadata.name, { signal });
      report.deleted.push(name);
    } catch (err) {
      report.problems.push(`cannot delete leftover ConfigMap ${name}: ${messageOf(err)}`);
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
