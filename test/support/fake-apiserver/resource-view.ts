/**
 * One resource's objects in the store, in that resource's own shape. Most resources store what they serve;
 * events.k8s.io/v1 Events share the core/v1 Events' storage through a conversion (event-conversion.ts).
 */
import type { ResourceDef } from './resources.js';
import { checkStoredSize } from './size-limits.js';
import type { Store } from './store.js';
import type { KubeObject } from './types.js';

/** The store key of a resource's objects. */
export function storageKey(def: ResourceDef): string {
  return def.storage?.key ?? `${def.group}/${def.plural}`;
}

/** Converts a stored object to the resource's shape (identity for most resources). */
export function fromStorage(def: ResourceDef): (obj: KubeObject) => KubeObject {
  return def.storage?.fromStorage ?? ((obj) => obj);
}

export class ResourceView {
  readonly key: string;

  constructor(
    private readonly store: Store,
    private readonly def: ResourceDef,
  ) {
    this.key = storageKey(def);
  }

  get(namespace: string, name: string): KubeObject | undefined {
    const obj = this.store.get(this.key, this.def.namespaced ? namespace : '', name);
    return obj ? this.out(obj) : undefined;
  }

  list(namespace?: string): KubeObject[] {
    return this.store.list(this.key, namespace).map((o) => this.out(o));
  }

  put(obj: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    const stored = this.def.storage ? this.def.storage.toStorage(obj) : obj;
    checkStoredSize(stored);
    return this.out(this.store.put(this.key, stored, type));
  }

  remove(namespace: string, name: string): KubeObject | undefined {
    const gone = this.store.remove(this.key, namespace, name);
    return gone ? this.out(gone) : undefined;
  }

  private out(obj: KubeObject): KubeObject {
    return this.def.storage ? this.def.storage.fromStorage(obj) : obj;
  }
}
