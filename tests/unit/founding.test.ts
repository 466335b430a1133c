import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  attachTrustStore,
  DEFAULT_CHARTER,
  EntryGraph,
  foundNewBoard,
  inviteLinkedDevice,
  inviteToBoard,
  linkedDevicesToInvite,
  memberIdForKey,
  readDecisions,
  readMembership,
  redeemInvitation,
  redeemLinkedDeviceInvitation,
  toBase64url,
  type BoardId,
  type EntryHash,
  type Signer,
} from '../../shared/src'
import { device } from '../helpers/trust'

/* Founding a board, inviting, and redeeming the link's invitation, as the app does (SPEC [J1], [J4], [J11]). */

const BOARD = 'FoundingTestBoardAAAAA' as BoardId
const T = 1_800_000_000_000
const ada = { name: 'Ada', color: '#336699' }
const bo = { name: 'Bo', color: '#993366' }

const found = () => {
  const doc = new Y.Doc()
  const { graph, genesis } = foundNewBoard(doc, device('ada'), { board: BOARD, name: 'Tool library', founder: ada, at: T })
  attachTrustStore(doc, graph)
  return { doc, graph, genesis }
}

/** Another device opening the link: its own doc and a store pinned to the genesis the link names. */
const deviceWithLink = (from: Y.Doc, genesis: EntryHash): { doc: Y.Doc; graph: EntryGraph } => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from))
  const graph = new EntryGraph(BOARD)
  graph.pinGenesis(genesis)
  attachTrustStore(doc, graph)
  return { doc, graph }
}

const sync = (a: Y.Doc, b: Y.Doc): void => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

const memberOf = (doc: Y.Doc, signer: Signer) => readMembership(doc).ownerOf(toBase64url(signer.publicKey))

describe('founding and invitations', () => {
  it('[J1] [J11] a founded board: the founder is its first member, charter revision 0 from the genesis', () => {
    const { doc } = found()
    const membership = readMembership(doc)
    expect(membership.basis).toBe('founded')
    expect(membership.founder).toBe(memberIdForKey(device('ada').publicKey))
    expect([...membership.members.values()]).toEqual([expect.objectContaining({ name: 'Ada', founder: true, admittedBy: null })])
    const charter = readDecisions(doc, T).charter
    expect(charter.inForce).toMatchObject({ revision: 0, content: DEFAULT_CHARTER, by: membership.founder })
    expect(charter.ratified).toBe(false)
  })

  it('[J4] a member invites; the link’s device waits for the invitation, then joins as a new member', () => {
    const founder = found()
    const newcomer = deviceWithLink(founder.doc, founder.genesis.hash)
    const invitation = inviteToBoard(founder.doc, founder.graph, device('ada'), { purpose: 'member', expiresAt: T + 1000, uses: 1, at: T + 1 })
    // The invitation has not synced yet.
    expect(redeemInvitation(newcomer.doc, newcomer.graph, device('bo'), { secret: invitation.secret, profile: bo, at: T + 2 })).toEqual({
      status: 'waiting',
    })
    sync(founder.doc, newcomer.doc)
    const redeemed = redeemInvitation(newcomer.doc, newcomer.graph, device('bo'), { secret: invitation.secret, profile: bo, at: T + 2 })
    expect(redeemed.status).toBe('joined')
    sync(founder.doc, newcomer.doc)
    for (const doc of [founder.doc, newcomer.doc]) {
      const members = [...readMembership(doc).members.values()]
      expect(members.map((m) => [m.name, m.admittedBy])).toEqual([
        ['Ada', null],
        ['Bo', memberIdForKey(device('ada').publicKey)],
      ])
      expect(memberOf(doc, device('bo'))).toBe(memberIdForKey(device('bo').publicKey))
    }
    expect(redeemInvitation(newcomer.doc, newcomer.graph, device('bo'), { secret: invitation.secret, profile: bo, at: T + 3 })).toEqual({
      status: 'already-member',
    })
  })

  it('[J4] only a member’s device invites; expired and damaged invitations are refused with a reason', () => {
    const founder = found()
    expect(() =>
      inviteToBoard(founder.doc, founder.graph, device('stranger'), { purpose: 'member', expiresAt: T + 1000, uses: 1, at: T + 1 }),
    ).toThrow(/Only a member’s device/)
    const invitation = inviteToBoard(founder.doc, founder.graph, device('ada'), { purpose: 'member', expiresAt: T + 1000, uses: 1, at: T + 1 })
    const late = deviceWithLink(founder.doc, founder.genesis.hash)
    expect(redeemInvitation(late.doc, late.graph, device('cy'), { secret: invitation.secret, profile: bo, at: T + 5000 })).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/expired/),
    })
    expect(redeemInvitation(late.doc, late.graph, device('cy'), { secret: 'not-a-key', profile: bo, at: T + 2 })).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/damaged/),
    })
    expect(readMembership(late.doc).members.size).toBe(1)
  })

  it('[J5] a device invitation binds the new device to the inviting member: one person, two devices', () => {
    const founder = found()
    const invitation = inviteToBoard(founder.doc, founder.graph, device('ada'), { purpose: 'device', expiresAt: T + 1000, uses: 1, at: T + 1 })
    const phone = deviceWithLink(founder.doc, founder.genesis.hash)
    expect(redeemInvitation(phone.doc, phone.graph, device('ada-phone'), { secret: invitation.secret, profile: ada, at: T + 2 }).status).toBe(
      'joined',
    )
    sync(founder.doc, phone.doc)
    const members = [...readMembership(founder.doc).members.values()]
    expect(members).toHaveLength(1)
    expect(members[0]?.devices).toEqual([toBase64url(device('ada').publicKey), toBase64url(device('ada-phone').publicKey)])
    expect(memberOf(founder.doc, device('ada-phone'))).toBe(memberIdForKey(device('ada').publicKey))
  })

  it('[J1] a link pinned to another genesis admits nobody: the rival board’s invitation does not count here', () => {
    const founder = found()
    // Mallory founds a rival genesis for the same board id and invites with it.
    const rivalDoc = new Y.Doc()
    const rival = foundNewBoard(rivalDoc, device('mallory'), { board: BOARD, name: 'Tool library', founder: { name: 'Mallory', color: '#000000' }, at: T })
    attachTrustStore(rivalDoc, rival.graph)
    const rivalInvite = inviteToBoard(rivalDoc, rival.graph, device('mallory'), { purpose: 'member', expiresAt: T + 1000, uses: 1, at: T + 1 })
    sync(rivalDoc, founder.doc)
    const newcomer = deviceWithLink(founder.doc, founder.genesis.hash)
    expect(redeemInvitation(newcomer.doc, newcomer.graph, device('bo'), { secret: rivalInvite.secret, profile: bo, at: T + 2 })).toMatchObject({
      status: 'refused',
    })
    expect([...readMembership(founder.doc).members.values()].map((m) => m.name)).toEqual(['Ada'])
  })
})

describe('linked devices on a founded board', () => {
  it('[J12] a member’s device invites its linked device by key; the linked device joins as the same member', () => {
    const phone = found()
    const laptopKey = toBase64url(device('ada-laptop').publicKey)
    const view = () => readMembership(phone.doc).trust as NonNullable<ReturnType<typeof readMembership>['trust']>
    const me = toBase64url(device('ada').publicKey)
    expect(linkedDevicesToInvite(view(), phone.graph, me, [laptopKey, me])).toEqual([laptopKey])
    inviteLinkedDevice(phone.doc, phone.graph, device('ada'), laptopKey, T + 1)
    expect(linkedDevicesToInvite(view(), phone.graph, me, [laptopKey])).toEqual([])
    // A device that is no member here invites nobody.
    expect(linkedDevicesToInvite(view(), phone.graph, toBase64url(device('stranger').publicKey), [laptopKey])).toEqual([])

    const laptop = deviceWithLink(phone.doc, phone.genesis.hash)
    const ada = memberIdForKey(device('ada').publicKey)
    expect(redeemLinkedDeviceInvitation(laptop.doc, laptop.graph, device('ada-laptop'), ada, T + 2)).not.toBeNull()
    sync(phone.doc, laptop.doc)
    for (const doc of [phone.doc, laptop.doc]) {
      const members = [...readMembership(doc).members.values()]
      expect(members.map((m) => [m.name, m.devices.length])).toEqual([['Ada', 2]])
      expect(memberOf(doc, device('ada-laptop'))).toBe(ada)
    }
    expect(redeemLinkedDeviceInvitation(laptop.doc, laptop.graph, device('ada-laptop'), ada, T + 3)).toBeNull()
  })

  it('[J12] another member listing a device’s public key in an invitation does not capture that device', () => {
    const board = found()
    const invitation = inviteToBoard(board.doc, board.graph, device('ada'), { purpose: 'member', expiresAt: T + 1000, uses: 1, at: T + 1 })
    const mallory = deviceWithLink(board.doc, board.genesis.hash)
    redeemInvitation(mallory.doc, mallory.graph, device('mallory'), { secret: invitation.secret, profile: bo, at: T + 2 })
    const laptopKey = toBase64url(device('ada-laptop').publicKey)
    inviteLinkedDevice(mallory.doc, mallory.graph, device('mallory'), laptopKey, T + 3)
    sync(mallory.doc, board.doc)
    const laptop = deviceWithLink(board.doc, board.genesis.hash)
    expect(redeemLinkedDeviceInvitation(laptop.doc, laptop.graph, device('ada-laptop'), memberIdForKey(device('ada').publicKey), T + 4)).toBeNull()
    expect(memberOf(laptop.doc, device('ada-laptop'))).toBeNull()
  })
})
