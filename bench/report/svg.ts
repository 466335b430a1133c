/**
 * Minimal SVG charts for docs/BENCHMARKS.md, written by hand: a line chart (one line per series
 * over shared x values) and a grouped bar chart. No dependencies; the output is plain SVG text.
 */

export interface Series {
  readonly name: string
  /** y for each x (NaN for a missing point: the line breaks there). */
  readonly values: readonly number[]
}

const WIDTH = 640
const HEIGHT = 320
const MARGIN = { top: 36, right: 170, bottom: 44, left: 64 }
const COLORS = ['#d1495b', '#00798c', '#edae49', '#66a182', '#2e4057', '#8d96a3']

const escape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

const niceMax = (max: number): number => {
  if (!(max > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude
  return 10 * magnitude
}

const formatTick = (value: number): string =>
  value >= 1000 ? `${Math.round(value / 100) / 10}k` : Number.isInteger(value) ? String(value) : value.toFixed(1)

const frame = (title: string, yLabel: string, yMax: number, body: string, legend: readonly string[]): string => {
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const y = MARGIN.top + plotH * (1 - f)
      return `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${formatTick(yMax * f)}</text>`
    })
    .join('')
  const legendItems = legend
    .map(
      (name, i) =>
        `<rect x="${WIDTH - MARGIN.right + 12}" y="${MARGIN.top + i * 20}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/><text x="${WIDTH - MARGIN.right + 30}" y="${MARGIN.top + i * 20 + 10}">${escape(name)}</text>`,
    )
    .join('')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="13" font-weight="bold">${escape(title)}</text>`,
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`,
    ticks,
    body,
    legendItems,
    '</svg>',
    '',
  ].join('\n')
}

/** Lines over categorical x values (evenly spaced). */
export const lineChart = (options: {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly x: readonly (string | number)[]
  readonly series: readonly Series[]
}): string => {
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const yMax = niceMax(Math.max(...options.series.flatMap((s) => s.values.filter(Number.isFinite))))
  const xAt = (i: number): number => MARGIN.left + (options.x.length === 1 ? plotW / 2 : (plotW * i) / (options.x.length - 1))
  const yAt = (v: number): number => MARGIN.top + plotH * (1 - Math.min(v, yMax) / yMax)
  const xTicks = options.x
    .map((x, i) => `<text x="${xAt(i)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escape(String(x))}</text>`)
    .join('')
  const lines = options.series
    .map((series, s) => {
      const color = COLORS[s % COLORS.length] as string
      let path = ''
      let pen = false
      series.values.forEach((v, i) => {
        if (!Number.isFinite(v)) {
          pen = false
          return
        }
        path += `${pen ? 'L' : 'M'}${xAt(i).toFixed(1)} ${yAt(v).toFixed(1)} `
        pen = true
      })
      const dots = series.values
        .map((v, i) => (Number.isFinite(v) ? `<circle cx="${xAt(i).toFixed(1)}" cy="${yAt(v).toFixed(1)}" r="3" fill="${color}"/>` : ''))
        .join('')
      return `<path d="${path.trim()}" fill="none" stroke="${color}" stroke-width="2"/>${dots}`
    })
    .join('')
  const xTitle = `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escape(options.xLabel)}</text>`
  return frame(options.title, options.yLabel, yMax, xTicks + lines + xTitle, options.series.map((s) => s.name))
}

/** Bars grouped by category, one bar per series; an optional dashed reference line (a floor). */
export const barChart = (options: {
  readonly title: string
  readonly yLabel: string
  readonly categories: readonly string[]
  readonly series: readonly Series[]
  readonly reference?: { readonly value: number; readonly label: string }
}): string => {
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const values = options.series.flatMap((s) => s.values.filter(Number.isFinite))
  const yMax = niceMax(Math.max(...values, options.reference?.value ?? 0))
  const groupW = plotW / options.categories.length
  const barW = (groupW * 0.8) / options.series.length
  const yAt = (v: number): number => MARGIN.top + plotH * (1 - Math.min(v, yMax) / yMax)
  const bars = options.series
    .map((series, s) =>
      series.values
        .map((v, c) => {
          if (!Number.isFinite(v)) return ''
          const x = MARGIN.left + groupW * c + groupW * 0.1 + barW * s
          return `<rect x="${x.toFixed(1)}" y="${yAt(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(MARGIN.top + plotH - yAt(v)).toFixed(1)}" fill="${COLORS[s % COLORS.length]}"/>`
        })
        .join(''),
    )
    .join('')
  const labels = options.categories
    .map((c, i) => `<text x="${MARGIN.left + groupW * (i + 0.5)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escape(c)}</text>`)
    .join('')
  const reference =
    options.reference === undefined
      ? ''
      : `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${yAt(options.reference.value)}" y2="${yAt(options.reference.value)}" stroke="#333" stroke-dasharray="5 4"/><text x="${MARGIN.left + plotW}" y="${yAt(options.reference.value) - 4}" text-anchor="end">${escape(options.reference.label)}</text>`
  return frame(options.title, options.yLabel, yMax, bars + labels + reference, options.series.map((s) => s.name))
}
