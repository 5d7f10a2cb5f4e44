/**
 * Legacy (unaggregated) discovery documents: /api, /api/v1, /apis, /apis/GROUP, /apis/GROUP/VERSION and
 * /version, shaped as kube-apiserver serves them (APIVersions, APIGroupList, APIGroup, APIResourceList).
 * kubectl reads them to map kinds and short names to resources.
 */
import { ALL_VERBS, type ResourceDef, type ResourceRegistry } from './resources.js';
import { scalePathsOf } from './scale-subresource.js';

type Doc = Record<string, unknown>;

function groupVersions(registry: ResourceRegistry): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const def of registry.all()) {
    const versions = groups.get(def.group) ?? [];
    for (const v of [def.version, ...def.otherVersions]) if (!versions.includes(v)) versions.push(v);
    groups.set(def.group, versions);
  }
  return groups;
}

function groupDoc(group: string, versions: string[]): Doc {
  const list = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

function resourceEntries(def: ResourceDef): Doc[] {
  const main: Doc = {
    name: def.plural,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: ALL_VERBS,
  };
  if (def.shortNames.length > 0) main.shortNames = def.shortNames;
  if (def.categories.length > 0) main.categories = def.categories;
  const entries = [main];
  const sub = (name: string, verbs: string[]): Doc => ({
    name: `${def.plural}/${name}`,
    singularName: '',
    namespaced: def.namespaced,
    kind: def.kind,
    verbs,
  });
  if (def.status) entries.push(sub('status', ['get', 'patch', 'update']));
  if (def.log) entries.push(sub('log', ['get']));
  // The scale client resolves a resource's Scale kind from this entry (client-go scale/util.go).
  if (scalePathsOf(def))
    entries.push({
      ...sub('scale', ['get', 'patch', 'update']),
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
  return entries;
}

/** The discovery document at `path`, or undefined when the path is not a discovery path. */
export function discoveryDoc(registry: ResourceRegistry, path: string, host: string): Doc | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  const groups = groupVersions(registry);
  if (path === '/version' || path === '/version/') {
    return { major: '1', minor: '33', gitVersion: 'v1.33.0-fake', platform: 'linux/amd64' };
  }
  if (parts.length === 1 && parts[0] === 'api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
    };
  }
  if (parts.length === 1 && parts[0] === 'apis') {
    const list = [...groups].filter(([g]) => g !== '').map(([g, v]) => groupDoc(g, v));
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: list };
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const versions = groups.get(parts[1]!);
    return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(parts[1]!, versions) } : undefined;
  }
  const [group, version] =
    parts[0] === 'api' && parts.length === 2
      ? ['', parts[1]!]
      : parts[0] === 'apis' && parts.length === 3
        ? [parts[1]!, parts[2]!]
        : [];
  if (group === undefined || version === undefined) return undefined;
  const defs = registry
    .all()
    .filter((d) => d.group === group && [d.version, ...d.otherVersions].includes(version));
  if (defs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: defs.flatMap(resourceEntries),
  };
}
