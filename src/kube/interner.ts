// One shared copy of values that thousands of cached pods repeat: the label set of a ReplicaSet's pods,
// their container ports, their namespace and service-account names. JSON.parse gives every pod its own
// copies; interning them is most of what makes a cached pod small (compact-pod.ts).
//
// Shared objects are frozen, since every pod that holds one sees a change to it. They are found by a
// 32-bit hash of their content (a key string per label set would cost more than the set) and held weakly:
// a label set that no cached pod uses any more (a finished rollout's pod-template-hash) is collected, and
// its entry is swept once the table has doubled since the last sweep, so the table does not grow with the
// cluster's history.

type Bucket = WeakRef<object> | WeakRef<object>[];

export class Interner {
  private readonly strings = new Map<string, string>();
  private readonly objects = new Map<number, Bucket>();
  private sweepAt = 1024;

  /**
   * The one copy of a string. For names from a bounded set (namespaces, service accounts, port names):
   * strings cannot be held weakly, so the table keeps every one it was given.
   */
  string(s: string): string {
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit;
    this.strings.set(s, s);
    return s;
  }

  /**
   * The shared, frozen object equal to the one `make` builds: `hash` is the content's hash and `same`
   * tells whether an interned object has that content.
   */
  object<T extends object>(hash: number, same: (candidate: T) => boolean, make: () => T): Readonly<T> {
    const bucket = this.objects.get(hash);
    for (const ref of bucket === undefined ? [] : Array.isArray(bucket) ? bucket : [bucket]) {
      const candidate = ref.deref() as T | undefined;
      if (candidate !== undefined && same(candidate)) return candidate;
    }
    const made = Object.freeze(make());
    const ref = new WeakRef<object>(made);
    if (bucket === undefined) this.objects.set(hash, ref);
    else this.objects.set(hash, [...(Array.isArray(bucket) ? bucket : [bucket]), ref]);
    if (this.objects.size >= this.sweepAt) this.sweep();
    return made;
  }

  /** How many shared objects the table holds entries for (collected ones until the next sweep). */
  get size(): number {
    return this.objects.size;
  }

  private sweep(): void {
    for (const [hash, bucket] of this.objects) {
      const live = (Array.isArray(bucket) ? bucket : [bucket]).filter((r) => r.deref() !== undefined);
      if (live.length === 0) this.objects.delete(hash);
      else this.objects.set(hash, live.length === 1 ? (live[0] as WeakRef<object>) : live);
    }
    this.sweepAt = Math.max(1024, this.objects.size * 2);
  }
}

/** FNV-1a over a string, continuing from `h` (the offset basis to start). */
export function hashString(s: string, h = 0x811c9dc5): number {
  let x = h;
  for (let i = 0; i < s.length; i++) {
    x ^= s.charCodeAt(i);
    x = Math.imul(x, 0x01000193);
  }
  return x | 0;
}
