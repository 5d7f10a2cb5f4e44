// Starts a scenario now and lets an `it` await it later: a rejection is kept for the `it` to throw, not
// left unhandled. Lets a describe start its slow scenarios in parallel in `before`.

export function started<T>(run: () => Promise<T>): () => Promise<T> {
  const settled = run().then(
    (r) => ({ ok: true as const, r }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  return async () => {
    const s = await settled;
    if (!s.ok) throw s.err;
    return s.r;
  };
}
