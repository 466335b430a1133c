import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  canonicalJson,
  deriveTrust,
  entrySigningBytes,
  EntryGraph,
  foundBoard,
  ingestEntries,
  publishEntries,
  restoreEntries,
  signEntryAt,
  signJoinProof,
  toBase64url,
  writeEntry,
  ySignedEntriesOf,
  DEFAULT_CHARTER,
  type BoardId,
  type TrustView,
} from '../../shared/src'
import { admit, device, foundTestBoard, invite, keyOf, linkDevice, profile, revoke, syncGraphs } from '../helpers/trust'

/**
 * A member with write access attacks the trust layer with raw Yjs writes to the board doc. Three
 * honest devices that saw different subsets of the board each ingest what the doc holds and put
 * back what they verified; each must derive the same members, devices and founder as before the
 * attack, or show the tampering.
 */

interface Honest {
  readonly doc: Y.Doc
  readonly graph: EntryGraph
  restored: number
}

const sync = (a: Y.Doc, b: Y.Doc): void => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

/** What a members list shows: every member with their devices, revocations included. */
const summary = (view: TrustView) => ({
  founder: view.founder,
  members: view.members.map((m) => ({
    id: m.id,
    name: m.profile.name,
    admittedBy: m.admittedBy,
    devices: m.devices.map((d) => ({ key: d.key, revokedBy: d.revokedBy })),
  })),
})

/** The honest devices take in the shared doc, put back what they verified, and sync with it. */
const settle = (shared: Y.Doc, devices: readonly Honest[]): void => {
  for (let round = 0; round < 2; round++) {
    for (const d of devices) {
      sync(shared, d.doc)
      ingestEntries(d.doc, d.graph)
      d.restored += restoreEntries(d.doc, d.graph)
      sync(shared, d.doc)
    }
  }
}

/**
 * A board with a founder (Ada), Bo (phone and laptop) and Cy; device A saw everything, B saw the
 * board before Cy joined, C has seen nothing yet.
 */
const scenario = () => {
  const founded = foundTestBoard()
  const full = founded.graph()
  admit(full, device('founder'), device('bo-phone'), 'Bo')
  linkDevice(full, device('bo-phone'), device('bo-laptop'))
  const beforeCy = new Set(full.ordered().map((n) => n.hash))
  admit(full, device('founder'), device('cy'), 'Cy')
  const shared = new Y.Doc()
  publishEntries(shared, full.ordered())
  const honest = (entries: 'all' | 'before-cy' | 'none'): Honest => {
    // Every member's device trusts the genesis its link named (SPEC [J1]).
    const graph = new EntryGraph(founded.board)
    graph.pinGenesis(founded.genesis.hash)
    for (const node of full.ordered()) {
      if (entries === 'all' || (entries === 'before-cy' && beforeCy.has(node.hash))) graph.addVerified(node)
    }
    const doc = new Y.Doc()
    if (entries !== 'none') publishEntries(doc, graph.ordered())
    return { doc, graph, restored: 0 }
  }
  const devices = [honest('all'), honest('before-cy'), honest('none')]
  const expected = summary(deriveTrust(full))
  return { founded, full, shared, devices, expected }
}

/** The attacker's own raw write to the shared doc (no ops, no checks). */
const raw = (shared: Y.Doc, write: (yEntries: Y.Map<unknown>) => void): void => {
  const attacker = new Y.Doc()
  Y.applyUpdate(attacker, Y.encodeStateAsUpdate(shared))
  write(ySignedEntriesOf(attacker))
  Y.applyUpdate(shared, Y.encodeStateAsUpdate(attacker, Y.encodeStateVector(shared)))
}

const expectUnchanged = (devices: readonly Honest[], expected: ReturnType<typeof summary>): void => {
  for (const d of devices) expect(summary(deriveTrust(d.graph))).toEqual(expected)
}

describe('adversary: membership and devices', () => {
  it('[J1] a second genesis cannot take over the board, and a rewritten genesis is put back', () => {
    const { founded, shared, devices, expected } = scenario()
    const fake = foundBoard(
      device('mallory'),
      founded.board,
      { name: 'Mallory’s board', founder: profile('Mallory'), charter: { ...DEFAULT_CHARTER, quorumPct: 0 }, admit: 'founder', nonce: 'AAAAAAAAAAAAAAAAAAAAAA' },
      1,
    )
    settle(shared, devices)
    raw(shared, (y) => {
      y.set(fake.hash, fake.envelope)
      // Overwrite the real genesis in place with Mallory's.
      y.set(founded.genesis.hash, fake.envelope)
    })
    settle(shared, devices)
    expectUnchanged(devices, expected)
    expect(ySignedEntriesOf(shared).get(founded.genesis.hash)).toEqual(founded.genesis.envelope)
    expect(devices[0]?.restored).toBeGreaterThan(0)
  })

  it('[J4] made-up members (joins without a valid invitation) are no members', () => {
    const { founded, shared, devices, expected } = scenario()
    const board = founded.board
    const fakes = Array.from({ length: 5 }, (_, i) => {
      // Mallory's own "invitation", signed by a key that never joined, redeemed five times.
      const graph = founded.graph()
      const bogus = invite(graph, device(`mallory-inviter-${i}`))
      const joined = writeEntry(
        graph,
        device(`sock-${i}`),
        'join',
        { invite: bogus.entry.hash, proof: signJoinProof(bogus.link, board, keyOf(device(`sock-${i}`))), profile: profile(`Sock ${i}`) },
        3_000,
      )
      return [bogus.entry, joined]
    }).flat()
    raw(shared, (y) => {
      for (const f of fakes) y.set(f.hash, f.envelope)
    })
    settle(shared, devices)
    expectUnchanged(devices, expected)
    const view = deriveTrust(devices[2]?.graph as EntryGraph)
    expect(view.flags.filter((f) => f.kind === 'refused')).toHaveLength(10)
  })

  it('[J5] nobody can claim or disown another member’s key', () => {
    const { founded, full, shared, devices } = scenario()
    admit(full, device('founder'), device('mallory'), 'Mallory')
    publishEntries(shared, full.ordered())
    settle(shared, devices)
    const expected = summary(deriveTrust(full))
    const attacker = founded.graph()
    syncGraphs(full, attacker)
    // Mallory, a member, "revokes" the founder's device, and issues herself a device invitation
    // that she redeems in the founder key's name (she cannot sign with that key, so she signs with hers).
    const disown = revoke(attacker, device('mallory'), device('founder'))
    const link = invite(attacker, device('mallory'), 'device')
    const position = { seq: 1, prev: null, deps: [link.entry.hash] }
    const honestShape = signEntryAt(
      device('founder'),
      founded.board,
      'join',
      { invite: link.entry.hash, proof: signJoinProof(link.link, founded.board, keyOf(device('founder'))), profile: null },
      position,
      4_000,
    )
    const claim = { e: honestShape.envelope.e, s: toBase64url(device('mallory').sign(entrySigningBytes('join', honestShape.envelope.e))) }
    raw(shared, (y) => {
      for (const x of [disown, link.entry]) y.set(x.hash, x.envelope)
      y.set(honestShape.hash, claim)
    })
    settle(shared, devices)
    for (const d of devices) {
      const view = deriveTrust(d.graph)
      expect(view.ownerOf(keyOf(device('founder')))).toMatchObject({ member: expected.founder, revokedBy: null })
      expect(view.status(disown.hash)).toMatchObject({ counts: false, reason: expect.stringMatching(/not its member’s/) })
      expect(d.graph.has(honestShape.hash)).toBe(false)
    }
    expectUnchanged(devices, expected)
  })

  it('[J7] removing a lost phone keeps everything the phone signed before the revocation', () => {
    const { full, shared, devices } = scenario()
    const phoneInvite = invite(full, device('bo-phone'), 'device')
    publishEntries(shared, full.ordered())
    settle(shared, devices)
    const before = deriveTrust(devices[0]?.graph as EntryGraph)
    const laptop = devices[0] as Honest
    const revocation = revoke(laptop.graph, device('bo-laptop'), device('bo-phone'))
    publishEntries(laptop.doc, [revocation])
    settle(shared, devices)
    for (const d of devices) {
      const view = deriveTrust(d.graph)
      expect(view.status(phoneInvite.entry.hash)).toMatchObject({ counts: true })
      expect(view.members.map((m) => m.id)).toEqual(before.members.map((m) => m.id))
      expect(view.ownerOf(keyOf(device('bo-phone')))?.revokedBy).toBe(revocation.hash)
    }
  })

  it('[E8] deleting member entries from the doc changes nothing on devices that verified them', () => {
    const { shared, devices, expected } = scenario()
    settle(shared, devices)
    raw(shared, (y) => {
      for (const key of [...y.keys()]) y.delete(key)
    })
    settle(shared, devices)
    expectUnchanged(devices, expected)
    expect(devices[0]?.restored).toBeGreaterThan(0)
  })

  it('[E8] rolling an entry back (re-publishing an older one, or an edited copy) changes nothing', () => {
    const { full, shared, devices } = scenario()
    const renamed = writeEntry(full, device('cy'), 'profile', profile('Cy Renamed'), 9)
    publishEntries(shared, [renamed])
    settle(shared, devices)
    const expected = summary(deriveTrust(full))
    raw(shared, (y) => {
      y.delete(renamed.hash)
      const edited = JSON.parse(renamed.envelope.e) as { data: { name: string } }
      edited.data.name = 'Cy Rolled Back'
      y.set(renamed.hash, { e: canonicalJson(edited as never), s: renamed.envelope.s })
    })
    settle(shared, devices)
    expectUnchanged(devices, expected)
  })

  it('[E3] entries replayed from another board are refused', () => {
    const { shared, devices, expected } = scenario()
    const other = foundTestBoard(device('founder'), { name: 'Sister board' })
    const otherGraph = other.graph()
    const replayed = [other.genesis, admit(otherGraph, device('founder'), device('mallory'), 'Mallory')]
    raw(shared, (y) => {
      for (const x of [...otherGraph.ordered(), ...replayed]) y.set(x.hash, x.envelope)
    })
    settle(shared, devices)
    expectUnchanged(devices, expected)
  })

  it('[E1] an entry of an unknown version or kind is refused and freezes nothing', () => {
    const { founded, shared, devices, expected } = scenario()
    const text = canonicalJson({
      v: 99,
      board: founded.board,
      kind: 'genesis',
      device: keyOf(device('mallory')),
      seq: 1,
      prev: null,
      deps: [],
      at: 1,
      data: {},
    })
    raw(shared, (y) => {
      y.set('freeze', { e: text, s: toBase64url(device('mallory').sign(entrySigningBytes('genesis', text))) })
    })
    settle(shared, devices)
    expectUnchanged(devices, expected)
    // Everyone can still write.
    const next = writeEntry(devices[0]?.graph as EntryGraph, device('cy'), 'profile', profile('Cy'), 20)
    expect(deriveTrust(devices[0]?.graph as EntryGraph).status(next.hash)).toMatchObject({ counts: true })
  })

  it('[E7] a device that signs two histories is shown as equivocating; neither is dropped', () => {
    const { founded, shared, devices } = scenario()
    const graph = (devices[0] as Honest).graph
    const position = { seq: graph.tipsOf(keyOf(device('cy')))[0]?.entry.seq as number, prev: null, deps: [] }
    const tip = graph.tipsOf(keyOf(device('cy')))[0]
    const a = signEntryAt(device('cy'), founded.board as BoardId, 'profile', profile('Cy A'), { seq: position.seq + 1, prev: tip?.hash ?? null, deps: [] }, 30)
    const b = signEntryAt(device('cy'), founded.board as BoardId, 'profile', profile('Cy B'), { seq: position.seq + 1, prev: tip?.hash ?? null, deps: [] }, 30)
    raw(shared, (y) => {
      y.set(a.hash, a.envelope)
      y.set(b.hash, b.envelope)
    })
    settle(shared, devices)
    for (const d of devices) {
      const view = deriveTrust(d.graph)
      expect(view.flags).toContainEqual({ kind: 'fork', device: keyOf(device('cy')), seq: position.seq + 1, entries: [a.hash, b.hash].sort() })
      expect(view.ownerOf(keyOf(device('cy')))?.equivocated).toBe(true)
    }
  })
})
