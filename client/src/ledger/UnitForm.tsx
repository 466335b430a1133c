import { useState } from 'react'
import type { UnitView } from '../../../shared/src'

/** The ledger's units and a form to declare one (SPEC [G11]). */
export const UnitForm = ({
  units,
  readOnly,
  onDeclare,
}: {
  units: readonly UnitView[]
  readOnly: boolean
  onDeclare: (input: { code: string; label: string; decimals: number }) => string | null
}) => {
  const [code, setCode] = useState('')
  const [label, setLabel] = useState('')
  const [decimals, setDecimals] = useState('2')
  const [error, setError] = useState<string | null>(null)
  return (
    <section className="ledger-card" aria-labelledby="ledger-units-heading">
      <h3 id="ledger-units-heading">Units</h3>
      <ul className="ledger-units" data-testid="ledger-units">
        {units.map((u) => (
          <li key={u.code}>
            <strong>{u.code}</strong> {u.label}
            <span className="muted"> · {u.decimals === 0 ? 'whole amounts' : `${u.decimals} decimals`}</span>
            {u.conflicts.length > 0 && (
              <span className="error"> · also declared differently on another device ({u.conflicts.map((c) => `${c.label}, ${c.decimals} decimals`).join('; ')}): the earliest declaration is used</span>
            )}
          </li>
        ))}
      </ul>
      <form
        className="stack compact"
        aria-label="Add a unit"
        onSubmit={(e) => {
          e.preventDefault()
          const problem = onDeclare({ code, label, decimals: Number(decimals) })
          setError(problem)
          if (problem === null) {
            setCode('')
            setLabel('')
          }
        }}
      >
        <label>
          Unit code
          <input value={code} onChange={(e) => setCode(e.target.value)} placeholder="EUR, hours, bike-days" disabled={readOnly} />
        </label>
        <label>
          Unit name
          <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Euro" disabled={readOnly} />
        </label>
        <label>
          Decimals
          <select aria-label="Decimals" value={decimals} onChange={(e) => setDecimals(e.target.value)} disabled={readOnly}>
            {[0, 1, 2, 3, 4, 5, 6].map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={readOnly}>
          Add unit
        </button>
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </section>
  )
}
