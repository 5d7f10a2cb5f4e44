/**
 * CustomResourceDefinitions: turns a CRD into a served resource (every served version, conversion None),
 * with defaulting, pruning and validation from its structural schema, and fills the CRD's status the way
 * apiextensions-apiserver's controllers do (NamesAccepted, Established), synchronously here.
 */
import type { PrinterColumn, ResourceDef } from './resources.js';
import type { ScalePaths } from './scale-subresource.js';
import { validateCustomResource } from './schema-validation.js';
import { applyDefaults, prune, type Schema } from './structural-schema.js';
import { isRecord, type KubeObject } from './types.js';
import { now } from './object-meta.js';

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: Schema };
  subresources?: { status?: unknown; scale?: ScalePaths };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: CrdVersion[];
}

function specOf(crd: KubeObject): CrdSpec {
  return crd.spec as CrdSpec;
}

function versionOf(apiVersion: string | undefined): string {
  return (apiVersion ?? '').split('/').pop() ?? '';
}

function schemaFor(spec: CrdSpec, apiVersion: string | undefined): Schema {
  const version = spec.versions.find((v) => v.name === versionOf(apiVersion));
  return version?.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}

/** The resource a CRD serves, or undefined when it serves no version. */
export function resourceFromCrd(crd: KubeObject): ResourceDef | undefined {
  const spec = specOf(crd);
  const served = spec.versions.filter((v) => v.served !== false);
  const storage = served.find((v) => v.storage === true) ?? served[0];
  if (!storage) return undefined;
  return {
    group: spec.group,
    version: storage.name,
    otherVersions: served.filter((v) => v !== storage).map((v) => v.name),
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    kind: spec.names.kind,
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    namespaced: spec.scope === 'Namespaced',
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    status: storage.subresources?.status !== undefined,
    log: false,
    generation: true,
    crdName: crd.metadata.name!,
    ...(storage.subresources?.scale ? { scale: storage.subresources.scale } : {}),
    printerColumns: storage.additionalPrinterColumns ?? [],
    defaults: (obj) => {
      const schema = schemaFor(spec, obj.apiVersion);
      applyDefaults(schema, obj);
      return prune(schema, obj, true);
    },
    validate: (obj, old) =>
      Promise.resolve(validateCustomResource(schemaFor(spec, obj.apiVersion), obj, old)),
  };
}

/** Status as the CRD controllers would write it once names are accepted and the resource is served. */
export function establishedStatus(crd: KubeObject): Record<string, unknown> {
  const spec = specOf(crd);
  const time = now();
  const condition = (type: string, reason: string, message: string): Record<string, unknown> => ({
    type,
    status: 'True',
    lastTransitionTime: time,
    reason,
    message,
  });
  return {
    acceptedNames: spec.names,
    storedVersions: spec.versions.filter((v) => v.storage === true).map((v) => v.name),
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
  };
}

export function isCrd(obj: KubeObject): boolean {
  return obj.kind === 'CustomResourceDefinition' && isRecord(obj.spec);
}
