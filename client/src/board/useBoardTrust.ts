import { useEffect, useState } from 'react'
import {
  attachTrustStore,
  boardBasis,
  EntryGraph,
  ingestEntries,
  inviteLinkedDevice,
  linkedDevicesToInvite,
  readBoardMeta,
  readMembership,
  redeemInvitation,
  redeemLinkedDeviceInvitation,
  restoreEntries,
  toBase64url,
  yMetaOf,
  ySignedEntriesOf,
  type BoardId,
  type EntryHash,
} from '../../../shared/src'
import type { DocSession } from '../collab/DocSession'
import { forgetInvitation, readLinkTrust } from '../collab/linkTrust'
import { loadTrust, saveTrust, type StoredTrust } from '../collab/trustStorage'
import { loadCertifiedKeys, type DeviceIdentity } from '../identity/deviceIdentity'
import type { LocalProfile } from '../profile/localProfile'

/**
 * This device's verified store for a board (SPEC [E8], [J1], [J11]), attached to the board's doc so
 * that every read takes membership from it:
 * - `founded`: the board has a genesis. The device trusts the genesis it founded, the one its link
 *   named, or the only one it found; it keeps every entry it verifies (IndexedDB), puts back any
 *   the doc loses, and redeems the link's invitation once.
 * - `legacy`: the device first found the board without a genesis, with its metadata: member records
 *   decide membership, for good on this device.
 * - `loading`: not known yet.
 */
export interface BoardTrust {
  readonly basis: 'loading' | 'legacy' | 'founded'
  /** Bumps whenever the store changes, so that views read again. */
  readonly version: number
  /** Entries this device has put back into the doc since the board opened. */
  readonly restored: number
  /** Why the link's invitation could not be redeemed, when it cannot. */
  readonly invitationProblem: string | null
}

const LOADING: BoardTrust = { basis: 'loading', version: 0, restored: 0, invitationProblem: null }

export const useBoardTrust = (
  session: DocSession | null,
  boardId: BoardId,
  loaded: boolean,
  writable: boolean,
  identity: DeviceIdentity,
  profile: LocalProfile,
): BoardTrust => {
  const [trust, setTrust] = useState<BoardTrust>(LOADING)
  useEffect(() => {
    if (session === null || !loaded) return
    const doc = session.doc
    const yEntries = ySignedEntriesOf(doc)
    const yMeta = yMetaOf(doc)
    let live = true
    let graph: EntryGraph | null = null
    let stored: StoredTrust | null = null
    let restored = 0
    let invitationProblem: string | null = null
    const saved = new Set<string>()
    const publish = (basis: BoardTrust['basis']): void => {
      if (live) setTrust((t) => ({ basis, version: t.version + 1, restored, invitationProblem }))
    }
    const keep = (pin?: EntryHash | 'legacy'): void => {
      if (graph === null) return
      const fresh = [...graph.envelopes()].filter(([hash]) => !saved.has(hash)).map(([hash, envelope]) => ({ hash, envelope }))
      for (const { hash } of fresh) saved.add(hash)
      saveTrust(boardId, fresh, pin).catch((error: unknown) => console.warn('Could not keep verified entries on this device:', error))
    }
    let certified: readonly string[] = []
    const myKey = toBase64url(identity.signer.publicKey)
    const linkedToAnother = toBase64url(identity.founderKey) !== myKey
    /** Linked devices (SPEC [J12]): invite ours; if this one is linked, take its member's invitation. */
    const linkDevices = (): void => {
      if (graph === null || !writable) return
      const view = readMembership(doc).trust
      if (view === null) return
      for (const key of linkedDevicesToInvite(view, graph, myKey, certified)) inviteLinkedDevice(doc, graph, identity.signer, key, Date.now())
      if (linkedToAnother) redeemLinkedDeviceInvitation(doc, graph, identity.signer, identity.memberId, Date.now())
    }
    const redeem = (): void => {
      const secret = readLinkTrust(boardId).invitation
      if (graph === null || secret === null || !writable) return
      const result = redeemInvitation(doc, graph, identity.signer, {
        secret,
        profile: { name: profile.name, color: profile.color.toLowerCase() },
        at: Date.now(),
      })
      if (result.status === 'waiting') return
      if (result.status === 'refused') invitationProblem = result.reason
      forgetInvitation(boardId)
    }
    const update = (): void => {
      if (graph === null || stored === null) return
      ingestEntries(doc, graph)
      if (writable) restored += restoreEntries(doc, graph)
      try {
        linkDevices()
        redeem()
      } catch (error) {
        console.warn('Could not write this device’s membership entries:', error)
      }
      keep()
      publish('founded')
    }
    /** Founded or legacy, once the store is loaded (SPEC [J1], [J13]: boardBasis decides). */
    const decide = (): void => {
      if (stored === null || graph !== null) return
      const candidate = new EntryGraph(boardId)
      for (const envelope of stored.envelopes) candidate.add(envelope)
      ingestEntries(doc, candidate)
      const decision = boardBasis({
        stored: stored.pin,
        linkGenesis: readLinkTrust(boardId).genesis,
        geneses: candidate.ordered().filter((n) => n.entry.kind === 'genesis').map((n) => n.hash),
        metadata: readBoardMeta(doc).access === 'writable',
      })
      if (decision.basis === 'waiting') return
      if (decision.basis === 'legacy') {
        if (stored.pin !== 'legacy') {
          saveTrust(boardId, [], 'legacy').catch(() => undefined)
          stored = { ...stored, pin: 'legacy' }
        }
        publish('legacy')
        return
      }
      graph = candidate
      if (decision.pin !== null) graph.pinGenesis(decision.pin)
      attachTrustStore(doc, graph)
      keep(decision.pin ?? undefined)
      update()
    }
    const onChange = (): void => (graph === null ? decide() : update())
    // Metadata arriving without a genesis is what makes a board legacy.
    const onMeta = (): void => {
      if (graph === null) decide()
    }
    yEntries.observe(onChange)
    yMeta.observe(onMeta)
    loadCertifiedKeys()
      .then((keys) => {
        certified = keys
        if (graph !== null) update()
      })
      .catch(() => undefined)
    loadTrust(boardId)
      .catch((error: unknown) => {
        console.warn('Could not read this device’s verified entries:', error)
        return { pin: null, envelopes: [] }
      })
      .then((s) => {
        stored = s
        decide()
      })
      .catch((error: unknown) => console.warn('Could not open this board’s verified entries:', error))
    return () => {
      live = false
      yEntries.unobserve(onChange)
      yMeta.unobserve(onMeta)
    }
  }, [session, loaded, boardId, writable, identity, profile])
  return trust
}
