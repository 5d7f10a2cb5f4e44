import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { parse as parseCel } from '@marcbachmann/cel-js';
import { Ajv } from 'ajv';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { parse } from 'yaml';
import { CEL_RULES } from '../../src/api/cel-rules.js';
import { connectivityTestCrd } from '../../src/api/crd.js';
import { CRD_FILE, renderCrdYaml } from '../../src/api/crd-yaml.js';
import { toJsonSchema } from '../../src/api/json-schema.js';
import { OBJECT_SCHEMA } from '../../src/api/object-schema.js';
import type { SchemaNode } from '../../src/api/schema-node.js';

const ROOT = new URL('../../', import.meta.url);

interface Version {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: Record<string, unknown> };
  subresources: { status: object; scale?: object };
  additionalPrinterColumns: { name: string; jsonPath: string; type: string }[];
}

const crd = connectivityTestCrd() as unknown as {
  metadata: { name: string };
  spec: { group: string; scope: string; names: Record<string, unknown>; versions: Version[] };
};

/** Every schema node with its path, anyOf branches excluded (they hold value validations only). */
function nodes(node: SchemaNode, path = ''): [string, SchemaNode][] {
  const children = [
    ...Object.entries(node.properties ?? {}).map(([k, child]) => nodes(child, `${path}.${k}`)),
    node.items ? nodes(node.items, `${path}[]`) : [],
    node.additionalProperties ? nodes(node.additionalProperties, `${path}{}`) : [],
  ];
  return [[path, node], ...children.flat()];
}

/** The distinct x-kubernetes-validations entries anywhere in a rendered document. */
function renderedRules(value: unknown): { rule: string }[] {
  if (typeof value !== 'object' || value === null) return [];
  const own = (value as Record<string, unknown>)['x-kubernetes-validations'];
  const nested = Object.values(value).flatMap(renderedRules);
  const all = [...(Array.isArray(own) ? (own as { rule: string }[]) : []), ...nested];
  return all.filter((r, i) => all.findIndex((o) => o.rule === r.rule) === i);
}

describe('the ConnectivityTest CRD', () => {
  it('is committed exactly as the generator renders it (run npm run gen:crd after a schema change)', async () => {
    const committed = await readFile(new URL(CRD_FILE, ROOT), 'utf8');
    assert.equal(committed, renderCrdYaml());
  });

  it('is a valid apiextensions.k8s.io/v1 CustomResourceDefinition per Kubernetes’ own schema', () => {
    const parsed = parse(renderCrdYaml()) as ConstructorParameters<typeof CustomResourceDefinition>[0];
    assert.doesNotThrow(() => {
      new CustomResourceDefinition(parsed).validate();
    });
  });

  it('is caught by the Kubernetes schema check when broken, so the check above means something', () => {
    const broken = parse(renderCrdYaml()) as { spec: { scope: unknown } };
    broken.spec.scope = 42;
    assert.throws(() => {
      new CustomResourceDefinition(
        broken as ConstructorParameters<typeof CustomResourceDefinition>[0],
      ).validate();
    });
  });

  it('names the resource for kubectl: namespaced, short names ctest and conntest, category flowprobe', () => {
    assert.equal(crd.metadata.name, 'connectivitytests.flowprobe.dev');
    assert.equal(crd.spec.group, 'flowprobe.dev');
    assert.equal(crd.spec.scope, 'Namespaced');
    assert.deepEqual(crd.spec.names, {
      kind: 'ConnectivityTest',
      listKind: 'ConnectivityTestList',
      plural: 'connectivitytests',
      singular: 'connectivitytest',
      shortNames: ['ctest', 'conntest'],
      categories: ['flowprobe'],
    });
  });

  it('serves and stores v1alpha1 with a status and a scale subresource', () => {
    const [version] = crd.spec.versions;
    assert.equal(crd.spec.versions.length, 1);
    assert.equal(version?.name, 'v1alpha1');
    assert.equal(version.served && version.storage, true);
    // scale: read by the disruption controller for probe pods (src/api/scale.ts, docs/probe-pods-and-pdbs.md).
    assert.deepEqual(version.subresources, {
      status: {},
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
    });
  });

  it('shows flows, passed, failed, errors, the Passing condition, suspension, last run and age in kubectl get', () => {
    const columns: { name: string; jsonPath: string; priority?: number }[] =
      crd.spec.versions[0]!.additionalPrinterColumns;
    // Without -o wide (priority 0): a test that errs or runs nothing must not look healthy at a glance.
    const names = columns.filter((c) => !c.priority).map((c) => c.name);
    for (const name of [
      'Flows',
      'Passed',
      'Failed',
      'Errors',
      'Passing',
      'Reason',
      'Suspended',
      'Last Run',
      'Age',
    ]) {
      assert.ok(names.includes(name), name);
    }
    assert.equal(
      columns.find((c) => c.name === 'Passing')?.jsonPath,
      '.status.conditions[?(@.type=="Passing")].status',
    );
  });

  it('carries every CEL rule, as rule and message only, each of which parses as CEL', () => {
    const rendered = renderedRules(parse(renderCrdYaml()));
    assert.deepEqual(rendered.map((r) => r.rule).sort(), [...new Set(CEL_RULES.map((r) => r.rule))].sort());
    for (const r of rendered) {
      assert.deepEqual(
        Object.keys(r).filter((k) => !['rule', 'message', 'reason', 'fieldPath'].includes(k)),
        [],
      );
      assert.doesNotThrow(() => parseCel(r.rule), r.rule);
    }
  });

  it('is structural: every node has a type, and every object lists its fields or its values', () => {
    for (const [path, node] of nodes(OBJECT_SCHEMA)) {
      assert.ok(node.type, `${path} has no type`);
      if (node.type === 'object' && path !== '.metadata') {
        assert.ok(
          node.properties ?? node.additionalProperties ?? node['x-kubernetes-preserve-unknown-fields'],
          path,
        );
      }
    }
  });

  it('bounds every list, map and string that a CEL rule iterates, so the rule cost can be estimated', () => {
    for (const [path, node] of nodes(OBJECT_SCHEMA)) {
      if (!node['x-kubernetes-validations']) continue;
      if (node.type === 'array') assert.ok(node.maxItems, `${path} needs maxItems`);
      if (node.type === 'string') assert.ok(node.maxLength, `${path} needs maxLength`);
      if (node.type === 'object' && node.additionalProperties)
        assert.ok(node.maxProperties, `${path} needs maxProperties`);
    }
  });

  it('has defaults that pass their own field’s validation, as the API server requires', () => {
    const ajv = new Ajv({ strict: false });
    for (const [path, node] of nodes(OBJECT_SCHEMA)) {
      if (node.default === undefined) continue;
      assert.ok(ajv.validate(toJsonSchema(node), node.default), `${path} default`);
    }
  });

  it('points every rule’s fieldPath at a field of the rule’s node', () => {
    for (const [path, node] of nodes(OBJECT_SCHEMA)) {
      for (const rule of node['x-kubernetes-validations'] ?? []) {
        if (rule.fieldPath === undefined) continue;
        const field = rule.fieldPath.replace(/^\./, '');
        assert.ok(node.properties?.[field], `${path}: ${rule.id} → ${rule.fieldPath}`);
      }
    }
  });
});
