/**
 * Turns a request path and method into the attributes kube-apiserver authorizes and routes on
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): verb, API group/version, resource, subresource,
 * namespace, name; or a non-resource path such as /api or /version.
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /**
   * The name RBAC checks resourceNames against: the path's, or for list/watch the one a
   * `fieldSelector=metadata.name=X` selects (requestinfo.go does the same).
   */
  authorizedName: string;
}

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  GET: 'get',
  DELETE: 'delete',
};

function nonResource(path: string, method: string): RequestInfo {
  return {
    isResourceRequest: false,
    path,
    // Non-resource requests are authorized on the lowercased HTTP method (get, post, ...).
    verb: method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    authorizedName: '',
  };
}

/** Splits `/api/v1/...` or `/apis/group/version/...`; discovery paths stay non-resource requests. */
function prefix(parts: string[]): { group: string; version: string; rest: string[] } | undefined {
  if (parts[0] === 'api' && parts.length >= 3) return { group: '', version: parts[1]!, rest: parts.slice(2) };
  if (parts[0] === 'apis' && parts.length >= 4)
    return { group: parts[1]!, version: parts[2]!, rest: parts.slice(3) };
  return undefined;
}

export function requestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const parts = path.split('/').filter((p) => p !== '');
  const gv = prefix(parts);
  if (!gv) return nonResource(path, method);
  let rest = gv.rest;
  let namespace = '';
  // /namespaces/{ns}/{resource}/... — but /namespaces/{name} and /namespaces/{name}/status are the namespace itself.
  const namespaceSubresource = rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(gv.group === '' && namespaceSubresource)) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  const [resource = '', name = '', subresource = ''] = rest;
  if (resource === 'namespaces' && name !== '') namespace = name;
  let verb = METHOD_VERBS[method] ?? method.toLowerCase();
  if (verb === 'get' && name === '') verb = isWatch(url) ? 'watch' : 'list';
  else if (verb === 'delete' && name === '') verb = 'deletecollection';
  return {
    isResourceRequest: true,
    path,
    verb,
    apiGroup: gv.group,
    apiVersion: gv.version,
    namespace,
    resource,
    subresource,
    name,
    authorizedName: name === '' && (verb === 'list' || verb === 'watch') ? selectedName(url) : name,
  };
}

function selectedName(url: URL): string {
  const selector = url.searchParams.get('fieldSelector') ?? '';
  const match = /^metadata\.name==?([^,]*)$/.exec(selector.trim());
  return match ? match[1]! : '';
}

export function isWatch(url: URL): boolean {
  const value = url.searchParams.get('watch');
  return value === 'true' || value === '1';
}
