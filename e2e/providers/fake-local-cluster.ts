// The local provider: a FAKE cluster (test/support/fake-cluster: a fake API server, a fake kubelet that
// runs real busybox processes in network namespaces, a fake CNI that turns NetworkPolicies into nftables
// rules with flowprobe's own policy code, a dnsmasq resolver) and the operator started in this process.
// It proves the operator's and `flowprobe run`'s plumbing end to end; it does not prove that flowprobe
// reads NetworkPolicy as a real CNI does — only the kind provider can.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operatorConfig } from '../../src/config/operator-config.js';
import { Operator } from '../../src/controller/operator.js';
import { createLogger } from '../../src/log/logger.js';
import { detectPrerequisites, FakeCluster, type CniMode } from '../../test/support/fake-cluster/index.js';
import type { E2eCluster, ProviderResult } from './e2e-cluster.js';

/** Only the modes whose expectations the suite knows: a dropping CNI, and one that enforces nothing. */
const MODES: Readonly<Record<string, CniMode>> = { enforcing: 'enforcing', none: 'none', dual: 'enforcing' };

export async function fakeLocalCluster(cni: string): Promise<ProviderResult> {
  const mode = MODES[cni];
  if (mode === undefined) {
    return {
      skip: `FLOWPROBE_E2E_CNI=${cni}: the FAKE local cluster runs the suite with enforcing, none or dual`,
    };
  }
  // Without root and the tools the FAKE kubelet would answer from a declared table: nothing would be
  // probed for real, so the suite skips rather than pass on made-up outcomes; with
  // FLOWPROBE_REQUIRE_NETNS=1 (CI) detectPrerequisites throws MissingPrerequisitesError instead, so a
  // scenario that could not run fails the run (test/e2e-support/fake-provider-prereqs.test.ts).
  const prereqs = detectPrerequisites();
  if (!prereqs.real) {
    return { skip: `the FAKE local cluster cannot run pods here: missing ${prereqs.missing.join('; ')}` };
  }
  // The admission plugin kind's configs enable too (e2e/kind/*.yaml), so both providers admit the same pods.
  const cluster = await FakeCluster.start({
    cni: mode,
    crds: true,
    announce: false,
    apiServer: { enableAdmissionPlugins: ['OwnerReferencesPermissionEnforcement'] },
    // `dual`: enforcing, with pods and Services of both families (the FAKE's dual-stack mode).
    ...(cni === 'dual' ? { ipFamilies: ['IPv4' as const, 'IPv6' as const] } : {}),
  });
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-e2e-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, cluster.server.kubeconfig(), { mode: 0o600 });
  const operator = await startOperator(kubeconfigPath);
  let operatorStopped = false;
  const stopOperator = async () => {
    if (operatorStopped) return;
    operatorStopped = true;
    await operator.stop();
  };
  const e2e: E2eCluster = {
    description: `FAKE local cluster (FAKE CNI mode ${mode}, NetworkPolicy ${mode === 'none' ? 'ignored' : 'enforced'}; in-process operator)`,
    enforcement: mode === 'none' ? 'ignored' : 'enforced',
    // Its CNI enforces the tiers where their CRD is served (test/support/fake-cluster/tier-rules.ts).
    clusterPolicies: mode !== 'none',
    externalTargets: false,
    dualStack: cni === 'dual',
    kubeconfigPath,
    kubeConfig: () => cluster.kubeConfig(),
    stopOperator,
    stop: async () => {
      await stopOperator();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return { cluster: e2e };
}

/** The operator as `flowprobe operator --kubeconfig FILE --no-leader-elect` runs it, metrics on a free port. */
async function startOperator(kubeconfig: string): Promise<Operator> {
  const config = operatorConfig(
    { kubeconfig, leaderElect: false, metricsAddr: '127.0.0.1:0', logLevel: 'warn' },
    {},
    'flowprobe-e2e',
  );
  const operator = new Operator(config, createLogger(config.logLevel));
  await operator.start();
  return operator;
}
