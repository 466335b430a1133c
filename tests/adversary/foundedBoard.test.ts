import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type {
  EntryGraph} from '../../shared/src';
import {
  addActor,
  addChamber,
  attachTrustStore,
  DEFAULT_CHARTER,
  linkProposalToChamber,
  META,
  openPoll,
  readDecisions,
  readChamberElectors,
  readMembership,
  setActorChambers,
  trustStoreFromDoc,
  writeFirstCharter,
  yActorMembersOf,
  yMetaOf,
  LINKED,
  linkKey,
  toBase64url,
  type ChamberId,
} from '../../shared/src'
import { ANN, BEN, CAT, DAN, EVE, foundedDecisionBoard, HOUR, publishTestMember, T0, testMember } from '../helpers/decisions'

/*
 * A member with write access attacks a founded board's membership and first charter with raw
 * writes (issue items 1 and 2). Every honest device reads members, owners, the founder and charter
 * revision 0 from its own verified store, so none of it moves (SPEC [J1], [J9], [H1], [C1], [C11]).
 */

const MEMBERS = [ANN, BEN, CAT]

/** What the attacker does with a plain Yjs client: no ops, no checks. */
const raw = (doc: Y.Doc, write: (attacker: Y.Doc) => void): void => {
  const attacker = new Y.Doc()
  Y.applyUpdate(attacker, Y.encodeStateAsUpdate(doc))
  write(attacker)
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(attacker, Y.encodeStateVector(doc)))
}

/** A second honest device: a copy of the doc, its own store pinned to the same genesis. */
const otherDevice = (doc: Y.Doc, graph: EntryGraph): Y.Doc => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const store = trustStoreFromDoc(copy, graph.board)
  store.pinGenesis(graph.pinnedGenesis as never)
  attachTrustStore(copy, store)
  return copy
}

const summary = (doc: Y.Doc) => {
  const membership = readMembership(doc)
  const decisions = readDecisions(doc, T0 + 10 * HOUR)
  return {
    members: [...membership.members.values()].map((m) => m.name).sort(),
    founder: membership.founder,
    charter: decisions.charter.inForce?.content,
    charterRevision: decisions.charter.inForce?.revision,
  }
}

describe('adversary: a founded board’s members and first charter', () => {
  it('[J9] members are those the trust layer admits: member records, even validly signed, add nobody', () => {
    const { doc, graph } = foundedDecisionBoard(MEMBERS)
    const honest = otherDevice(doc, graph)
    const before = summary(doc)
    expect(before.members).toEqual(['Ann', 'Ben', 'Cat'])
    const fakes = Array.from({ length: 5 }, (_, i) => testMember(40 + i, `Sock ${i}`))
    raw(doc, (attacker) => {
      for (const fake of [...fakes, DAN]) publishTestMember(attacker, fake)
    })
    Y.applyUpdate(honest, Y.encodeStateAsUpdate(doc))
    expect(summary(doc)).toEqual(before)
    expect(summary(honest)).toEqual(before)
    expect(readMembership(doc).ownerOf(toBase64url(DAN.signer.publicKey))).toBeNull()
  })

  it('[C1] the electorate of a new poll is the admitted members only', () => {
    const { doc, proposal } = foundedDecisionBoard(MEMBERS)
    raw(doc, (attacker) => {
      for (let i = 0; i < 5; i++) publishTestMember(attacker, testMember(50 + i, `Sock ${i}`))
    })
    const poll = openPoll(doc, BEN.signer, { proposal, opener: BEN.id, openedAt: T0 + 1, closesAt: T0 + HOUR, body: 'Body' })
    expect(readDecisions(doc, T0 + 2).polls.find((p) => p.id === poll)?.def.electorate).toEqual([ANN.id, BEN.id, CAT.id].sort())
  })

  it('[J1] [H1] the genesis fixes the founder and charter revision 0: a rewritten creator and a rival first charter change nothing', () => {
    const strict = { ...DEFAULT_CHARTER, quorumPct: 75 }
    const { doc, graph } = foundedDecisionBoard(MEMBERS, strict)
    const honest = otherDevice(doc, graph)
    const before = summary(doc)
    expect(before).toMatchObject({ founder: ANN.id, charter: strict, charterRevision: 0 })
    // Cat names herself creator and writes her own revision 0 (quorum 0 %, only she opens polls).
    raw(doc, (attacker) => {
      yMetaOf(attacker).set(META.creator, CAT.id)
    })
    const grab = { ...DEFAULT_CHARTER, quorumPct: 0, openers: 'listed' as const, openerList: [CAT.id] }
    expect(() => writeFirstCharter(doc, CAT.signer, { by: CAT.id, content: grab, adoptedAt: T0 + 1 })).toThrow()
    raw(doc, (attacker) => {
      // The op refuses, so she signs the record herself: a legacy board would have taken it.
      const legacy = new Y.Doc()
      Y.applyUpdate(legacy, Y.encodeStateAsUpdate(attacker))
      publishTestMember(legacy, CAT)
      writeFirstCharter(legacy, CAT.signer, { by: CAT.id, content: grab, adoptedAt: T0 + 1 })
      Y.applyUpdate(attacker, Y.encodeStateAsUpdate(legacy))
    })
    Y.applyUpdate(honest, Y.encodeStateAsUpdate(doc))
    for (const device of [doc, honest]) {
      expect(summary(device)).toEqual(before)
      expect(readDecisions(device, T0 + 2).charter.flagged).toContainEqual(
        expect.objectContaining({ revision: 0, reason: 'this board’s first charter is in its founding entry' }),
      )
    }
  })

  it('[C11] an actor linked to someone who is not a member makes no elector', () => {
    const { doc, proposal } = foundedDecisionBoard(MEMBERS)
    const chamber: ChamberId = addChamber(doc, { name: 'Growers', description: '' })
    linkProposalToChamber(doc, proposal, chamber)
    const actor = addActor(doc, { name: 'Sock puppet', kind: 'person', description: '', interests: [] })
    setActorChambers(doc, actor, [chamber])
    raw(doc, (attacker) => {
      yActorMembersOf(attacker).set(linkKey(actor, EVE.id), LINKED)
    })
    expect(readChamberElectors(doc, chamber)).toEqual([])
  })
})
