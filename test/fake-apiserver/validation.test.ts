/**
 * Validation as kube-apiserver does it: custom resources against the CRD's structural schema with
 * defaulting, pruning and CEL rules (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
 * #validation, #defaulting, #field-pruning, #validation-rules), built-in objects against Kubernetes' own
 * OpenAPI schemas (from kubernetes-models).
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';
import {
  clientsFor,
  createProbe,
  GROUP,
  mergePatch,
  probe,
  startWithFixtures,
  statusOf,
  type Clients,
  PROBES,
} from './harness.js';

const ref = PROBES;

function yamlFiles(dir: URL): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .map((f) => fileURLToPath(new URL(f, dir)));
}

describe('FakeApiServer: validation', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
  });
  afterEach(() => server.stop());

  async function invalid(spec: Record<string, unknown>): Promise<{ message: string; fields: string[] }> {
    const status = await statusOf(createProbe(c, probe('p', spec)), 422);
    assert.equal(status.reason, 'Invalid');
    const details = status.details!;
    assert.equal(details.kind, 'Probe');
    assert.equal(details.group, GROUP);
    return { message: status.message, fields: (details.causes ?? []).map((cause) => cause.field) };
  }

  describe('structural schema', () => {
    it('reports a value over maximum with the field path and kube-apiserver message', async () => {
      const { message, fields } = await invalid({
        port: 80,
        flows: [{ name: 'a', port: 70000, primary: true }],
      });
      assert.equal(
        message,
        'Probe.fixtures.flowprobe.dev "p" is invalid: spec.flows[0].port: Invalid value: 70000: spec.flows[0].port in body should be less than or equal to 65535',
      );
      assert.deepEqual(fields, ['spec.flows[0].port']);
    });

    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['a missing required field', {}, 'spec.port', /spec.port: Required value/],
      [
        'a wrong type',
        { port: 'http' },
        'spec.port',
        /spec.port: Invalid value: "string": spec.port in body must be of type integer: "string"/,
      ],
      [
        'a value outside an enum',
        { port: 1, protocol: 'SCTP' },
        'spec.protocol',
        /spec.protocol: Unsupported value: "SCTP": supported values: "TCP", "UDP"/,
      ],
      [
        'a pattern mismatch',
        { port: 1, flows: [{ name: 'Bad_Name', port: 1, primary: true }] },
        'spec.flows[0].name',
        /in body should match '\^\[a-z0-9\]/,
      ],
      [
        'too many items',
        { port: 1, flows: ['a', 'b', 'c', 'd'].map((n, i) => ({ name: n, port: 1, primary: i === 0 })) },
        'spec.flows',
        /spec.flows: Too many: 4: must have at most 3 items/,
      ],
      [
        'a duplicate list-map key',
        {
          port: 1,
          flows: [
            { name: 'a', port: 1, primary: true },
            { name: 'a', port: 2 },
          ],
        },
        'spec.flows[1]',
        /spec.flows\[1\]: Duplicate value: \{"name":"a"\}/,
      ],
      [
        'a string over maxLength',
        { port: 1, host: 'h'.repeat(254) },
        'spec.host',
        /spec.host in body should be at most 253 chars long/,
      ],
    ];
    for (const [what, spec, field, pattern] of cases) {
      it(`refuses ${what} with 422 at ${field}`, async () => {
        const result = await invalid(spec);
        assert.ok(result.fields.includes(field), JSON.stringify(result.fields));
        assert.match(result.message, pattern);
      });
    }

    it('applies defaults, including inside list items', async () => {
      const created = await createProbe(
        c,
        probe('p', {
          port: 80,
          flows: [
            { name: 'a', port: 1, primary: true },
            { name: 'b', port: 2 },
          ],
        }),
      );
      const spec = created.spec as { protocol: string; mode: string; flows: { primary: boolean }[] };
      assert.equal(spec.protocol, 'TCP');
      assert.equal(spec.mode, 'Once');
      assert.deepEqual(
        spec.flows.map((f) => f.primary),
        [true, false],
      );
    });

    it('prunes unknown fields, except under x-kubernetes-preserve-unknown-fields', async () => {
      const created = await createProbe(c, {
        ...probe('p', { port: 80, bogus: 1, extra: { anything: { goes: true } } }),
        topLevelBogus: 'x',
      });
      const spec = created.spec as Record<string, unknown>;
      assert.equal(spec.bogus, undefined);
      assert.equal((created as Record<string, unknown>).topLevelBogus, undefined);
      assert.deepEqual(spec.extra, { anything: { goes: true } });
    });
  });

  describe('x-kubernetes-validations (CEL)', () => {
    it('evaluates has() on self and reports the rule message at the rule field', async () => {
      const { message, fields } = await invalid({ port: 1, host: 'a', ip: '10.0.0.1' });
      assert.deepEqual(fields, ['spec']);
      assert.equal(
        message,
        'Probe.fixtures.flowprobe.dev "p" is invalid: spec: Invalid value: "object": host and ip are mutually exclusive',
      );
    });

    it('evaluates all() over a list', async () => {
      const { message } = await invalid({ port: 1, flows: [{ name: 'ssh', port: 22, primary: true }] });
      assert.match(message, /spec.flows: Invalid value: "array": ssh is not probed/);
    });

    it('evaluates exists_one() and size()', async () => {
      const two = [
        { name: 'a', port: 1, primary: true },
        { name: 'b', port: 2, primary: true },
      ];
      assert.match((await invalid({ port: 1, flows: two })).message, /exactly one flow must be primary/);
      await createProbe(c, probe('ok', { port: 1, flows: [] }));
    });

    it('evaluates a transition rule (oldSelf) on update only', async () => {
      await createProbe(c, probe('p', { port: 1, mode: 'Once' }));
      const status = await statusOf(
        c.custom.patchNamespacedCustomObject(
          { ...ref, name: 'p', body: { spec: { mode: 'Always' } } },
          mergePatch,
        ),
        422,
      );
      assert.match(status.message, /spec: Invalid value: "object": mode is immutable/);
      await c.custom.patchNamespacedCustomObject(
        { ...ref, name: 'p', body: { spec: { port: 2 } } },
        mergePatch,
      );
    });
    // cel-js lacks Kubernetes' CEL libraries (isURL, quantity, ip, ...): such rules are skipped and reported,
    // never turned into a false 422; the other rules of the same node still apply.
    it('skips rules that use Kubernetes CEL library functions, and lists them', async () => {
      const schema = {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            'x-kubernetes-validations': [
              { rule: 'isURL(self.url)' },
              { rule: "self.url != ''", message: 'url is empty' },
            ],
            properties: { url: { type: 'string' } },
          },
        },
      };
      const names = { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' };
      const versions = [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }];
      await server.create({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `gadgets.${GROUP}` },
        spec: { group: GROUP, scope: 'Namespaced', names, versions },
      });
      const gadget = (url: string): KubeObject => ({
        apiVersion: `${GROUP}/v1`,
        kind: 'Gadget',
        metadata: { name: 'g', namespace: 'default' },
        spec: { url },
      });
      const ref = { group: GROUP, version: 'v1', namespace: 'default', plural: 'gadgets' };
      const status = await statusOf(c.custom.createNamespacedCustomObject({ ...ref, body: gadget('') }), 422);
      assert.match(status.message, /spec: Invalid value: "object": url is empty/);
      await c.custom.createNamespacedCustomObject({ ...ref, body: gadget('https://example.com') });
      assert.ok(server.unsupportedCelRules().includes('isURL(self.url)'));
    });
  });

  describe('built-in objects (Kubernetes OpenAPI schemas via kubernetes-models)', () => {
    it('refuses a pod with a wrongly typed field with 422 and the field path', async () => {
      const body = {
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 'http' }] }] },
      };
      const status = await statusOf(
        c.core.createNamespacedPod({ namespace: 'default', body: body as never }),
        422,
      );
      assert.deepEqual(
        status.details?.causes?.map((x) => x.field),
        ['spec.containers[0].ports[0].containerPort'],
      );
    });

    it('refuses a pod without containers with 422 Required value', async () => {
      const status = await statusOf(
        c.core.createNamespacedPod({
          namespace: 'default',
          body: { metadata: { name: 'p' }, spec: {} as never },
        }),
        422,
      );
      assert.equal(status.message, 'Pod "p" is invalid: spec.containers: Required value');
    });

    // kube-apiserver's ValidateNodeFieldSelectorRequirement (kubernetes pkg/apis/core/validation/validation.go):
    // a node field selector with In/NotIn takes exactly one value; the OpenAPI schema cannot say so.
    it('refuses a pod whose node affinity matchFields In lists two node names, as kube-apiserver does', async () => {
      const pinned = (values: string[]) => ({
        metadata: { name: 'p' },
        spec: {
          containers: [{ name: 'c', image: 'x' }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values }] }],
              },
            },
          },
        },
      });
      const status = await statusOf(
        c.core.createNamespacedPod({ namespace: 'default', body: pinned(['a', 'b']) }),
        422,
      );
      assert.deepEqual(status.details?.causes, [
        {
          reason: 'FieldValueRequired',
          message:
            "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
          field:
            'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values',
        },
      ]);
      await c.core.createNamespacedPod({ namespace: 'default', body: pinned(['a']) });
    });

    it('refuses a NetworkPolicy whose policyTypes holds a number with 422', async () => {
      const body = { metadata: { name: 'np' }, spec: { podSelector: {}, policyTypes: [42] } };
      const status = await statusOf(
        c.networking.createNamespacedNetworkPolicy({ namespace: 'default', body: body as never }),
        422,
      );
      assert.deepEqual(
        status.details?.causes?.map((x) => x.field),
        ['spec.policyTypes[0]'],
      );
    });
  });

  describe('the shipped CRD (crds/connectivitytests.flowprobe.dev.yaml)', () => {
    const file = new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url);

    it('installs and serves ConnectivityTest, validating a minimal invalid object', async function () {
      if (!existsSync(file)) this.skip();
      const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject);
      const crd = docs.find((d) => d.kind === 'CustomResourceDefinition')!;
      const real = await FakeApiServer.start({ objects: [crd] });
      try {
        const rc = clientsFor(real);
        const spec = crd.spec as { group: string; versions: { name: string; storage?: boolean }[] };
        const version = spec.versions.find((v) => v.storage)!.name;
        const body = {
          apiVersion: `${spec.group}/${version}`,
          kind: 'ConnectivityTest',
          metadata: { name: 'bad' },
          spec: { flows: [{ port: 70000 }] },
        };
        const status = await statusOf(
          rc.custom.createNamespacedCustomObject({
            group: spec.group,
            version,
            namespace: 'default',
            plural: 'connectivitytests',
            body,
          }),
          422,
        );
        assert.match(status.message, /^ConnectivityTest\.flowprobe\.dev "bad" is invalid: /);
      } finally {
        await real.stop();
      }
    });

    // kube-apiserver validates metadata by its own rules and a CRD's root schema may still list it as
    // required, as network-policy-api's generated CRDs do (`required: [metadata, spec]`); such objects are
    // accepted (k8s.io/apiextensions-apiserver pkg/registry/customresource/validator.go validates the
    // object with metadata present). Also a cross-check: examples/platform/ passes the upstream CRD.
    it('accepts every ClusterNetworkPolicy of examples/ under the network-policy-api CRD (root requires metadata)', async () => {
      const cnpCrd = new URL(
        '../fixtures/policy-crds/policy.networking.k8s.io_clusternetworkpolicies.yaml',
        import.meta.url,
      );
      const crd = parseAllDocuments(readFileSync(cnpCrd, 'utf8')).map((d) => d.toJS() as KubeObject)[0]!;
      assert.ok(
        (
          (crd.spec as { versions: { schema: { openAPIV3Schema: { required?: string[] } } }[] }).versions[0]!
            .schema.openAPIV3Schema.required ?? []
        ).includes('metadata'),
      );
      const policies = yamlFiles(new URL('../../examples/', import.meta.url))
        .flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as KubeObject | null))
        .filter((o): o is KubeObject => o?.kind === 'ClusterNetworkPolicy');
      assert.ok(policies.length > 0, 'examples/platform/ holds ClusterNetworkPolicies');
      const real = await FakeApiServer.start({ objects: [crd] });
      try {
        for (const p of policies) await real.create(p);
      } finally {
        await real.stop();
      }
    });

    // A cross-check of two shipped artefacts: every ConnectivityTest under examples/ passes the shipped CRD.
    it('accepts every ConnectivityTest of examples/', async function () {
      if (!existsSync(file)) this.skip();
      const crd = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject)[0]!;
      const examples = yamlFiles(new URL('../../examples/', import.meta.url))
        .flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as KubeObject | null))
        .filter((o): o is KubeObject => o?.kind === 'ConnectivityTest');
      if (examples.length === 0) this.skip();
      const namespaces = [...new Set(['default', ...examples.map((o) => o.metadata.namespace ?? 'default')])];
      const real = await FakeApiServer.start({ objects: [crd], namespaces });
      try {
        for (const example of examples) await real.create(example);
      } finally {
        await real.stop();
      }
    });
  });
});
