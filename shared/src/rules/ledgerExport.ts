import type { LedgerId } from '../model/ids'
import type { EntryEnvelope, ImportProblem } from '../model/ledger'
import { canonicalJson } from './canonical'
import type { LedgerVerifier } from './ledgerEntries'
import type { LedgerEntryView, LedgerSignature } from './ledgerView'

/**
 * Export and import of a ledger's entries with their signatures (SPEC [G16]), as JSON Lines (one
 * entry per line) or CSV (RFC 4180: a header, then one record per entry). Both carry each entry's
 * signed bytes verbatim, so that an import re-verifies exactly what was signed; the readable CSV
 * columns are checked against those bytes.
 */
export interface LedgerExportRecord {
  readonly id: string
  readonly envelope: EntryEnvelope
  readonly consents: readonly LedgerSignature[]
  readonly declines: readonly LedgerSignature[]
}

export interface ParsedLedgerFile {
  readonly records: readonly { readonly line: number; readonly record: LedgerExportRecord }[]
  readonly problems: readonly ImportProblem[]
}

/** Entries that verify on their own (every status but invalid), in view order. */
const exportable = (entries: readonly LedgerEntryView[]) =>
  entries.filter((e): e is LedgerEntryView & { envelope: EntryEnvelope } => e.envelope !== null)

export const exportLedgerJsonl = (entries: readonly LedgerEntryView[]): string =>
  exportable(entries)
    .map((e) =>
      canonicalJson({
        id: e.id,
        body: e.envelope.body,
        signer: e.envelope.signer,
        sig: e.envelope.sig,
        consents: e.consents.map((s) => ({ key: s.key, sig: s.sig })),
        declines: e.declines.map((s) => ({ key: s.key, sig: s.sig })),
      }),
    )
    .map((line) => `${line}\n`)
    .join('')

/** CSV columns. The readable ones (type to memo) repeat the signed body; status is informational. */
export const LEDGER_CSV_COLUMNS = [
  'id',
  'type',
  'unit',
  'amount',
  'from',
  'to',
  'refs',
  'author',
  'seq',
  'prev',
  'createdAt',
  'memo',
  'status',
  'body',
  'signer',
  'sig',
  'consents',
  'declines',
] as const

const READABLE = ['type', 'unit', 'amount', 'from', 'to', 'refs', 'author', 'seq', 'prev', 'createdAt', 'memo'] as const

/**
 * A cell a spreadsheet would run as a formula starts with = + - @ (or a tab or CR before one). The
 * export puts a `'` before such a cell, and before one that already starts with `'`s followed by
 * such a character, so that the import can take exactly one `'` off again: the signed bytes and
 * every readable column come back as they were.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/
const NEUTRALISED = /^'+[=+\-@\t\r]/

export const neutraliseCsvCell = (value: string): string => (FORMULA_LIKE.test(value) ? `'${value}` : value)

export const restoreCsvCell = (value: string): string => (NEUTRALISED.test(value) ? value.slice(1) : value)

/** One field as CSV: neutralised for spreadsheets, then quoted when it holds a comma, quote, CR or LF (quotes doubled). */
export const csvField = (raw: string): string => {
  const value = neutraliseCsvCell(raw)
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export const csvRow = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`

/** Parses CSV text into records, each with the 1-based line it starts on. */
export const parseCsv = (
  text: string,
): { readonly rows: readonly { readonly line: number; readonly fields: readonly string[] }[]; readonly error: ImportProblem | null } => {
  const rows: { line: number; fields: string[] }[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  let i = 0
  let fieldStarted = false
  const endRow = () => {
    fields.push(field)
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields })
    fields = []
    field = ''
    fieldStarted = false
  }
  while (i < text.length) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      if (c === '\n') line++
      field += c
      i++
      continue
    }
    if (c === '"') {
      if (fieldStarted && field !== '') return { rows, error: { line, reason: 'a quote inside an unquoted field' } }
      quoted = true
      fieldStarted = true
      i++
      continue
    }
    if (c === ',') {
      fields.push(field)
      field = ''
      fieldStarted = false
      i++
      continue
    }
    if (c === '\r' || c === '\n') {
      endRow()
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      rowLine = line
      continue
    }
    field += c
    fieldStarted = true
    i++
  }
  if (quoted) return { rows, error: { line: rowLine, reason: 'a quoted field is not closed' } }
  if (field !== '' || fields.length > 0) endRow()
  return { rows, error: null }
}

const signaturesText = (list: readonly LedgerSignature[]): string => list.map((s) => `${s.key}=${s.sig}`).join(';')

const parseSignatures = (text: string): LedgerSignature[] | null => {
  if (text === '') return []
  const out: LedgerSignature[] = []
  for (const part of text.split(';')) {
    const [key, sig, extra] = part.split('=')
    if (key === undefined || sig === undefined || extra !== undefined || key === '' || sig === '') return null
    out.push({ key, sig })
  }
  return out
}

const readable = (body: string): Record<(typeof READABLE)[number], string> | null => {
  try {
    const b = JSON.parse(body) as Record<string, unknown>
    const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v))
    return {
      type: text(b.type),
      unit: text(b.unit),
      amount: text(b.amount),
      from: text(b.from),
      to: text(b.to),
      refs: text(b.refs),
      author: text(b.author),
      seq: text(b.seq),
      prev: text(b.prev),
      createdAt: text(b.createdAt),
      memo: text(b.memo),
    }
  } catch {
    return null
  }
}

export const exportLedgerCsv = (entries: readonly LedgerEntryView[]): string =>
  csvRow(LEDGER_CSV_COLUMNS) +
  exportable(entries)
    .map((e) => {
      const r = readable(e.envelope.body)
      const values: Record<(typeof LEDGER_CSV_COLUMNS)[number], string> = {
        id: e.id,
        ...(r ?? { type: '', unit: '', amount: '', from: '', to: '', refs: '', author: '', seq: '', prev: '', createdAt: '', memo: '' }),
        status: e.status,
        body: e.envelope.body,
        signer: e.envelope.signer,
        sig: e.envelope.sig,
        consents: signaturesText(e.consents),
        declines: signaturesText(e.declines),
      }
      return csvRow(LEDGER_CSV_COLUMNS.map((c) => values[c]))
    })
    .join('')

const isSignatureList = (value: unknown): value is LedgerSignature[] =>
  Array.isArray(value) &&
  value.every((s: unknown) => s !== null && typeof s === 'object' && typeof (s as LedgerSignature).key === 'string' && typeof (s as LedgerSignature).sig === 'string')

export const parseLedgerJsonl = (text: string): ParsedLedgerFile => {
  const records: { line: number; record: LedgerExportRecord }[] = []
  const problems: ImportProblem[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      problems.push({ line, reason: 'not a JSON line' })
      return
    }
    const r = value as Record<string, unknown> | null
    if (r === null || typeof r !== 'object' || typeof r.id !== 'string' || typeof r.body !== 'string' || typeof r.signer !== 'string' || typeof r.sig !== 'string') {
      problems.push({ line, reason: 'not a ledger entry (needs id, body, signer and sig)' })
      return
    }
    const consents = r.consents ?? []
    const declines = r.declines ?? []
    if (!isSignatureList(consents) || !isSignatureList(declines)) {
      problems.push({ line, reason: 'consents and declines must be lists of {key, sig}' })
      return
    }
    records.push({ line, record: { id: r.id, envelope: { body: r.body, signer: r.signer, sig: r.sig }, consents, declines } })
  })
  return { records, problems }
}

export const parseLedgerCsv = (text: string): ParsedLedgerFile => {
  const { rows, error } = parseCsv(text.replace(/^\uFEFF/, ''))
  if (error !== null) return { records: [], problems: [error] }
  const [header, ...raw] = rows
  if (header === undefined) return { records: [], problems: [] }
  const data = raw.map((row) => ({ line: row.line, fields: row.fields.map(restoreCsvCell) }))
  const column = new Map(header.fields.map((name, i) => [name.trim(), i] as const))
  for (const required of ['id', 'body', 'signer', 'sig'] as const) {
    if (!column.has(required)) return { records: [], problems: [{ line: header.line, reason: `the header has no ${required} column` }] }
  }
  const records: { line: number; record: LedgerExportRecord }[] = []
  const problems: ImportProblem[] = []
  for (const row of data) {
    const get = (name: string): string | undefined => {
      const i = column.get(name)
      return i === undefined ? undefined : row.fields[i]
    }
    if (row.fields.length !== header.fields.length) {
      problems.push({ line: row.line, reason: `${row.fields.length} fields where the header has ${header.fields.length}` })
      continue
    }
    const body = get('body') ?? ''
    const shown = readable(body)
    const mismatch = READABLE.find((name) => {
      const value = get(name)
      return value !== undefined && shown !== null && value !== shown[name]
    })
    if (mismatch !== undefined) {
      problems.push({ line: row.line, reason: `the ${mismatch} column does not match the signed entry` })
      continue
    }
    const consents = parseSignatures(get('consents') ?? '')
    const declines = parseSignatures(get('declines') ?? '')
    if (consents === null || declines === null) {
      problems.push({ line: row.line, reason: 'consents and declines must be key=signature pairs separated by ;' })
      continue
    }
    records.push({
      line: row.line,
      record: { id: get('id') ?? '', envelope: { body, signer: get('signer') ?? '', sig: get('sig') ?? '' }, consents, declines },
    })
  }
  return { records, problems }
}

/**
 * Re-verifies every record of a file for `ledger` (SPEC [G16]): the entry on its own, its ledger,
 * and each consent and decline over its bytes. Returns the problems, one or more per bad line.
 */
export const checkLedgerRecords = (
  file: ParsedLedgerFile,
  ledger: LedgerId,
  verifier: LedgerVerifier,
): readonly ImportProblem[] => {
  const problems: ImportProblem[] = [...file.problems]
  if (file.records.length === 0 && problems.length === 0) problems.push({ line: 1, reason: 'the file holds no entries' })
  for (const { line, record } of file.records) {
    const verdict = verifier.checkEntry(record.id, record.envelope)
    if (!verdict.ok) {
      problems.push({ line, reason: verdict.reason })
      continue
    }
    if (verdict.body.ledger !== ledger) {
      problems.push({ line, reason: 'entry belongs to another ledger' })
      continue
    }
    for (const [kind, list] of [['consent', record.consents], ['decline', record.declines]] as const) {
      for (const s of list) {
        if (!verifier.checkSignature(kind, record.id, record.envelope.body, s.key, s.sig)) {
          problems.push({ line, reason: `a ${kind} signature does not verify (key ${s.key.slice(0, 8)}…)` })
        }
      }
    }
  }
  return problems.sort((a, b) => a.line - b.line)
}
