/**
 * The controllers that finish deletions, in one sweep that runs (on setImmediate, never on a timer) after
 * every write:
 * - garbage collector: an object none of whose owners exist any more is deleted (background cascading
 *   deletion, https://kubernetes.io/docs/concepts/architecture/garbage-collection/); an owner deleted in the
 *   foreground keeps its `foregroundDeletion` finalizer until its dependents are gone;
 * - namespace controller: a terminating namespace has its content deleted, then goes away itself.
 */
import type { Lifecycle } from './lifecycle.js';
import type { ResourceRegistry } from './resources.js';
import type { Store } from './store.js';
import type { KubeObject } from './types.js';

const FOREGROUND = 'foregroundDeletion';

export class GarbageCollector {
  private pending: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly lifecycle: () => Lifecycle,
  ) {}

  schedule(): void {
    if (this.pending !== undefined || this.stopped) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      this.sweep();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.pending !== undefined) clearImmediate(this.pending);
    this.pending = undefined;
  }

  /** propagationPolicy Orphan: dependents lose their reference to the owner and stay. */
  orphan(owner: KubeObject): void {
    for (const [key, obj] of this.store.entries()) {
      const refs = obj.metadata.ownerReferences ?? [];
      const kept = refs.filter((r) => r.uid !== owner.metadata.uid);
      if (kept.length === refs.length) continue;
      if (kept.length === 0) delete obj.metadata.ownerReferences;
      else obj.metadata.ownerReferences = kept;
      this.store.put(key, obj, 'MODIFIED');
    }
  }

  private sweep(): void {
    // A read-only view: nothing here modifies an object without copying it first (finishForeground).
    const all = [...this.store.view()] as [string, KubeObject][];
    const uids = new Set(all.map(([, o]) => o.metadata.uid));
    const terminating = new Set(
      all
        .filter(([k, o]) => k === '/namespaces' && o.metadata.deletionTimestamp)
        .map(([, o]) => o.metadata.name),
    );
    for (const [key, obj] of all) {
      if (key === '/namespaces') continue;
      const ns = obj.metadata.namespace;
      const ownersGone =
        (obj.metadata.ownerReferences ?? []).length > 0 &&
        obj.metadata.ownerReferences!.every((r) => !uids.has(r.uid));
      if ((ns !== undefined && terminating.has(ns)) || ownersGone) this.deleteQuietly(key, obj);
      else if (obj.metadata.finalizers?.includes(FOREGROUND)) this.finishForeground(key, obj, all);
    }
    for (const name of terminating) this.finishNamespace(name!);
  }

  private finishForeground(key: string, owner: KubeObject, all: [string, KubeObject][]): void {
    const dependents = all.filter(([, o]) =>
      o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid),
    );
    for (const [depKey, dep] of dependents) this.deleteQuietly(depKey, dep);
    if (dependents.length > 0) return;
    const finalizers = (owner.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND);
    if (finalizers.length > 0) {
      const updated = structuredClone(owner);
      updated.metadata.finalizers = finalizers;
      this.store.put(key, updated, 'MODIFIED');
    } else {
      this.store.remove(key, owner.metadata.namespace ?? '', owner.metadata.name!);
    }
  }

  private finishNamespace(name: string): void {
    for (const [, obj] of this.store.view()) if (obj.metadata.namespace === name) return;
    const ns = this.store.get('/namespaces', '', name);
    if (ns && (ns.metadata.finalizers ?? []).length === 0) this.store.remove('/namespaces', '', name);
  }

  /** Deletes as a controller would; an object already gone or already deleting is fine. */
  private deleteQuietly(key: string, obj: KubeObject): void {
    const def = this.registry.byKey(key);
    if (!def || obj.metadata.deletionTimestamp) return;
    try {
      this.lifecycle().delete(def, obj.metadata.namespace ?? '', obj.metadata.name!, {
        propagationPolicy: 'Background',
      });
    } catch {
      // NotFound or a precondition race: the next sweep sees the current state.
    }
  }
}
