import { useState } from 'react'
import type { MemberId, PledgeView, UnitView } from '../../../shared/src'
import type { LedgerNameOf } from './names'

/** What the form can record; `request` is a transfer to this member, paid by the chosen one. */
export type EntryKind = 'contribution' | 'usage' | 'transfer' | 'request' | 'pledge' | 'creditLine'

export interface EntryDraft {
  readonly kind: EntryKind
  readonly unit: string
  /** As typed, in major units ("12.50"). */
  readonly amount: string
  readonly member: MemberId | null
  readonly memo: string
  /** A pledge's decision or poll, or the pledge an entry fulfils; '' for none. */
  readonly ref: string
}

const KINDS: readonly (readonly [EntryKind, string])[] = [
  ['contribution', 'Contribution to the pool'],
  ['usage', 'Use from the pool'],
  ['transfer', 'Pay a member'],
  ['request', 'Ask a member to pay you'],
  ['pledge', 'Pledge'],
  ['creditLine', 'Credit line for a member'],
]

const HELP: Record<EntryKind, string> = {
  contribution: 'You put something into the shared pool. It counts as soon as you record it.',
  usage: 'You take something from the shared pool. Your balance goes down.',
  transfer: 'You pay another member. It stays pending until they countersign.',
  request: 'You ask another member to pay you. It stays pending until they countersign.',
  pledge: 'A commitment you intend to fulfil later; it does not change balances.',
  creditLine: 'You allow another member to go below zero by up to this amount.',
}

const needsMember = (kind: EntryKind): boolean => kind === 'transfer' || kind === 'request' || kind === 'creditLine'

/** The add-entry form: type, unit, amount in major units, counterparty, memo. */
export const EntryForm = ({
  units,
  members,
  me,
  nameOf,
  myPledges,
  readOnly,
  onRecord,
}: {
  units: readonly UnitView[]
  members: readonly MemberId[]
  me: MemberId
  nameOf: LedgerNameOf
  myPledges: readonly PledgeView[]
  readOnly: boolean
  onRecord: (draft: EntryDraft) => string | null
}) => {
  const [kind, setKind] = useState<EntryKind>('contribution')
  const [unit, setUnit] = useState('')
  const [amount, setAmount] = useState('')
  const [member, setMember] = useState('')
  const [memo, setMemo] = useState('')
  const [ref, setRef] = useState('')
  const [error, setError] = useState<string | null>(null)
  const chosenUnit = units.some((u) => u.code === unit) ? unit : (units[0]?.code ?? '')
  const decimals = units.find((u) => u.code === chosenUnit)?.decimals ?? 0
  const others = members.filter((m) => m !== me)
  const openPledges = myPledges.filter((p) => p.unit === chosenUnit && p.state !== 'fulfilled' && p.status === 'confirmed')
  const disabled = readOnly || units.length === 0
  return (
    <form
      className="ledger-card stack compact"
      aria-label="Add an entry"
      onSubmit={(e) => {
        e.preventDefault()
        const problem = onRecord({
          kind,
          unit: chosenUnit,
          amount,
          member: member === '' ? null : (member as MemberId),
          memo,
          ref,
        })
        setError(problem)
        if (problem === null) {
          setAmount('')
          setMemo('')
          setRef('')
        }
      }}
    >
      <h3>Add an entry</h3>
      <label>
        Entry type
        <select aria-label="Entry type" value={kind} onChange={(e) => setKind(e.target.value as EntryKind)} disabled={disabled}>
          {KINDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small">{HELP[kind]}</p>
      <div className="row">
        <label>
          Amount
          <input
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            inputMode="decimal"
            placeholder={decimals === 0 ? '3' : `12.${'0'.repeat(decimals)}`}
            disabled={disabled}
          />
        </label>
        <label>
          Unit
          <select aria-label="Unit" value={chosenUnit} onChange={(e) => setUnit(e.target.value)} disabled={disabled}>
            {units.map((u) => (
              <option key={u.code} value={u.code}>
                {u.code} ({u.label})
              </option>
            ))}
          </select>
        </label>
      </div>
      {(needsMember(kind) || kind === 'pledge') && (
        <label>
          Member
          <select aria-label="Member" value={member} onChange={(e) => setMember(e.target.value)} disabled={disabled}>
            <option value="">{kind === 'pledge' ? 'The group (pool)' : 'Choose a member…'}</option>
            {others.map((m) => (
              <option key={m} value={m}>
                {nameOf(m)}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === 'pledge' && (
        <label>
          For a decision or poll (optional)
          <input value={ref} onChange={(e) => setRef(e.target.value)} placeholder="decision id or name" disabled={disabled} />
        </label>
      )}
      {(kind === 'contribution' || kind === 'transfer') && openPledges.length > 0 && (
        <label>
          Fulfils a pledge (optional)
          <select aria-label="Fulfils a pledge" value={ref} onChange={(e) => setRef(e.target.value)} disabled={disabled}>
            <option value="">No</option>
            {openPledges.map((p) => (
              <option key={p.id} value={p.id}>
                {p.memo === '' ? p.id.slice(0, 8) : p.memo}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Memo
        <input value={memo} onChange={(e) => setMemo(e.target.value)} placeholder="What it is for" disabled={disabled} />
      </label>
      <button type="submit" disabled={disabled}>
        Record entry
      </button>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  )
}
