/**
 * Metadata-only responses (meta.k8s.io/v1 PartialObjectMetadata), which client-go's metadata client
 * (k8s.io/client-go/metadata) asks for with `Accept: application/json;as=PartialObjectMetadataList;
 * g=meta.k8s.io;v=v1` on a list and `as=PartialObjectMetadata` on a get or watch; kube-apiserver answers
 * them for every resource, built-in or custom (apiserver pkg/endpoints/handlers/response.go
 * `asPartialObjectMetadata`, `asPartialObjectMetadataList`). Each object keeps its metadata only
 * (managedFields and annotations included) as kind PartialObjectMetadata; a list is a
 * PartialObjectMetadataList with the list's metadata (resourceVersion, continue). Asking for the list form
 * of one object, or the object form of a list, is 406 NotAcceptable, as response.go refuses it.
 */
import type { KubeObject } from './types.js';
import { ApiStatusError } from './status-errors.js';

export const META_V1 = 'meta.k8s.io/v1';
export type MetadataAs = 'PartialObjectMetadata' | 'PartialObjectMetadataList';

/** The metadata form the Accept header asks for, if any. */
export function wantsMetadata(accept: string | undefined): MetadataAs | undefined {
  for (const part of (accept ?? '').split(',')) {
    const as = /;\s*as=(PartialObjectMetadata(?:List)?)\b/.exec(part)?.[1];
    if (as && /;\s*g=meta\.k8s\.io\b/.test(part) && /;\s*v=v1\b/.test(part)) return as as MetadataAs;
  }
  return undefined;
}

/** 406 unless the client asked for `expected` (the object form for get and watch, the list form for list). */
export function checkMetadataForm(asked: MetadataAs, expected: MetadataAs): void {
  if (asked === expected) return;
  throw new ApiStatusError(
    406,
    'NotAcceptable',
    expected === 'PartialObjectMetadata'
      ? 'you requested PartialObjectMetadataList, but the requested object is not a list'
      : 'you requested PartialObjectMetadata, but the requested object is a list',
  );
}

export function asPartialMetadata(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: META_V1, metadata: obj.metadata };
}
