// One shared copy of values that thousands of cached pods repeat: the label set of a ReplicaSet's pods,
// their container ports, their namespace and service-account names. JSON.parse gives every pod its own
// copies; interning them is most of what makes a cached pod small (compact-pod.ts).
//
// Shared objects are frozen, since every pod that holds one sees a change to it. They are found by a
// 32-bit hash of their content (a key string per label set would cost more than the set) and held weakly:
// a label set that no cached pod uses any more (a finished rollout's pod-template-hash) is collected, and
// its entry is swept once the table has doubled since the last sweep, so the table does not grow with the
// cluster's history.
//
// Strings cannot be held weakly. They are kept in two generations instead: a string asked for is moved into
// the current one, and when that is full the older generation is dropped with whatever no pod has asked for
// since — a namespace long gone. A live name dropped that way only costs a second copy for the pods that
// come after.

type Bucket = WeakRef<object> | WeakRef<object>[];

/** Strings per generation: far more names than pods of a change share, few enough to hold twice. */
const STRINGS_PER_GENERATION = 8192;

export class Interner {
  private strings = new Map<string, string>();
  private olderStrings = new Map<string, string>();
  private readonly objects = new Map<number, Bucket>();
  private sweepAt = 1024;

  /** The shared copy of a name (namespace, service account, port name). */
  string(s: string): string {
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit;
    const kept = this.olderStrings.get(s) ?? s;
    if (this.strings.size >= STRINGS_PER_GENERATION) {
      this.olderStrings = this.strings;
      this.strings = new Map();
    }
    this.strings.set(kept, kept);
    return kept;
  }

  /** How many strings the table holds (at most two generations). */
  get stringCount(): number {
    return this.strings.size + this.olderStrings.size;
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
