// A gauge whose series are computed from the operator's own state at each scrape rather than stored in
// prom-client (see flow-state.ts for why). It is registered like any metric, so `registry.metrics()`,
// `getSingleMetric` and `getMetricsAsJSON` see it; what it must not do is store series of its own, which
// would silently be exported next to the computed ones: its mutators throw.
import { Gauge, type GaugeConfiguration } from 'prom-client';
import type { FlowSample } from './flow-state.js';

type GaugeMetric<L extends string> = Awaited<ReturnType<Gauge<L>['get']>>;

export class ScrapeTimeGauge<L extends string> extends Gauge<L> {
  readonly #name: string;
  readonly #help: string;
  readonly #samples: () => FlowSample[];

  constructor(config: Omit<GaugeConfiguration<L>, 'collect'>, samples: () => FlowSample[]) {
    super(config);
    this.#name = config.name;
    this.#help = config.help;
    this.#samples = samples;
  }

  /**
   * The series, computed now, in the shape Gauge#get() has at runtime (prom-client's typings differ: a
   * numeric `type` enum where the registry writes the string, and a `collect` that get() never returns).
   */
  override get(): Promise<GaugeMetric<L>> {
    const metric = {
      name: this.#name,
      help: this.#help,
      type: 'gauge',
      aggregator: 'sum',
      values: this.#samples(),
    };
    return Promise.resolve(metric as unknown as GaugeMetric<L>);
  }

  /** The registry prefers this when a metric has it: keep the text scrape on the computed series too. */
  getForPromString(): Promise<GaugeMetric<L>> {
    return this.get();
  }

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

function computed(name: string): Error {
  return new Error(`${name} is computed at scrape time from the operator's state; it stores no series`);
}
