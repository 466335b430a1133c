import { useState } from 'react'
import type { ImportProblem } from '../../../shared/src'

export type ImportOutcome = { readonly message: string; readonly problems: readonly ImportProblem[] }

const download = (name: string, type: string, text: string): void => {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  window.setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/**
 * Export (CSV, JSON Lines) and import of entries with their signatures (SPEC [G16]). An import is
 * re-verified line by line; if any line is refused nothing is written and every reason is shown.
 */
export const LedgerFiles = ({
  fileName,
  exportCsv,
  exportJsonl,
  readOnly,
  onImport,
}: {
  fileName: string
  exportCsv: () => string
  exportJsonl: () => string
  readOnly: boolean
  onImport: (text: string, format: 'csv' | 'jsonl') => ImportOutcome
}) => {
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null)
  return (
    <section className="ledger-card" aria-labelledby="ledger-files-heading">
      <h3 id="ledger-files-heading">Export and import</h3>
      <div className="row">
        <button type="button" className="secondary" onClick={() => download(`${fileName}.csv`, 'text/csv', exportCsv())}>
          Export CSV
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => download(`${fileName}.jsonl`, 'application/jsonl', exportJsonl())}
        >
          Export JSON Lines
        </button>
      </div>
      <label>
        Import entries (CSV or JSON Lines)
        <input
          type="file"
          accept=".csv,.jsonl,.ndjson,text/csv,application/jsonl"
          disabled={readOnly}
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ''
            if (file === undefined) return
            void file.text().then((text) => {
              const format = /\.csv$/i.test(file.name) || /^\s*id,/.test(text) ? 'csv' : 'jsonl'
              setOutcome(onImport(text, format))
            })
          }}
        />
      </label>
      {outcome !== null && (
        <div role="status" data-testid="import-outcome">
          <p className={outcome.problems.length > 0 ? 'error' : undefined}>{outcome.message}</p>
          {outcome.problems.length > 0 && (
            <ul className="ledger-list" data-testid="import-problems">
              {outcome.problems.map((p) => (
                <li key={`${p.line}:${p.reason}`}>
                  Line {p.line}: {p.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
