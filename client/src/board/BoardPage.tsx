import { useEffect, useMemo, useState } from 'react'
import {
  addProposal,
  boardRoom,
  inviteToBoard,
  moveProposal,
  PeerboardError,
  proposalBodyRoom,
  renameProposal,
  setProposalStatus,
  toBase64url,
  trustStoreOf,
  type BoardId,
  type BoardMember,
  type Keyring,
  type MemberId,
  type ProposalId,
  type ProposalStatus,
} from '../../../shared/src'
import { attempt } from '../app/attempt'
import { boardPath, charterPath, ledgerPath, mapPath, navigate, type BoardTab } from '../app/route'
import type { SyncState } from '../collab/DocSession'
import { captureLinkFromLocation, readToken, tokenScope } from '../collab/access'
import { readLinkTrust } from '../collab/linkTrust'
import { announcePresence } from '../collab/presence'
import { useDocSession, useLoaded, useSyncState } from '../collab/useDocSession'
import { usePresence } from '../collab/usePresence'
import { useProposalBody } from '../collab/useProposalBody'
import { Dialogue } from '../dialogue/Dialogue'
import { ProposalEditor } from '../editor/ProposalEditor'
import { rememberBoard } from '../home/recentBoards'
import type { DeviceIdentity } from '../identity/deviceIdentity'
import { usePublishMember } from '../identity/usePublishMember'
import { AffectedPicker } from '../map/AffectedPicker'
import { StakeholderMap } from '../map/StakeholderMap'
import { useMapSnapshot } from '../map/useMapSnapshot'
import type { LocalProfile } from '../profile/localProfile'
import { NewProposalForm } from '../proposals/NewProposalForm'
import { ProposalHeader } from '../proposals/ProposalHeader'
import { ProposalList } from '../proposals/ProposalList'
import { PresenceList } from './PresenceList'
import { SetUpBoard } from './SetUpBoard'
import { ShareButton } from './ShareButton'
import { SyncBadge } from './SyncBadge'
import { useBoardSnapshot } from './useBoardSnapshot'
import { foundBoardOnDevice } from './foundOnDevice'
import { useBoardTrust } from './useBoardTrust'
import { useMembers } from './useMembers'
import { MembersList } from './MembersList'
import { LedgerPage } from '../ledger/LedgerPage'
import { AmendmentEditor } from '../charter/AmendmentEditor'
import { CharterPage } from '../charter/CharterPage'
import { DecisionPanel } from '../decisions/DecisionPanel'
import { useBodyText } from '../decisions/useBodyText'
import { useDeviceDuties } from '../decisions/useDeviceDuties'
import { useDecisions } from '../decisions/useDecisions'
import { editCharterAmendment, othersNamed } from '../../../shared/src'

/** The worse of two sync states, for one badge over the board and the open proposal. */
const SEVERITY: Record<SyncState, number> = { saved: 0, synced: 1, connecting: 2, offline: 3, unsent: 4 }
const worse = (a: SyncState, b: SyncState): SyncState => (SEVERITY[a] >= SEVERITY[b] ? a : b)
/** Before membership is read, no key is anyone's. */
const nobody: Keyring = () => null


export const BoardPage = ({
  boardId,
  proposalId,
  view,
  profile: deviceProfile,
  identity: deviceIdentity,
}: {
  boardId: BoardId
  proposalId: ProposalId | null
  view: BoardTab
  profile: LocalProfile
  identity: DeviceIdentity
}) => {
  // A share link's token, genesis and invitation move from the fragment to this device before any session opens.
  useState(() => captureLinkFromLocation(boardId))
  const scope = tokenScope(readToken(boardId))
  const session = useDocSession(boardRoom(boardId))
  const loaded = useLoaded(session)
  // This device's verified store for the board, and the membership every domain reads (SPEC [J11]).
  const trust = useBoardTrust(session, boardId, loaded, scope !== 'ro', deviceIdentity, deviceProfile)
  const membersSnapshot = useMembers(session, trust.version)
  const membership = membersSnapshot?.membership ?? null
  const founded = trust.basis === 'founded' && membership?.basis === 'founded'
  const boardMember = founded ? (membership?.ownerOf(toBase64url(deviceIdentity.signer.publicKey)) ?? null) : null
  // On a founded board this device acts for the member the trust layer binds it to.
  const identity = useMemo(
    () => (boardMember !== null && boardMember !== deviceIdentity.memberId ? { ...deviceIdentity, memberId: boardMember } : deviceIdentity),
    [boardMember, deviceIdentity],
  )
  const profile = useMemo(
    () => (boardMember !== null && boardMember !== deviceProfile.memberId ? { ...deviceProfile, memberId: boardMember } : deviceProfile),
    [boardMember, deviceProfile],
  )
  const notMember = founded && boardMember === null
  const board = useBoardSnapshot(session)
  const bodySession = useProposalBody(proposalId === null ? null : proposalBodyRoom(boardId, proposalId))
  const people = usePresence(session)
  const boardSync = useSyncState(session)
  const bodySync = useSyncState(bodySession)
  const syncState = bodySession === null ? boardSync : worse(boardSync, bodySync)
  const [listError, setListError] = useState<string | null>(null)

  const meta = board?.meta
  const proposals = board?.proposals ?? []
  const selected = proposals.find((p) => p.id === proposalId) ?? null
  const readOnlyLink = scope === 'ro'
  const readOnly = readOnlyLink || notMember
  const initialised = meta !== undefined && meta.access !== 'not-initialised'
  const members = useMemo(() => membership?.members ?? new Map<MemberId, BoardMember>(), [membership])
  // Names for the dialogue: proposal authors, people present, then verified member records (which win).
  const knownNames = useMemo(() => {
    const names = new Map<string, string>()
    for (const p of proposals) if (p.author !== null && p.authorName !== '') names.set(p.author, p.authorName)
    for (const person of people) if (person.name !== '') names.set(person.memberId, person.name)
    for (const member of members.values()) names.set(member.id, member.name)
    return names
  }, [proposals, people, members])
  // Someone else here with this device's name: likely the same person, joined twice (SPEC [I6]).
  const sameName = useMemo(() => othersNamed(members.values(), identity.memberId, profile.name), [members, identity, profile])
  const memberList = useMemo(
    () => [...members.values()].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1)),
    [members],
  )
  // The map's chambers, for the charter's chamber thresholds (SPEC [C11]).
  const map = useMapSnapshot(loaded && initialised ? (session?.doc ?? null) : null)
  const chambers = map?.chambers ?? []
  const chamberName = (id: string): string => chambers.find((c) => c.id === id)?.name ?? 'a chamber not yet synced'
  usePublishMember(session?.doc ?? null, loaded && initialised && trust.basis === 'legacy', identity, profile, !readOnly)
  // Decisions and the charter (SPEC [C], [H]): the live snapshot, and what this device writes on its own.
  const decisions = useDecisions(loaded && initialised ? (session?.doc ?? null) : null, trust.version)
  useDeviceDuties(session?.doc ?? null, decisions, identity, !readOnly)
  const reviewDue = useMemo(
    () => new Set((decisions?.polls ?? []).filter((p) => p.reviewDue && !p.superseded).map((p) => p.def.proposal)),
    [decisions],
  )
  const bodyText = useBodyText(bodySession?.doc ?? null)
  const nameOf = (member: string): string => knownNames.get(member) ?? 'someone not yet synced'

  useEffect(() => {
    if (session === null) return
    announcePresence(session, {
      memberId: profile.memberId,
      name: profile.name,
      color: profile.color,
      viewing: proposalId,
    })
  }, [session, profile, proposalId])

  useEffect(() => {
    if (meta !== undefined && meta.name !== '') rememberBoard(boardId, meta.name, Date.now())
  }, [boardId, meta?.name, meta])

  useEffect(() => {
    if (meta?.name) document.title = `${meta.name} · Peerboard`
  }, [meta?.name])

  if (session === null || !loaded || board === null || meta === undefined) {
    return (
      <main className="page">
        <p className="muted">Opening board…</p>
      </main>
    )
  }

  const select = (id: ProposalId) => navigate(boardPath(boardId, id))
  // A member's device signs invitations for the links it shares (SPEC [J4]).
  const store = founded ? trustStoreOf(session.doc) : null
  const invite =
    store === null || notMember || readOnlyLink
      ? null
      : (terms: { readonly expiresAt: number; readonly uses: number }): string =>
          inviteToBoard(session.doc, store, identity.signer, { purpose: 'member', ...terms, at: Date.now() }).secret
  const flagged = membership?.trust?.flags.filter((f) => f.kind !== 'waiting') ?? []

  return (
    <div className="board">
      <header className="board-header">
        <a
          className="brand small"
          href="/"
          onClick={(e) => {
            e.preventDefault()
            navigate('/')
          }}
        >
          Peerboard
        </a>
        <h1 className="board-name" data-testid="board-name">
          {meta.name || 'Board'}
        </h1>
        <nav className="board-tabs" aria-label="Board sections">
          {(
            [
              ['proposals', 'Proposals', boardPath(boardId)],
              ['map', 'Map', mapPath(boardId)],
              ['ledger', 'Ledger', ledgerPath(boardId)],
              ['charter', 'Charter', charterPath(boardId)],
            ] as const
          ).map(([tab, label, href]) => (
            <a
              key={tab}
              href={href}
              aria-current={view === tab ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault()
                navigate(href)
              }}
            >
              {label}
            </a>
          ))}
        </nav>
        <PresenceList people={people} />
        <SyncBadge state={syncState} />
        <ShareButton boardId={boardId} genesis={membership?.genesis?.hash ?? null} invite={invite} />
      </header>
      {meta.newerVersionNotice !== undefined && (
        <p className="banner" role="status" data-testid="newer-version-banner">
          {meta.newerVersionNotice}
        </p>
      )}
      {sameName.length > 0 && (
        <p className="banner" role="status" data-testid="same-name-warning">
          Another member of this board is also called “{profile.name}”. If that is you on another device, link this
          device to your membership (<a href="/">Profile and devices</a> on the home page) so that you are counted
          once.
        </p>
      )}
      {notMember && (
        <p className="banner" role="status" data-testid="not-a-member-banner">
          {trust.invitationProblem ??
            (readLinkTrust(boardId).invitation !== null
              ? 'Joining this board: waiting for the invitation in your link to arrive from the relay…'
              : toBase64url(deviceIdentity.founderKey) !== toBase64url(deviceIdentity.signer.publicKey)
                ? 'This device is linked to your membership: it joins this board as soon as one of your devices that is a member here opens it. Until then you can read along.'
                : 'You are not a member of this board: you can read along. To take part, open it with an invitation link from a member.')}
        </p>
      )}
      {trust.restored > 0 && (
        <p className="banner" role="status" data-testid="restored-banner">
          This device put back {trust.restored} signed {trust.restored === 1 ? 'entry' : 'entries'} that had gone missing
          or been altered on the board.
        </p>
      )}
      {flagged.length > 0 && (
        <p className="banner" role="status" data-testid="trust-flags-banner">
          {flagged.length} signed {flagged.length === 1 ? 'entry does' : 'entries do'} not count on this board (see Members).
        </p>
      )}
      {readOnlyLink && (
        <p className="banner" role="status" data-testid="read-only-link-banner">
          You opened a read-only link: you can read and follow along, but not edit.
        </p>
      )}
      {!initialised && (syncState === 'saved' || syncState === 'synced') && !readOnly && (
        <SetUpBoard
          onCreate={(name) => attempt(() => void foundBoardOnDevice(session.doc, boardId, name, deviceIdentity, deviceProfile))}
        />
      )}
      {!initialised && !(syncState === 'saved' || syncState === 'synced') && (
        <p className="banner" role="status" data-testid="waiting-banner">
          {syncState === 'offline'
            ? 'This board is not on this device yet. It will open as soon as the relay can be reached.'
            : 'Fetching this board from the relay…'}
        </p>
      )}
      {view === 'ledger' && initialised && (
        <LedgerPage boardId={boardId} members={members} ownerOf={membership?.ownerOf ?? nobody} identity={identity} readOnly={readOnly} />
      )}
      {view === 'map' && (
        <StakeholderMap
          doc={session.doc}
          readOnly={readOnly || !initialised}
          members={memberList}
          renderActorDialogue={(actorId) => (
            <Dialogue
              key={`dialogue-${actorId}`}
              doc={session.doc}
              subject={{ kind: 'actor', id: actorId }}
              heading="Discussion about this stakeholder"
              profile={profile}
              readOnly={readOnly || !initialised}
              knownNames={knownNames}
            />
          )}
        />
      )}
      {view === 'charter' && decisions !== null && (
        <CharterPage
          doc={session.doc}
          snapshot={decisions}
          identity={identity}
          authorName={profile.name}
          readOnly={readOnly}
          titleOf={(id) => proposals.find((p) => p.id === id)?.title ?? 'A proposal not yet synced'}
          nameOf={nameOf}
          chamberName={chamberName}
          onOpenProposal={select}
        />
      )}
      {view === 'proposals' && (
        <div className="board-body">
          <aside className="sidebar" aria-label="Proposals">
            <h2>Proposals</h2>
            <ProposalList
              proposals={proposals}
              selected={proposalId}
              readOnly={readOnly || !initialised}
              onSelect={select}
              onMove={(id, toIndex) => setListError(attempt(() => moveProposal(session.doc, id, toIndex)))}
              reviewDue={reviewDue}
            />
            {listError !== null && (
              <p role="alert" className="error">
                {listError}
              </p>
            )}
            <NewProposalForm
              disabled={readOnly || !initialised}
              onCreate={(title) => {
                try {
                  select(
                    addProposal(session.doc, {
                      title,
                      author: profile.memberId,
                      authorName: profile.name,
                      createdAt: Date.now(),
                    }),
                  )
                  return null
                } catch (error) {
                  if (error instanceof PeerboardError) return error.message
                  throw error
                }
              }}
            />
            <MembersList members={memberList} unverified={membersSnapshot?.unverified ?? []} flags={membership?.trust?.flags ?? []} me={identity.memberId} />
          </aside>
          <section className="main-pane" aria-label="Proposal">
            {selected === null ? (
              <>
                <p className="muted empty-pane">
                  {proposalId === null
                    ? 'Select a proposal, or add one.'
                    : 'This proposal is not on this device yet; it appears once the board syncs.'}
                </p>
                {proposalId === null && initialised && (
                  <Dialogue
                    key="dialogue-board"
                    doc={session.doc}
                    subject={{ kind: 'board' }}
                    heading="Board discussion"
                    profile={profile}
                    readOnly={readOnly}
                    knownNames={knownNames}
                  />
                )}
              </>
            ) : (
              <>
                <ProposalHeader
                  key={selected.id}
                  proposal={selected}
                  readOnly={readOnly}
                  onRename={(title) => attempt(() => renameProposal(session.doc, selected.id, title))}
                  onStatus={(status: ProposalStatus) =>
                    attempt(() => setProposalStatus(session.doc, selected.id, status))
                  }
                />
                <AffectedPicker
                  key={`affected-${selected.id}`}
                  doc={session.doc}
                  proposalId={selected.id}
                  readOnly={readOnly}
                  mapHref={mapPath(boardId)}
                  onOpenMap={() => navigate(mapPath(boardId))}
                />
                {bodySession !== null && (
                  <ProposalEditor
                    key={bodySession.room}
                    session={bodySession}
                    userName={profile.name}
                    userColor={profile.color}
                    readOnly={readOnly}
                  />
                )}
                <AmendmentEditor
                  key={`amendment-${selected.id}`}
                  content={decisions?.amendments.get(selected.id)}
                  members={memberList}
                  chambers={chambers}
                  readOnly={readOnly}
                  onSave={(content) => attempt(() => editCharterAmendment(session.doc, selected.id, content))}
                />
                {decisions !== null && (
                  <DecisionPanel
                    key={`decision-${selected.id}`}
                    doc={session.doc}
                    proposal={selected}
                    bodyText={bodyText}
                    snapshot={decisions}
                    identity={identity}
                    readOnly={readOnly}
                    nameOf={nameOf}
                  />
                )}
                <Dialogue
                  key={`dialogue-${selected.id}`}
                  doc={session.doc}
                  subject={{ kind: 'proposal', id: selected.id }}
                  profile={profile}
                  readOnly={readOnly}
                  knownNames={knownNames}
                />
              </>
            )}
          </section>
        </div>
      )}
    </div>
  )
}
