// A gauge or counter family whose series are computed from the operator's own state at each scrape rather
// than stored in prom-client (see test-state.ts for why). It is registered like any metric, so
// `registry.metrics()`, `getSingleMetric` and `getMetricsAsJSON` see it; what it must not do is store series
// of its own, which would silently be exported next to the computed ones: its mutators throw. `textChunks`
// writes its text a batch of lines at a time, for the streamed /metrics (exposition.ts).
//
// It extends Gauge for both types only to be a prom-client metric the Registry accepts: the Registry reads
// name, help, type and series from get(), and a counter's series differ from a gauge's only in that TYPE.
import { Gauge, type GaugeConfiguration } from 'prom-client';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export type ScrapeTimeType = 'gauge' | 'counter';

type MetricJSON<L extends string> = Awaited<ReturnType<Gauge<L>['get']>>;

export class ScrapeTimeMetric<L extends string> extends Gauge<L> {
  readonly #name: string;
  readonly #help: string;
  readonly #type: ScrapeTimeType;
  readonly #samples: () => Iterable<Sample>;

  constructor(
    config: Omit<GaugeConfiguration<L>, 'collect'> & { type: ScrapeTimeType },
    samples: () => Iterable<Sample>,
  ) {
    const { type, ...gaugeConfig } = config;
    super(gaugeConfig);
    this.#name = config.name;
    this.#help = config.help;
    this.#type = type;
    this.#samples = samples;
  }

  /**
   * The series, computed now, in the shape Gauge#get() and Counter#get() have at runtime (prom-client's
   * typings differ: a numeric `type` enum where the registry writes the string, and a `collect` that get()
   * never returns).
   */
  override get(): Promise<MetricJSON<L>> {
    const metric = {
      name: this.#name,
      help: this.#help,
      type: this.#type,
      aggregator: 'sum',
      values: [...this.#samples()],
    };
    return Promise.resolve(metric as unknown as MetricJSON<L>);
  }

  /**
   * The family in the Prometheus text format, exactly as prom-client's Registry writes it (HELP, TYPE, one
   * line per series, no trailing newline), in chunks of at most `linesPerChunk` series.
   */
  *textChunks(linesPerChunk = 1000): Generator<string> {
    const name = escape(this.#name);
    let chunk = `# HELP ${name} ${escape(this.#help)}\n# TYPE ${name} ${this.#type}`;
    let lines = 0;
    for (const { labels, value } of this.#samples()) {
      const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escape(v).replace(/"/g, '\\"')}"`);
      chunk += `\n${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${valueText(value)}`;
      if (++lines === linesPerChunk) {
        yield chunk;
        chunk = '';
        lines = 0;
      }
    }
    if (chunk !== '') yield chunk;
  }

  /** The registry prefers this when a metric has it: keep the text scrape on the computed series too. */
  getForPromString(): Promise<MetricJSON<L>> {
    return this.get();
  }

  // Every way Gauge or Counter has to store a series (a counter's are inc, labels and remove).
  override set(): never {
    throw computed(this.#name);
  }
  override inc(): never {
    throw computed(this.#name);
  }
  override dec(): never {
    throw computed(this.#name);
  }
  override setToCurrentTime(): never {
    throw computed(this.#name);
  }
  override startTimer(): never {
    throw computed(this.#name);
  }
  override labels(): never {
    throw computed(this.#name);
  }
  override remove(): never {
    throw computed(this.#name);
  }
}

/** prom-client's escaping of names, help and label values (backslash and newline). */
function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** prom-client's rendering of a sample value. */
function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return String(value);
}

function computed(name: string): Error {
  return new Error(`${name} is computed at scrape time from the operator's state; it stores no series`);
}
