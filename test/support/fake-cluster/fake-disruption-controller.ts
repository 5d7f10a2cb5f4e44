/**
 * A FAKE disruption controller: computes a PodDisruptionBudget's status when a test calls sync(), the way
 * kube-controller-manager's does on every change (kubernetes pkg/controller/disruption/disruption.go,
 * sync → trySync → getExpectedPodCount → updatePdbStatus, or failSafe when any step fails). It writes
 * `pods`-derived numbers only: no DisruptedPods map, no events, no stale DisruptionTarget cleanup, no
 * work queue (the test decides when a sync happens).
 *
 * It acts as kube-controller-manager does with --use-service-account-credentials (kind, kubeadm):
 * informers read as the controller manager (here the admin), while discovery, scale GETs and status
 * writes go through the controller's ServiceAccount, bound to a copy of the bootstrap ClusterRole
 * system:controller:disruption-controller (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/
 * controller_policy.go) — so a scale the role cannot read fails here as it would there.
 */
import type { KubeObject } from '../fake-apiserver/index.js';
import { IdentityClient } from './identity-client.js';
import {
  allowedCondition,
  budgetNumbers,
  needsScale,
  syncFailedCondition,
  type BudgetPod,
  type BudgetSpec,
} from './disruption-budget.js';
import { ControllerScales, type OwnedPod } from './controller-scale.js';

const ROLE = 'system:controller:disruption-controller';
export const DISRUPTION_CONTROLLER_USER = 'system:serviceaccount:kube-system:disruption-controller';

/** The bootstrap role, as of Kubernetes 1.33. */
const ROLE_RULES = [
  { apiGroups: ['extensions', 'apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps', 'extensions'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['replicationcontrollers'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets/status'], verbs: ['update'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['*'], resources: ['*/scale'], verbs: ['get'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'update', 'patch'] },
];

interface FakeServer {
  url: string;
  tokenFor(user: string): string;
  create(obj: KubeObject): Promise<KubeObject>;
}

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  [key: string]: unknown;
}

interface Budget {
  metadata: { name: string; namespace: string; generation?: number; resourceVersion?: string };
  spec: BudgetSpec & { selector?: { matchLabels?: Record<string, string> } };
  status?: { conditions?: Condition[]; [key: string]: unknown };
}

export interface BudgetStatus {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
  conditions: Condition[];
}

/** apimeta.SetStatusCondition: lastTransitionTime moves only when the status does. */
function setCondition(old: Condition[] | undefined, next: Condition): Condition[] {
  const previous = old?.find((c) => c.type === next.type);
  const time =
    previous?.status === next.status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return [...(old ?? []).filter((c) => c.type !== next.type), { ...next, lastTransitionTime: time }];
}

function selectorQuery(budget: Budget): string {
  const labels = Object.entries(budget.spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  return encodeURIComponent(labels.join(','));
}

export class FakeDisruptionController {
  private readonly informers: IdentityClient;
  private readonly client: IdentityClient;

  private constructor(server: FakeServer) {
    this.informers = new IdentityClient(server.url, server.tokenFor('system:admin'));
    this.client = new IdentityClient(server.url, server.tokenFor(DISRUPTION_CONTROLLER_USER));
  }

  /** Installs the controller's role and binding (as the cluster's bootstrap policy does). */
  static async start(server: FakeServer): Promise<FakeDisruptionController> {
    await server.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: ROLE },
      rules: ROLE_RULES,
    });
    await server.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: ROLE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: ROLE },
      subjects: [{ kind: 'ServiceAccount', name: 'disruption-controller', namespace: 'kube-system' }],
    });
    return new FakeDisruptionController(server);
  }

  /** One sync of the budget `namespace/name`; returns the status it wrote. */
  async sync(namespace: string, name: string): Promise<BudgetStatus> {
    const path = `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/${name}`;
    const budget = await this.informers.get<Budget>(path);
    const generation = budget.metadata.generation ?? 1;
    let status: Record<string, unknown>;
    try {
      const numbers = await this.numbers(budget);
      const conditions = setCondition(budget.status?.conditions, allowedCondition(numbers, generation));
      status = { ...numbers, observedGeneration: generation, conditions };
    } catch (err) {
      const message = (err as Error).message;
      const conditions = setCondition(budget.status?.conditions, syncFailedCondition(message, generation));
      status = { ...budget.status, disruptionsAllowed: 0, conditions };
    }
    const written = await this.client.put<{ status: BudgetStatus }>(`${path}/status`, { ...budget, status });
    return written.status;
  }

  private async numbers(budget: Budget) {
    const ns = budget.metadata.namespace;
    const list = await this.informers.get<{ items: (BudgetPod & OwnedPod)[] }>(
      `/api/v1/namespaces/${ns}/pods?labelSelector=${selectorQuery(budget)}`,
    );
    const scales = new ControllerScales(this.informers, this.client);
    const expected = needsScale(budget.spec) ? await scales.expectedScale(ns, list.items) : 0;
    return budgetNumbers(budget.spec, list.items, expected);
  }
}
