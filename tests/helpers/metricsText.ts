/**
 * Reading the relay's /metrics (Prometheus text format 0.0.4) in tests: fetch it, and read one
 * sample's value by name and labels.
 */

export interface Scrape {
  readonly status: number
  readonly contentType: string
  readonly text: string
}

export const scrapeMetrics = async (relay: { url: string }): Promise<Scrape> => {
  const res = await fetch(`${relay.url}/metrics`)
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() }
}

/** Every sample line as name, labels (as written, e.g. `{reason="x"}`, or '') and value. */
export const samples = (text: string): { name: string; labels: string; value: number }[] =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line)
      if (match === null) throw new Error(`not a Prometheus sample line: ${line}`)
      return { name: match[1] as string, labels: match[2] ?? '', value: Number(match[3]) }
    })

/** The value of `name{labels}` (labels as `reason="unauthorized"`), failing when there is no such sample. */
export const sampleValue = (text: string, name: string, labels = ''): number => {
  const wanted = labels === '' ? '' : `{${labels}}`
  const found = samples(text).find((s) => s.name === name && s.labels === wanted)
  if (found === undefined) throw new Error(`no sample ${name}${wanted} in /metrics`)
  return found.value
}

/** Scrapes and reads one sample. */
export const metricValue = async (relay: { url: string }, name: string, labels = ''): Promise<number> =>
  sampleValue((await scrapeMetrics(relay)).text, name, labels)
