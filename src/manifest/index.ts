export { loadManifests, STDIN_NAME, STDIN_PATH } from './load.js';
export type { KubeObject, SourcedObject } from './kube-object.js';
export { ManifestError } from './manifest-error.js';
export { parseDocuments } from './parse-documents.js';
