import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  adoptCharterAmendment,
  castStance,
  charterHash,
  DEFAULT_CHARTER,
  formatConduct,
  markSeenAfterClose,
  openPoll,
  parseConduct,
  proposeCharterAmendment,
  readDecisions,
  recordId,
  ROOT_CHARTER,
  signRecord,
  SIGNATURE_DOMAINS,
  writeFirstCharter,
  type CharterContent,
  type PollId,
  type ProposalId,
} from '../../shared/src'
import { copyOf, expectRefused, syncAll } from '../helpers/boards'
import { ANN, BEN, CAT, decisionBoard, HOUR, T0, type TestMember } from '../helpers/decisions'

/*
 * Metagovernance (SPEC [H1]-[H6]): the charter changes only through a charter-amendment poll that
 * passed under the revision in force; anything else written into the charter storage is flagged and
 * ignored on every device.
 */

const MEMBERS = [ANN, BEN, CAT]
const STRICT: CharterContent = { ...DEFAULT_CHARTER, quorumPct: 100, method: 'consent' }

const amend = (doc: Y.Doc, content: CharterContent, title = 'Amend the charter'): ProposalId =>
  proposeCharterAmendment(doc, { title, author: ANN.id, authorName: 'Ann', createdAt: T0 + 1, content })

/** Opens a consent poll on `proposal`, has `voters` consent, closes it and settles everyone else. */
const decide = (
  doc: Y.Doc,
  proposal: ProposalId,
  voters: readonly TestMember[],
  object: TestMember[] = [],
  start = T0,
): PollId => {
  const poll = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: start + 2, closesAt: start + HOUR, body: '' })
  for (const m of voters) castStance(doc, m.signer, { poll, member: m.id, choice: 'consent', reason: '', castAt: start + 3 })
  for (const m of object) {
    castStance(doc, m.signer, { poll, member: m.id, choice: 'objection', reason: 'Not like this, please', castAt: start + 3 })
  }
  for (const m of MEMBERS) markSeenAfterClose(doc, m.signer, { poll, member: m.id, seenAt: start + HOUR + 1 })
  return poll
}

describe('[H1] the first charter', () => {
  it('[H1] is the creator’s, revision 0, not yet ratified', () => {
    const { doc } = decisionBoard(MEMBERS)
    const { charter } = readDecisions(doc, T0)
    expect(charter.revisions.map((r) => [r.revision, r.by])).toEqual([[0, ANN.id]])
    expect(charter.ratified).toBe(false)
    expect(charter.inForce?.content).toEqual(DEFAULT_CHARTER)
  })

  it('[H1] only the creator writes it, and only once', () => {
    const { doc } = decisionBoard(MEMBERS)
    expectRefused(doc, () => writeFirstCharter(doc, ANN.signer, { by: ANN.id, content: STRICT, adoptedAt: T0 }), 'forbidden')
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc))
    fresh.getMap(ROOT_CHARTER).clear()
    expectRefused(fresh, () => writeFirstCharter(fresh, BEN.signer, { by: BEN.id, content: STRICT, adoptedAt: T0 }), 'forbidden')
  })
})

describe('[H2] amending requires a passing amendment under the rules in force', () => {
  it('[H2] a passing amendment is adopted as the next revision; every revision stays readable', () => {
    const { doc } = decisionBoard(MEMBERS)
    const proposal = amend(doc, STRICT)
    const poll = decide(doc, proposal, [ANN, BEN])
    adoptCharterAmendment(doc, BEN.signer, { poll, by: BEN.id, adoptedAt: T0 + HOUR + 2 })
    const { charter } = readDecisions(doc, T0 + HOUR + 3)
    expect(charter.revisions.map((r) => [r.revision, r.contentHash, r.poll])).toEqual([
      [0, charterHash(DEFAULT_CHARTER), null],
      [1, charterHash(STRICT), poll],
    ])
    expect(charter.ratified).toBe(true)
    expect(charter.flagged).toEqual([])
  })

  it('[H2] an amendment that did not pass, or is not final, cannot be adopted', () => {
    const { doc } = decisionBoard(MEMBERS)
    const objected = decide(doc, amend(doc, STRICT), [ANN, BEN], [CAT])
    expectRefused(doc, () => adoptCharterAmendment(doc, ANN.signer, { poll: objected, by: ANN.id, adoptedAt: T0 + HOUR + 2 }), 'forbidden')
    const proposal = amend(doc, STRICT, 'Again')
    const open = openPoll(doc, ANN.signer, { proposal, opener: ANN.id, openedAt: T0 + 2, closesAt: T0 + 2 * HOUR, body: '' })
    for (const m of [ANN, BEN]) castStance(doc, m.signer, { poll: open, member: m.id, choice: 'consent', reason: '', castAt: T0 + 3 })
    // Closed, but Cat has neither voted nor been seen: provisional.
    expect(readDecisions(doc, T0 + 3 * HOUR).polls.find((p) => p.id === open)?.tally.status).toBe('provisional')
    expectRefused(doc, () => adoptCharterAmendment(doc, ANN.signer, { poll: open, by: ANN.id, adoptedAt: T0 + 3 * HOUR }), 'forbidden')
  })

  it('[H2] the new rules govern the next amendment: under quorum 100% a poll needs everyone', () => {
    const { doc } = decisionBoard(MEMBERS)
    const first = decide(doc, amend(doc, STRICT), [ANN, BEN])
    adoptCharterAmendment(doc, ANN.signer, { poll: first, by: ANN.id, adoptedAt: T0 + HOUR + 2 })
    const loose: CharterContent = { ...STRICT, quorumPct: 10 }
    const second = decide(doc, amend(doc, loose, 'Loosen'), [ANN, BEN], [], T0 + 2 * HOUR)
    const poll = readDecisions(doc, T0 + 4 * HOUR).polls.find((p) => p.id === second)
    expect([poll?.def.charter.revision, poll?.tally.needed, poll?.tally.result]).toEqual([1, 3, 'no-quorum'])
    expectRefused(doc, () => adoptCharterAmendment(doc, ANN.signer, { poll: second, by: ANN.id, adoptedAt: T0 + 4 * HOUR }), 'forbidden')
  })
})

describe('[H3] ratification', () => {
  it('[H3] an amendment with the unchanged content ratifies the creator’s charter', () => {
    const { doc } = decisionBoard(MEMBERS)
    const poll = decide(doc, amend(doc, DEFAULT_CHARTER, 'Ratify the charter'), [ANN, BEN, CAT])
    adoptCharterAmendment(doc, CAT.signer, { poll, by: CAT.id, adoptedAt: T0 + HOUR + 2 })
    const { charter } = readDecisions(doc, T0 + HOUR + 3)
    expect([charter.ratified, charter.inForce?.revision, charter.inForce?.content]).toEqual([true, 1, DEFAULT_CHARTER])
  })
})

describe('[H4] a peer that writes the charter storage directly is flagged and ignored', () => {
  it('[H4] a self-signed revision without a passing amendment is flagged on every device', () => {
    const { doc } = decisionBoard(MEMBERS)
    const rogue = copyOf(doc)
    const other = copyOf(doc)
    // Ben signs a "revision 1" that makes him the only one who may open polls, and writes it raw.
    const content: CharterContent = { ...DEFAULT_CHARTER, openers: 'listed', openerList: [BEN.id] }
    const inForce = readDecisions(rogue, T0).charter.inForce
    const envelope = signRecord(BEN.signer, SIGNATURE_DOMAINS.charter, {
      v: 1,
      revision: 1,
      content: content as never,
      contentHash: charterHash(content),
      prev: inForce?.contentHash ?? null,
      poll: 'FakePollFakePollFakePo',
      by: BEN.id,
      adoptedAt: T0 + 5,
    })
    rogue.getMap(ROOT_CHARTER).set(recordId(envelope.body), envelope)
    // And a forged first charter claiming Ann, signed by Cat's key.
    const forged = signRecord(CAT.signer, SIGNATURE_DOMAINS.charter, {
      v: 1,
      revision: 0,
      content: content as never,
      contentHash: charterHash(content),
      prev: null,
      poll: null,
      by: ANN.id,
      adoptedAt: T0 - 5,
    })
    rogue.getMap(ROOT_CHARTER).set(recordId(forged.body), forged)
    syncAll(rogue, other, doc)
    for (const replica of [doc, other, rogue]) {
      const { charter } = readDecisions(replica, T0 + 10)
      expect(charter.inForce?.revision).toBe(0)
      expect(charter.inForce?.content).toEqual(DEFAULT_CHARTER)
      expect(charter.flagged.map((f) => f.reason).sort()).toEqual([
        'signed by a device of another member',
        'the amendment poll it names is not on this device (yet)',
      ])
    }
  })

  it('[H4] overwriting a stored revision with other bytes is flagged; the chain is unchanged', () => {
    const { doc } = decisionBoard(MEMBERS)
    const [key, value] = [...doc.getMap(ROOT_CHARTER).entries()][0] as [string, { body: string; signer: string; sig: string }]
    const tampered = { ...value, body: value.body.replace('"quorumPct":50', '"quorumPct":0') }
    doc.getMap(ROOT_CHARTER).set(key, tampered)
    const { charter } = readDecisions(doc, T0)
    expect(charter.inForce).toBeNull()
    expect(charter.flagged[0]?.reason).toBe('the charter content does not match its hash')
  })
})

describe('[H6] charter content', () => {
  it('[H6] rules of conduct round-trip through their light markup', () => {
    const text = '# Conduct\n\nWe listen.\n\n- one\n- two\n\n1. first\n2. second'
    const blocks = parseConduct(text)
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'bullets', 'numbered'])
    expect(formatConduct(blocks)).toBe(text)
  })

  it('[H6] an invalid charter is refused by the ops, writing nothing', () => {
    const { doc } = decisionBoard(MEMBERS)
    expectRefused(doc, () => amend(doc, { ...DEFAULT_CHARTER, quorumPct: 101 }), 'invalid-input', 'charter')
  })
})
