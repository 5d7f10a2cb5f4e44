// Which policy kinds (policy-kinds.ts) the API server serves, read from its legacy discovery documents as
// client-go's discovery client reads them: /apis lists the group versions (an APIGroupList), and
// /apis/GROUP/VERSION the resources of one (an APIResourceList, with each resource's verbs). A resource
// counts as served when it can be listed and watched. Only the group versions of policy kinds that /apis
// lists are read, so a cluster without any of them costs one request.
import { policyGroupVersions, resourceId } from './policy-kinds.js';

/** GET a discovery document; undefined when the server answers 404 (the group version is not served). */
export type DiscoveryGet = (path: string) => Promise<object | undefined>;

export interface PolicyDiscovery {
  /** `group/version/plural` of every served policy resource. */
  served: Set<string>;
  /** Group versions /apis lists whose own document could not be read (an aggregated API server down). */
  failed: { groupVersion: string; error: unknown }[];
}

interface GroupList {
  groups?: { versions?: { groupVersion?: string }[] }[];
}

interface ResourceList {
  resources?: { name?: string; verbs?: string[] }[];
}

export async function discoverPolicyKinds(get: DiscoveryGet): Promise<PolicyDiscovery> {
  const groups = ((await get('/apis')) ?? {}) as GroupList;
  const listed = new Set(
    (groups.groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion ?? '')),
  );
  const wanted = policyGroupVersions().filter((gv) => listed.has(gv));
  const served = new Set<string>();
  const failed: PolicyDiscovery['failed'] = [];
  await Promise.all(
    wanted.map(async (groupVersion) => {
      try {
        const doc = ((await get(`/apis/${groupVersion}`)) ?? {}) as ResourceList;
        for (const id of servedResources(groupVersion, doc)) served.add(id);
      } catch (error) {
        failed.push({ groupVersion, error });
      }
    }),
  );
  return { served, failed };
}

/** Resources of one APIResourceList that can be listed and watched (subresources such as `x/status` not). */
function servedResources(groupVersion: string, doc: ResourceList): string[] {
  const [group = '', version = ''] = groupVersion.split('/');
  return (doc.resources ?? [])
    .filter((r) => r.name && !r.name.includes('/'))
    .filter((r) => r.verbs?.includes('list') && r.verbs.includes('watch'))
    .map((r) => resourceId({ group, version, plural: r.name ?? '' }));
}
