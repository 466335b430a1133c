import { useMemo, useState } from 'react'
import {
  countersignEntry,
  declareUnit,
  declineEntry,
  exportLedgerCsv,
  exportLedgerJsonl,
  grantCreditLine,
  importLedgerEntries,
  invalidInput,
  LedgerImportError,
  ledgerIdForBoard,
  ledgerRoom,
  parseAmount,
  PeerboardError,
  recordContribution,
  recordPledge,
  recordTransfer,
  recordUsage,
  requestTransfer,
  reverseEntry,
  toBase64url,
  waitingFor,
  type BoardId,
  type EntryId,
  type LedgerWriter,
  type BoardMember,
  type Keyring,
  type MemberId,
} from '../../../shared/src'
import { attempt } from '../app/attempt'
import { useDocSession, useLoaded, useSyncState } from '../collab/useDocSession'
import { useLedgerGuard } from '../collab/useLedgerGuard'
import type { DeviceIdentity } from '../identity/deviceIdentity'
import { BalancesTable } from './BalancesTable'
import { CreditExplainer } from './CreditExplainer'
import { CreditExposure } from './CreditExposure'
import { EntryForm, type EntryDraft } from './EntryForm'
import { EntryHistory } from './EntryHistory'
import { LedgerFiles, type ImportOutcome } from './LedgerFiles'
import { ledgerNames } from './names'
import { PledgesList } from './PledgesList'
import { RejectedEntries } from './RejectedEntries'
import { UnitForm } from './UnitForm'
import { useLedger } from './useLedger'
import { WaitingInbox } from './WaitingInbox'
import './ledger.css'

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

const SYNC_TEXT = {
  saved: 'saved to relay',
  synced: 'sent',
  connecting: 'connecting…',
  offline: 'offline: entries are kept on this device and sent later',
  unsent: 'entries not yet sent',
} as const

/**
 * The board's resource-sharing ledger (SPEC [G1]-[G17]): its own doc and room, verified entry by
 * entry on this device; balances come only from entries every party signed.
 */
export const LedgerPage = ({
  boardId,
  members,
  ownerOf,
  identity,
  readOnly,
}: {
  boardId: BoardId
  members: ReadonlyMap<MemberId, BoardMember>
  /** Whose each device key is: the board's one ownership rule (SPEC [J11], [G6]). */
  ownerOf: Keyring
  identity: DeviceIdentity
  readOnly: boolean
}) => {
  const ledger = ledgerIdForBoard(boardId)
  const session = useDocSession(ledgerRoom(boardId, ledger))
  const loaded = useLoaded(session)
  const sync = useSyncState(session)
  const keyring = ownerOf
  const snapshot = useLedger(session, ledger, keyring)
  const restored = useLedgerGuard(session, ledger, loaded)
  const me = identity.memberId
  const [actionError, setActionError] = useState<string | null>(null)
  const nameOf = useMemo(() => ledgerNames(members, me), [members, me])
  const memberIds = useMemo(() => [...members.keys()].sort((a, b) => nameOf(a).localeCompare(nameOf(b))), [members, nameOf])

  if (session === null || !loaded || snapshot === null) {
    return (
      <main className="page">
        <p className="muted">Opening the ledger…</p>
      </main>
    )
  }
  const { view, units, newerVersionNotice } = snapshot
  const doc = session.doc
  const verified = keyring(toBase64url(identity.signer.publicKey)) === me
  const locked = readOnly
  const writer: LedgerWriter = { ledger, signer: identity.signer, keyring }

  const record = (draft: EntryDraft): string | null =>
    attempt(() => {
      const unit = units.find((u) => u.code === draft.unit)
      if (unit === undefined) throw invalidInput('unit', 'Add a unit first.')
      const amount = parseAmount(draft.amount, unit.decimals)
      const refs = draft.ref.trim() === '' ? [] : [draft.ref.trim()]
      const base = { unit: unit.code, amount, memo: draft.memo, refs, createdAt: Date.now() }
      const counterparty = (): MemberId => {
        if (draft.member === null) throw invalidInput('member', 'Choose a member.')
        return draft.member
      }
      switch (draft.kind) {
        case 'contribution':
          recordContribution(doc, writer, base)
          break
        case 'usage':
          recordUsage(doc, writer, base)
          break
        case 'transfer':
          recordTransfer(doc, writer, { ...base, to: counterparty() })
          break
        case 'request':
          requestTransfer(doc, writer, { ...base, from: counterparty() })
          break
        case 'pledge':
          recordPledge(doc, writer, { ...base, to: draft.member })
          break
        case 'creditLine':
          grantCreditLine(doc, writer, { ...base, to: counterparty() })
          break
      }
    })

  const importFile = (text: string, format: 'csv' | 'jsonl'): ImportOutcome => {
    try {
      const report = importLedgerEntries(doc, ledger, text, format)
      return {
        message: `Imported ${report.entries} new entries and ${report.sigs + report.declines} signatures; everything verified.`,
        problems: [],
      }
    } catch (error) {
      if (error instanceof LedgerImportError) return { message: error.message, problems: error.problems }
      if (error instanceof PeerboardError) return { message: error.message, problems: [] }
      throw error
    }
  }

  const act = (write: () => void): void => setActionError(attempt(write))

  const rejected = view.entries.filter((e) => e.status === 'invalid')
  return (
    <div className="ledger" data-testid="ledger">
      <div className="ledger-head">
        <h2>Ledger</h2>
        <span className="muted" data-testid="ledger-sync" data-state={sync}>
          Ledger {SYNC_TEXT[sync]}
        </span>
      </div>
      {newerVersionNotice !== null && (
        <p className="banner" role="status" data-testid="ledger-newer-version">
          {newerVersionNotice}
        </p>
      )}
      {restored !== null && (
        <p className="banner warning" role="status" data-testid="ledger-restored">
          Entries or signatures had vanished from the shared ledger, or been replaced (a device deleted or overwrote
          them); this device put back {plural(restored.entries, 'entry', 'entries')} and{' '}
          {plural(restored.sigs + restored.declines, 'signature', 'signatures')} from its own verified copy at{' '}
          {new Date(restored.at).toLocaleTimeString()}.
        </p>
      )}
      {!verified && !readOnly && (
        <p className="banner" role="status">
          Your member record is not on this board yet; you can record entries once it has synced.
        </p>
      )}
      <div className="ledger-body">
        <div className="ledger-main">
          {actionError !== null && (
            <p role="alert" className="error" data-testid="ledger-action-error">
              {actionError}
            </p>
          )}
          <WaitingInbox
            entries={waitingFor(view, me)}
            units={units}
            nameOf={nameOf}
            readOnly={locked || !verified}
            onCountersign={(id: EntryId) => act(() => countersignEntry(doc, writer, id))}
            onDecline={(id: EntryId) => act(() => declineEntry(doc, writer, id))}
          />
          <BalancesTable view={view} units={units} members={memberIds} nameOf={nameOf} />
          <RejectedEntries
            entries={rejected}
            equivocations={view.equivocations}
            badSignatures={view.badSignatures}
            units={units}
            nameOf={nameOf}
          />
          <EntryHistory
            view={view}
            units={units}
            members={memberIds}
            nameOf={nameOf}
            me={me}
            readOnly={locked || !verified}
            onReverse={(id: EntryId) => act(() => reverseEntry(doc, writer, { target: id, createdAt: Date.now() }))}
          />
        </div>
        <aside className="ledger-side">
          <EntryForm
            units={units}
            members={memberIds}
            me={me}
            nameOf={nameOf}
            myPledges={view.pledges.filter((p) => p.from === me)}
            readOnly={locked || !verified}
            onRecord={record}
          />
          <PledgesList pledges={view.pledges} units={units} nameOf={nameOf} />
          <CreditExposure credit={view.credit} units={units} nameOf={nameOf} />
          <CreditExplainer />
          <UnitForm
            units={units}
            readOnly={locked}
            onDeclare={(input) => attempt(() => declareUnit(doc, { ...input, declaredAt: Date.now() }))}
          />
          <LedgerFiles
            fileName={`ledger-${boardId}`}
            exportCsv={() => exportLedgerCsv(view.entries)}
            exportJsonl={() => exportLedgerJsonl(view.entries)}
            readOnly={locked}
            onImport={importFile}
          />
        </aside>
      </div>
    </div>
  )
}
