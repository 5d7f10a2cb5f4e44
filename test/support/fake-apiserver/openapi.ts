/**
 * A minimal /openapi/v3: per group/version, one PATCH operation per kind that declares the `fieldValidation`
 * query parameter. That is all kubectl reads (cli-runtime query_param_verifier_v3.go) to decide that the
 * server validates fields itself, so that `kubectl create/apply -f` need not download full schemas. The
 * documents carry no schemas: clients that need real OpenAPI schemas get none from this fake.
 */
import { apiVersionOf, type ResourceDef, type ResourceRegistry } from './resources.js';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function servedVersions(def: ResourceDef): string[] {
  return [def.version, ...def.otherVersions];
}

export function openApiRoot(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const def of registry.all()) {
    for (const version of servedVersions(def)) {
      const path = gvPath(def.group, version);
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}` };
    }
  }
  return { paths };
}

function patchOperation(def: ResourceDef, version: string): Record<string, unknown> {
  return {
    patch: {
      'x-kubernetes-group-version-kind': { group: def.group, version, kind: def.kind },
      parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
      responses: {},
    },
  };
}

/** The document of one group/version (path without the /openapi/v3/ prefix), or undefined. */
export function openApiGroupVersion(
  registry: ResourceRegistry,
  path: string,
): Record<string, unknown> | undefined {
  const paths: Record<string, unknown> = {};
  for (const def of registry.all()) {
    for (const version of servedVersions(def)) {
      if (gvPath(def.group, version) !== path) continue;
      const scope = def.namespaced ? 'namespaces/{namespace}/' : '';
      paths[`/${path}/${scope}${def.plural}/{name}`] = patchOperation(def, version);
    }
  }
  if (Object.keys(paths).length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (fake)', version: apiVersionOf(registry.all()[0]!) },
    paths,
  };
}
