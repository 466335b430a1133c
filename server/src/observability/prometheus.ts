/**
 * A minimal Prometheus registry, without dependencies.
 *
 * Metrics are declared once, up front, on a registry; `render()` writes every family in the
 * Prometheus text exposition format, version 0.0.4 (https://prometheus.io/docs/instrumenting/
 * exposition_formats/): for each family a `# HELP` line (backslash and newline escaped), a
 * `# TYPE` line, then one sample per line, `name{label="value",…} number`, with `\`, `"` and
 * newlines escaped in label values. A histogram renders cumulative `name_bucket{le="…"}` samples
 * ending with `le="+Inf"`, then `name_sum` and `name_count`. The output ends with a newline.
 *
 * Recording never throws: a metric must not take the relay down. A counter ignores negative or
 * non-finite increments and a histogram ignores non-finite observations. Declaring a metric with
 * a bad or duplicate name does throw, at start, where the mistake is a programming error.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram'

/** The content type of `render()`'s output, for the HTTP response. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export interface Counter {
  /** Adds `by` (default 1); negative or non-finite amounts are ignored. */
  inc(by?: number): void
  get(): number
}

export interface Gauge {
  set(value: number): void
  inc(by?: number): void
  dec(by?: number): void
  get(): number
}

/** A counter with one label whose values are known in advance (each starts at 0). */
export interface LabelledCounter<V extends string> {
  inc(labelValue: V, by?: number): void
  get(labelValue: V): number
}

export interface Histogram {
  observe(value: number): void
  /** Runs `fn` and observes how long it took, in seconds (also when it throws). */
  time<T>(fn: () => T): T
}

/** One line of a family: an optional name suffix (`_bucket`), labels and a value. */
export interface Sample {
  readonly suffix?: string
  readonly labels?: Readonly<Record<string, string>>
  readonly value: number
}

export interface Registry {
  counter(name: string, help: string): Counter
  gauge(name: string, help: string): Gauge
  labelledCounter<V extends string>(name: string, help: string, label: string, values: readonly V[]): LabelledCounter<V>
  /** `buckets` are upper bounds in increasing order; `+Inf` is added. */
  histogram(name: string, help: string, buckets: readonly number[]): Histogram
  /** A family whose samples are read when rendering (process figures, event-loop delay). */
  collected(name: string, help: string, type: MetricType, samples: () => readonly Sample[]): void
  render(): string
}

interface Family {
  readonly name: string
  readonly help: string
  readonly type: MetricType
  readonly samples: () => readonly Sample[]
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

export const escapeHelp = (text: string): string => text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')

export const escapeLabelValue = (text: string): string =>
  text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')

/** A sample value as Prometheus parses it (Go's ParseFloat syntax, `+Inf`, `-Inf`, `NaN`). */
export const formatValue = (value: number): string => {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}

const formatLabels = (labels: Readonly<Record<string, string>> | undefined): string => {
  if (labels === undefined) return ''
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`
}

const validIncrement = (by: number): boolean => Number.isFinite(by) && by >= 0

export const createRegistry = (): Registry => {
  const families: Family[] = []

  const declare = (family: Family): void => {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name "${family.name}"`)
    if (families.some((f) => f.name === family.name)) throw new Error(`metric "${family.name}" declared twice`)
    families.push(family)
  }

  return {
    counter(name, help) {
      let value = 0
      declare({ name, help, type: 'counter', samples: () => [{ value }] })
      return {
        inc: (by = 1) => {
          if (validIncrement(by)) value += by
        },
        get: () => value,
      }
    },

    gauge(name, help) {
      let value = 0
      declare({ name, help, type: 'gauge', samples: () => [{ value }] })
      return {
        set: (v) => {
          value = v
        },
        inc: (by = 1) => {
          value += by
        },
        dec: (by = 1) => {
          value -= by
        },
        get: () => value,
      }
    },

    labelledCounter(name, help, label, values) {
      if (!LABEL_NAME.test(label) || label.startsWith('__')) throw new Error(`invalid label name "${label}"`)
      const counts = new Map<string, number>(values.map((v) => [v, 0]))
      declare({
        name,
        help,
        type: 'counter',
        samples: () => [...counts].map(([labelValue, value]) => ({ labels: { [label]: labelValue }, value })),
      })
      return {
        inc: (labelValue, by = 1) => {
          if (validIncrement(by)) counts.set(labelValue, (counts.get(labelValue) ?? 0) + by)
        },
        get: (labelValue) => counts.get(labelValue) ?? 0,
      }
    },

    histogram(name, help, buckets) {
      const increasing = buckets.every((b, i) => Number.isFinite(b) && (i === 0 || b > (buckets[i - 1] as number)))
      if (buckets.length === 0 || !increasing) {
        throw new Error(`histogram "${name}" needs finite buckets in increasing order`)
      }
      // Per-bucket counts (not cumulative); the last slot counts observations above every bound.
      const counts = new Array<number>(buckets.length + 1).fill(0)
      let sum = 0
      let count = 0
      declare({
        name,
        help,
        type: 'histogram',
        samples: () => {
          const lines: Sample[] = []
          let cumulative = 0
          buckets.forEach((bound, i) => {
            cumulative += counts[i] as number
            lines.push({ suffix: '_bucket', labels: { le: formatValue(bound) }, value: cumulative })
          })
          lines.push({ suffix: '_bucket', labels: { le: '+Inf' }, value: count })
          lines.push({ suffix: '_sum', value: sum })
          lines.push({ suffix: '_count', value: count })
          return lines
        },
      })
      const observe = (value: number): void => {
        if (!Number.isFinite(value)) return
        const index = buckets.findIndex((bound) => value <= bound)
        const slot = index === -1 ? buckets.length : index
        counts[slot] = (counts[slot] as number) + 1
        sum += value
        count += 1
      }
      return {
        observe,
        time: (fn) => {
          const start = process.hrtime.bigint()
          try {
            return fn()
          } finally {
            observe(Number(process.hrtime.bigint() - start) / 1e9)
          }
        },
      }
    },

    collected(name, help, type, samples) {
      declare({ name, help, type, samples })
    },

    render() {
      let out = ''
      for (const family of families) {
        out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`
        for (const sample of family.samples()) {
          out += `${family.name}${sample.suffix ?? ''}${formatLabels(sample.labels)} ${formatValue(sample.value)}\n`
        }
      }
      return out
    },
  }
}
