// /metrics as a stream of text chunks, byte for byte what `registry.metrics()` returns. A scrape of 1,000
// tests × 10 flows is ~14 MB of text in ~155k lines; built at once (prom-client's way: every family's lines
// in arrays, then joined) it briefly held ~70 MB, more than the operator otherwise needs. Streamed, only a
// batch of lines of the per-test and per-flow families (ScrapeTimeMetric) and one small family at a time are alive.
import { Registry, type RegistryContentType } from 'prom-client';
import { ScrapeTimeMetric } from './scrape-time-metric.js';

export async function* expositionChunks(registry: Registry<RegistryContentType>): AsyncGenerator<string> {
  if (registry.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) {
    // OpenMetrics renames counters and ends with `# EOF`: not worth a second writer, nothing asks for it.
    yield await registry.metrics();
    return;
  }
  let first = true;
  for (const metric of registry.getMetricsAsArray()) {
    if (!first) yield '\n\n';
    first = false;
    if (metric instanceof ScrapeTimeMetric) yield* metric.textChunks();
    else yield await registry.getSingleMetricAsString(metric.name);
  }
  yield '\n';
}
