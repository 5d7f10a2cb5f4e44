// deploy/ rendered as `kubectl apply -k deploy/` would apply it, checked against Kubernetes' own object
// schemas (kubernetes-models) and the operator's security promises. Needs kubectl (it carries kustomize);
// skipped with a message where it is absent.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { restrictedViolations } from '../support/pod-security.js';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: unknown;
}

const deployDir = fileURLToPath(new URL('../../deploy/', import.meta.url));

function render(): Obj[] | string {
  try {
    const out = execFileSync('kubectl', ['kustomize', deployDir], { encoding: 'utf8' });
    return parseAllDocuments(out).map((d) => d.toJSON() as Obj);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') return 'kubectl is not installed';
    throw new Error(`kubectl kustomize deploy/ failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

/** `apps/v1` Deployment → kubernetes-models/apps/v1/Deployment; `v1` Service → kubernetes-models/v1/Service. */
async function validate(obj: Obj): Promise<void> {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const module = (await import(
    `kubernetes-models/${group ? `${group}/` : ''}${version}/${obj.kind}`
  )) as Record<string, new (o: unknown) => { validate(): void }>;
  const Model = module[obj.kind];
  assert.ok(Model, `kubernetes-models has no ${obj.apiVersion} ${obj.kind}`);
  new Model(obj).validate();
}

describe('the install manifests (kubectl apply -k deploy/)', function () {
  let objects: Obj[] = [];
  before(function () {
    const rendered = render();
    if (typeof rendered === 'string') {
      console.log(`      skipped: ${rendered}`);
      this.skip();
    }
    objects = rendered;
  });
  const find = (kind: string) => objects.filter((o) => o.kind === kind);

  it('renders the CRD and the operator with everything namespaced into flowprobe', () => {
    assert.deepEqual([...new Set(objects.map((o) => o.kind))].sort(), [
      'ClusterRole',
      'ClusterRoleBinding',
      'CustomResourceDefinition',
      'Deployment',
      'Namespace',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
    const namespaced = objects.filter(
      (o) => !['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Namespace'].includes(o.kind),
    );
    assert.deepEqual([...new Set(namespaced.map((o) => o.metadata.namespace))], ['flowprobe']);
  });

  it("validates every object against Kubernetes' own schemas", async () => {
    for (const obj of objects) await validate(obj);
  });

  it('runs the operator as two replicas under the restricted Pod Security profile', () => {
    const [deployment] = find('Deployment') as unknown as {
      spec: { replicas: number; template: Parameters<typeof restrictedViolations>[0] };
    }[];
    assert.equal(deployment?.spec.replicas, 2);
    assert.deepEqual(restrictedViolations(deployment.spec.template), []);
  });

  it('grants no wildcard and no access to Secrets', () => {
    const rules = [...find('ClusterRole'), ...find('Role')].flatMap(
      (r) => (r.rules as { resources: string[]; verbs: string[]; apiGroups: string[] }[] | undefined) ?? [],
    );
    for (const rule of rules) {
      assert.ok(![...rule.resources, ...rule.verbs, ...rule.apiGroups].includes('*'), JSON.stringify(rule));
      assert.ok(!rule.resources.includes('secrets'), JSON.stringify(rule));
    }
  });

  it('lets namespace edit/admin users manage ConnectivityTests and view users read them', () => {
    const labels = find('ClusterRole').map((r) =>
      Object.keys(r.metadata.labels ?? {}).filter((l) =>
        l.startsWith('rbac.authorization.k8s.io/aggregate-to'),
      ),
    );
    assert.deepEqual(labels.flat().sort(), [
      'rbac.authorization.k8s.io/aggregate-to-admin',
      'rbac.authorization.k8s.io/aggregate-to-edit',
      'rbac.authorization.k8s.io/aggregate-to-view',
    ]);
  });

  it('gives the operator a NetworkPolicy of its own: DNS and the API server out, the scrape port in', () => {
    const [np] = find('NetworkPolicy') as unknown as {
      spec: { policyTypes: string[]; egress: unknown[]; ingress: unknown[] };
    }[];
    assert.deepEqual(np?.spec.policyTypes, ['Ingress', 'Egress']);
    assert.equal(np.spec.egress.length, 2);
    assert.equal(np.spec.ingress.length, 1);
  });
});
