/** Number formatting for the report: fixed, readable, and honest about missing values. */

export const num = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '—')

export const int = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—')

export const kb = (bytes: number, digits = 1): string => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(digits) : '—')

export const mb = (bytes: number, digits = 1): string => (Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(digits) : '—')

/** `a / b` as `0.42×`, or — when either side is missing. */
export const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—')

export const verdict = (met: boolean | null): string => (met === null ? 'n/a' : met ? 'met' : '**missed**')

/** A markdown table from a header row and body rows. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map((cell) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`),
  ].join('\n')
