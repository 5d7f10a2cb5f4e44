/**
 * The resource types the fake serves: built-in ones (fixed) and those that CRDs add at run time.
 * A definition carries what discovery, routing, validation and the lifecycle rules need.
 */
import { eventFromCore, eventToCore } from './event-conversion.js';
import { eventValidator } from './event-validation.js';
import { validatePod } from './pod-validation.js';
import { disruptionResources } from './disruption-resources.js';
import type { ScalePaths } from './scale-subresource.js';
import type { FieldCause, KubeObject } from './types.js';

/** An additionalPrinterColumns entry of a CRD version. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface ResourceDef {
  group: string;
  version: string;
  /** Other versions served from the same storage (CRDs with conversion strategy None). */
  otherVersions: string[];
  plural: string;
  singular: string;
  kind: string;
  /** The list kind when it is not `${kind}List` (a CRD's names.listKind). */
  listKind?: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources besides the main resource. */
  status: boolean;
  log: boolean;
  /** Whether metadata.generation is maintained (CRs, and built-ins whose strategy sets it). */
  generation: boolean;
  /** Validates a whole object (create/update); `old` is set on update. */
  validate?: (obj: KubeObject, old: KubeObject | undefined) => Promise<FieldCause[]>;
  /** Applies defaults and prunes unknown fields before validation; returns the pruned paths. */
  defaults?: (obj: KubeObject) => string[];
  /** Custom resources: the storage version's additionalPrinterColumns (kubectl get). */
  printerColumns?: PrinterColumn[];
  /** Set when the objects live in another resource's storage, converted (events.k8s.io Events). */
  storage?: {
    key: string;
    toStorage: (obj: KubeObject) => KubeObject;
    fromStorage: (obj: KubeObject) => KubeObject;
  };
  /** Set for custom resources: the CRD's name. */
  crdName?: string;
  /** A CRD's `subresources.scale` (built-ins with scale: scale-subresource.ts). */
  scale?: ScalePaths;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(def: ResourceDef, version = def.version): string {
  return def.group === '' ? version : `${def.group}/${version}`;
}

/** The storage key of a resource: group and plural, independent of the version asked for. */
export function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

type BuiltinSeed = Pick<ResourceDef, 'group' | 'version' | 'plural' | 'kind' | 'namespaced'> &
  Partial<ResourceDef>;

function builtin(seed: BuiltinSeed): ResourceDef {
  return {
    otherVersions: [],
    singular: seed.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    status: false,
    log: false,
    generation: false,
    ...seed,
  };
}

/** Short names and categories as kube-apiserver's discovery lists them (pkg/registry/.../storage). */
export function builtinResources(): ResourceDef[] {
  return [
    builtin({
      group: '',
      version: 'v1',
      plural: 'namespaces',
      kind: 'Namespace',
      namespaced: false,
      shortNames: ['ns'],
      status: true,
    }),
    builtin({
      group: '',
      version: 'v1',
      plural: 'pods',
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
      status: true,
      log: true,
      generation: true,
      validate: validatePod,
    }),
    builtin({
      group: '',
      version: 'v1',
      plural: 'services',
      kind: 'Service',
      namespaced: true,
      shortNames: ['svc'],
      categories: ['all'],
      status: true,
    }),
    builtin({
      group: '',
      version: 'v1',
      plural: 'events',
      kind: 'Event',
      namespaced: true,
      shortNames: ['ev'],
      validate: eventValidator('core/v1'),
    }),
    builtin({
      group: '',
      version: 'v1',
      plural: 'configmaps',
      kind: 'ConfigMap',
      namespaced: true,
      shortNames: ['cm'],
    }),
    // Workloads are stored and served; pods for them come from the FAKE cluster's workload controller.
    ...(['Deployment', 'StatefulSet', 'DaemonSet'] as const).map((kind) =>
      builtin({
        group: 'apps',
        version: 'v1',
        plural: `${kind.toLowerCase()}s`,
        kind,
        namespaced: true,
        shortNames: [{ Deployment: 'deploy', StatefulSet: 'sts', DaemonSet: 'ds' }[kind]],
        categories: ['all'],
        status: true,
        generation: true,
      }),
    ),
    builtin({
      group: '',
      version: 'v1',
      plural: 'serviceaccounts',
      kind: 'ServiceAccount',
      namespaced: true,
      shortNames: ['sa'],
    }),
    builtin({
      group: 'events.k8s.io',
      version: 'v1',
      plural: 'events',
      kind: 'Event',
      namespaced: true,
      shortNames: ['ev'],
      storage: { key: '/events', toStorage: eventToCore, fromStorage: eventFromCore },
      validate: eventValidator('events.k8s.io/v1'),
    }),
    builtin({
      group: 'networking.k8s.io',
      version: 'v1',
      plural: 'networkpolicies',
      kind: 'NetworkPolicy',
      namespaced: true,
      shortNames: ['netpol'],
      generation: true,
    }),
    builtin({
      group: 'coordination.k8s.io',
      version: 'v1',
      plural: 'leases',
      kind: 'Lease',
      namespaced: true,
    }),
    builtin({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      plural: 'roles',
      kind: 'Role',
      namespaced: true,
    }),
    builtin({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      plural: 'clusterroles',
      kind: 'ClusterRole',
      namespaced: false,
    }),
    builtin({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      plural: 'rolebindings',
      kind: 'RoleBinding',
      namespaced: true,
    }),
    builtin({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      plural: 'clusterrolebindings',
      kind: 'ClusterRoleBinding',
      namespaced: false,
    }),
    builtin({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      plural: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      status: true,
      generation: true,
    }),
    ...disruptionResources(),
  ];
}

/** Finds resource definitions by group/version/plural, and by kind for discovery-less callers. */
export class ResourceRegistry {
  private readonly defs = new Map<string, ResourceDef>();

  constructor(initial: ResourceDef[]) {
    for (const def of initial) this.add(def);
  }

  add(def: ResourceDef): void {
    this.defs.set(resourceKey(def.group, def.plural), def);
  }

  remove(group: string, plural: string): void {
    this.defs.delete(resourceKey(group, plural));
  }

  /** The definition serving `group/version/plural`, if that version is served. */
  find(group: string, version: string, plural: string): ResourceDef | undefined {
    const def = this.defs.get(resourceKey(group, plural));
    if (!def) return undefined;
    return def.version === version || def.otherVersions.includes(version) ? def : undefined;
  }

  byKey(key: string): ResourceDef | undefined {
    return this.defs.get(key);
  }

  byKind(apiVersion: string, kind: string): ResourceDef | undefined {
    for (const def of this.defs.values()) {
      const versions = [def.version, ...def.otherVersions].map((v) => apiVersionOf(def, v));
      if (def.kind === kind && versions.includes(apiVersion)) return def;
    }
    return undefined;
  }

  all(): ResourceDef[] {
    return [...this.defs.values()];
  }
}
