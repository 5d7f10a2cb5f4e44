// Flow results and a registry reader for the metrics tests.
import type { Registry } from 'prom-client';
import type { Expectation, FlowResult, Outcome, Verdict } from '../../../src/api/types.js';

export function result(
  flow: string,
  verdict: Verdict,
  outcome: Outcome,
  more: { expected?: Expectation; durationMs?: number } = {},
): FlowResult {
  const r: FlowResult = {
    flow,
    expected: more.expected ?? 'Allowed',
    outcome,
    detail: 'fixture',
    verdict,
    predicted: 'Unknown',
    diagnosis: 'fixture',
  };
  if (more.durationMs !== undefined) r.durationMs = more.durationMs;
  return r;
}

export interface Sample {
  labels: Record<string, string | number>;
  value: number;
}

/** The samples of one series name (for a histogram, pass e.g. `<family>_count`). */
export async function samples(registry: Registry, name: string): Promise<Sample[]> {
  const families = await registry.getMetricsAsJSON();
  return families.flatMap((f) =>
    f.values
      .filter((v) => ((v as { metricName?: string }).metricName ?? f.name) === name)
      .map((v) => ({ labels: { ...v.labels } as Record<string, string | number>, value: v.value })),
  );
}

/** The value of the one sample of `name` whose labels include `labels`, or undefined when there is none. */
export async function valueOf(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const found = (await samples(registry, name)).filter((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Every series that carries these labels, as `name{...}` strings (for "nothing is left" assertions). */
export async function seriesWith(registry: Registry, labels: Record<string, string>): Promise<string[]> {
  const families = await registry.getMetricsAsJSON();
  return families.flatMap((f) =>
    f.values
      .filter((v) =>
        Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val),
      )
      .map((v) => `${(v as { metricName?: string }).metricName ?? f.name}${JSON.stringify(v.labels)}`),
  );
}
