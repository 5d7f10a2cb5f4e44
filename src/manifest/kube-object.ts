// The shape every Kubernetes manifest shares, and where in the input it came from.

/** Any Kubernetes object: only `apiVersion` and `kind` are guaranteed; the rest is the kind's business. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** An object and its origin, so that every message can point the user at the file that holds it. */
export interface SourcedObject {
  file: string;
  /** The document's index within the file (0-based); items of a `List` share their list's index. */
  index: number;
  object: KubeObject;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
