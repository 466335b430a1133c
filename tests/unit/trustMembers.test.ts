import { describe, expect, it } from 'vitest'
import { deriveTrust, EntryGraph, foundBoard, memberIdForKey, signEntryAt, type GenesisData, signJoinProof, verifyJoinProof, writeEntry, type TrustView } from '../../shared/src'
import {
  admit,
  device,
  foundTestBoard,
  invite,
  join,
  keyOf,
  linkDevice,
  memberNames,
  profile,
  revoke,
  syncGraphs,
} from '../helpers/trust'

const founded = foundTestBoard()

/**
 * Bo has a phone and a laptop. The phone is stolen: the laptop revokes it, while the phone, which
 * saw everything up to then, goes on offline in the thief's hands.
 */
const stolenPhone = () => {
  const laptopView = founded.graph()
  admit(laptopView, device('founder'), device('bo-phone'), 'Bo')
  linkDevice(laptopView, device('bo-phone'), device('bo-laptop'))
  const phoneView = founded.graph()
  syncGraphs(laptopView, phoneView)
  const revocation = revoke(laptopView, device('bo-laptop'), device('bo-phone'))
  return { laptopView, phoneView, revocation }
}

const reasonOf = (view: TrustView, hash: string): string | null => {
  const status = view.status(hash as never)
  if (status === null) throw new Error('entry not judged')
  return status.counts ? null : status.reason
}

describe('members and devices', () => {
  it('[J1] the genesis founds the board: its device is the founder’s, with charter revision 0', () => {
    const view = deriveTrust(founded.graph())
    expect(view.founder).toBe(memberIdForKey(device('founder').publicKey))
    expect(view.genesis?.data.admit).toBe('any-member')
    expect(view.members).toEqual([
      expect.objectContaining({ id: view.founder, founder: true, admittedBy: null, profile: profile('Ada') }),
    ])
    expect(view.ownerOf(keyOf(device('founder')))).toMatchObject({ member: view.founder, boundBy: founded.genesis.hash })
  })

  it('[J1] a device trusts one genesis: the pinned one, else the only one it holds; rivals leave nothing counting', () => {
    const rival = foundBoard(device('mallory'), founded.board, { ...founded.genesis.entry.data as GenesisData, founder: profile('Mallory') }, 1)
    const onlyOne = new EntryGraph(founded.board)
    onlyOne.addVerified(founded.genesis)
    expect(deriveTrust(onlyOne).founder).toBe(memberIdForKey(device('founder').publicKey))
    onlyOne.addVerified(rival)
    const unsure = deriveTrust(onlyOne)
    expect(unsure.founder).toBeNull()
    expect(unsure.members).toEqual([])
    expect(unsure.flags).toContainEqual({ kind: 'rival-geneses', entries: expect.arrayContaining([founded.genesis.hash, rival.hash]) })
    onlyOne.pinGenesis(founded.genesis.hash)
    const pinned = deriveTrust(onlyOne)
    expect(pinned.founder).toBe(memberIdForKey(device('founder').publicKey))
    expect(pinned.status(rival.hash)).toEqual({ counts: false, reason: 'it is not this board’s genesis' })
    expect(() => onlyOne.pinGenesis(rival.hash)).toThrow(/another founding entry/)
    const pinnedToRival = new EntryGraph(founded.board)
    pinnedToRival.pinGenesis(rival.hash)
    pinnedToRival.addVerified(founded.genesis)
    expect(deriveTrust(pinnedToRival).founder).toBeNull()
  })

  it('[J1] without its genesis nothing counts', () => {
    const graph = founded.graph()
    admit(graph, device('founder'), device('bo'), 'Bo')
    const withoutGenesis = new Set(graph.ordered().map((n) => n.hash).filter((h) => h !== founded.genesis.hash))
    expect(deriveTrust(graph, { within: withoutGenesis }).members).toEqual([])
  })

  it('[J2] a member’s id is the one their admitted device’s key gives, on every board', () => {
    const graph = founded.graph()
    const joined = admit(graph, device('founder'), device('bo'), 'Bo')
    const view = deriveTrust(graph)
    const bo = view.members.find((m) => m.profile.name === 'Bo')
    expect(bo?.id).toBe(memberIdForKey(device('bo').publicKey))
    const elsewhere = foundTestBoard(device('other-founder'), { name: 'Elsewhere' }).graph()
    admit(elsewhere, device('other-founder'), device('bo'), 'Bo')
    expect(deriveTrust(elsewhere).members.find((m) => m.profile.name === 'Bo')?.id).toBe(bo?.id)
    expect(bo?.admittedBy).toBe(view.founder)
    expect(bo?.admission).toBe(joined.hash)
  })

  it('[J3] under "founder" only the founder’s invitations admit members', () => {
    const strict = foundTestBoard(device('strict-founder'), { admit: 'founder', name: 'Strict' })
    const graph = strict.graph()
    admit(graph, device('strict-founder'), device('bo'), 'Bo')
    const byBo = invite(graph, device('bo'))
    const cy = join(graph, device('cy'), byBo, profile('Cy'))
    const view = deriveTrust(graph)
    expect(memberNames(view.members)).toEqual(['Ada', 'Bo'])
    expect(reasonOf(view, byBo.entry.hash)).toMatch(/only the founder/)
    expect(reasonOf(view, cy.hash)).toMatch(/invitation does not count/)
  })

  it('[J4] a join must prove it holds the invitation’s key', () => {
    const graph = founded.graph()
    const invitation = invite(graph, device('founder'))
    const forged = writeEntry(
      graph,
      device('mallory'),
      'join',
      { invite: invitation.entry.hash, proof: signJoinProof(device('not-the-link'), graph.board, keyOf(device('mallory'))), profile: profile('Mallory') },
      3_000,
    )
    expect(reasonOf(deriveTrust(graph), forged.hash)).toMatch(/does not prove/)
  })

  it('[J4] a proof binds the board and the joining device: one copied from another join, or made for another board, does not count', () => {
    const graph = founded.graph()
    const invitation = invite(graph, device('founder'), 'member', { uses: 5 })
    const bo = join(graph, device('bo'), invitation, profile('Bo'))
    // Mallory copies Bo's proof, public in Bo's join, into a join of her own device.
    const copied = writeEntry(
      graph,
      device('mallory'),
      'join',
      { invite: invitation.entry.hash, proof: (bo.entry.data as { proof: string }).proof, profile: profile('Mallory') },
      3_000,
    )
    const otherBoard = foundTestBoard(device('founder'), { name: 'Another board' }).board
    const elsewhere = writeEntry(
      graph,
      device('eve'),
      'join',
      { invite: invitation.entry.hash, proof: signJoinProof(invitation.link, otherBoard, keyOf(device('eve'))), profile: profile('Eve') },
      3_000,
    )
    const view = deriveTrust(graph)
    expect(reasonOf(view, bo.hash)).toBeNull()
    expect(reasonOf(view, copied.hash)).toMatch(/does not prove/)
    expect(reasonOf(view, elsewhere.hash)).toMatch(/does not prove/)
  })

  it('[J4] a malformed invitation key or proof never verifies, and never throws', () => {
    const proof = signJoinProof(device('link'), founded.board, keyOf(device('bo')))
    expect(verifyJoinProof(keyOf(device('link')), founded.board, keyOf(device('bo')), proof)).toBe(true)
    expect(verifyJoinProof('not base64url!', founded.board, keyOf(device('bo')), proof)).toBe(false)
    expect(verifyJoinProof(keyOf(device('link')), founded.board, keyOf(device('bo')), 'not base64url!')).toBe(false)
    expect(verifyJoinProof(keyOf(device('link')), founded.board, keyOf(device('bo')), proof.slice(0, 80))).toBe(false)
    expect(verifyJoinProof(keyOf(device('link')).slice(0, 40), founded.board, keyOf(device('bo')), proof)).toBe(false)
  })

  it('[J4] a join after the invitation expired does not count', () => {
    const graph = founded.graph()
    const invitation = invite(graph, device('founder'), 'member', { expiresAt: 2_500 })
    const late = join(graph, device('bo'), invitation, profile('Bo'), 3_000)
    expect(reasonOf(deriveTrust(graph), late.hash)).toMatch(/expired/)
  })

  it('[J4] more joins than an invitation allows all count, and are flagged', () => {
    const graph = founded.graph()
    const invitation = invite(graph, device('founder'), 'member', { uses: 1 })
    join(graph, device('bo'), invitation, profile('Bo'))
    join(graph, device('cy'), invitation, profile('Cy'))
    const view = deriveTrust(graph)
    expect(memberNames(view.members)).toEqual(['Ada', 'Bo', 'Cy'])
    expect(view.flags).toContainEqual({ kind: 'invite-overused', invite: invitation.entry.hash, uses: 1, joins: 2 })
  })

  it('[J4] a join that names an invitation outside its causal past does not count', () => {
    const graph = founded.graph()
    const elsewhere = foundTestBoard().graph()
    const invitation = invite(elsewhere, device('founder'))
    // The newcomer never saw the invitation entry: its join cannot point to it causally.
    const orphan = writeEntry(
      graph,
      device('bo'),
      'join',
      { invite: invitation.entry.hash, proof: signJoinProof(invitation.link, graph.board, keyOf(device('bo'))), profile: profile('Bo') },
      3_000,
    )
    graph.addVerified(invitation.entry)
    expect(reasonOf(deriveTrust(graph), orphan.hash)).toMatch(/outside its causal past/)
  })

  it('[J5] a device invitation binds the new key to the issuer’s member: one person, two devices', () => {
    const graph = founded.graph()
    admit(graph, device('founder'), device('bo-phone'), 'Bo')
    linkDevice(graph, device('bo-phone'), device('bo-laptop'))
    const view = deriveTrust(graph)
    expect(memberNames(view.members)).toEqual(['Ada', 'Bo'])
    const bo = view.members.find((m) => m.profile.name === 'Bo')
    expect(bo?.devices.map((d) => d.key)).toEqual([keyOf(device('bo-phone')), keyOf(device('bo-laptop'))])
    expect(view.ownerOf(keyOf(device('bo-laptop')))?.member).toBe(bo?.id)
  })

  it('[J5] a device that signs a second first entry keeps its first binding; the other chain does not count', () => {
    const graph = founded.graph()
    const first = admit(graph, device('founder'), device('bo'), 'Bo')
    const other = invite(graph, device('founder'))
    // Bo's key signs another seq 1 by hand (writeEntry would refuse), joining again as "Bob".
    const second = signEntryAt(
      device('bo'),
      graph.board,
      'join',
      { invite: other.entry.hash, proof: signJoinProof(other.link, graph.board, keyOf(device('bo'))), profile: profile('Bob') },
      { seq: 1, prev: null, deps: [other.entry.hash] },
      3_000,
    )
    graph.addVerified(second)
    const view = deriveTrust(graph)
    expect(memberNames(view.members)).toEqual(['Ada', 'Bo'])
    expect(view.ownerOf(keyOf(device('bo')))?.boundBy).toBe(
      [first.hash, second.hash].find((h) => reasonOf(view, h) === null),
    )
    expect(view.ownerOf(keyOf(device('bo')))?.equivocated).toBe(true)
    expect(view.flags.some((f) => f.kind === 'fork')).toBe(true)
  })

  it('[J6] an entry by a key that never joined counts for nobody', () => {
    const graph = founded.graph()
    const stray = writeEntry(graph, device('stranger'), 'profile', profile('Stranger'), 5)
    const view = deriveTrust(graph)
    expect(reasonOf(view, stray.hash)).toMatch(/never joined/)
    expect(view.flags).toContainEqual(expect.objectContaining({ kind: 'refused', entry: stray.hash }))
  })

  it('[J7] revoking a device keeps what the revocation saw, and refuses what it did not', () => {
    const phoneView = founded.graph()
    admit(phoneView, device('founder'), device('bo-phone'), 'Bo')
    linkDevice(phoneView, device('bo-phone'), device('bo-laptop'))
    const seen = writeEntry(phoneView, device('bo-phone'), 'profile', profile('Bo seen'), 10)
    // The laptop holds everything up to `seen`, then revokes the phone; the phone, offline, writes on.
    const laptopView = founded.graph()
    syncGraphs(phoneView, laptopView)
    const revocation = revoke(laptopView, device('bo-laptop'), device('bo-phone'))
    const unseen = writeEntry(phoneView, device('bo-phone'), 'profile', profile('Bo unseen'), 11)
    syncGraphs(phoneView, laptopView)
    const view = deriveTrust(laptopView)
    expect(reasonOf(view, seen.hash)).toBeNull()
    expect(reasonOf(view, unseen.hash)).toMatch(/revoked/)
    expect(view.ownerOf(keyOf(device('bo-phone')))).toMatchObject({ revokedBy: revocation.hash, cutEntries: 1 })
    expect(view.members.find((m) => m.devices.length === 2)?.profile.name).toBe('Bo seen')
    expect(view.flags).toContainEqual({ kind: 'revoked-device-wrote', device: keyOf(device('bo-phone')), entries: 1 })
  })

  it('[J7] a thief cannot keep what the stolen device wrote by having it revoke itself later', () => {
    const { laptopView, phoneView } = stolenPhone()
    const stolen = writeEntry(phoneView, device('bo-phone'), 'profile', profile('Thief'), 20)
    const selfRevocation = revoke(phoneView, device('bo-phone'), device('bo-phone'), 21)
    syncGraphs(phoneView, laptopView)
    const view = deriveTrust(laptopView)
    expect(reasonOf(view, stolen.hash)).toMatch(/revoked/)
    expect(reasonOf(view, selfRevocation.hash)).toMatch(/revoked/)
    expect(view.members.find((m) => m.devices.length === 2)?.profile.name).toBe('Bo')
  })

  it('[J7] with two revocations of one device, only what both saw still counts', () => {
    const base = founded.graph()
    admit(base, device('founder'), device('bo-phone'), 'Bo')
    linkDevice(base, device('bo-phone'), device('bo-laptop'))
    linkDevice(base, device('bo-phone'), device('bo-tablet'))
    const copy = (): ReturnType<typeof founded.graph> => {
      const g = founded.graph()
      syncGraphs(base, g)
      return g
    }
    const laptopView = copy()
    const tabletView = copy()
    const phoneWrote = writeEntry(base, device('bo-phone'), 'profile', profile('Bo phone'), 10)
    tabletView.addVerified(phoneWrote)
    const byLaptop = revoke(laptopView, device('bo-laptop'), device('bo-phone'))
    const byTablet = revoke(tabletView, device('bo-tablet'), device('bo-phone'))
    syncGraphs(tabletView, laptopView)
    const view = deriveTrust(laptopView)
    expect(reasonOf(view, byLaptop.hash)).toBeNull()
    expect(reasonOf(view, byTablet.hash)).toBeNull()
    expect(reasonOf(view, phoneWrote.hash)).toMatch(/revoked/)
  })

  it('[J7] nobody can revoke another member’s device', () => {
    const graph = founded.graph()
    admit(graph, device('founder'), device('bo'), 'Bo')
    const attempt = revoke(graph, device('bo'), device('founder'))
    const view = deriveTrust(graph)
    expect(reasonOf(view, attempt.hash)).toMatch(/not its member’s/)
    expect(view.ownerOf(keyOf(device('founder')))?.revokedBy).toBeNull()
  })

  it('[J7] two devices revoking each other concurrently: the first in canonical order wins', () => {
    const graph = founded.graph()
    admit(graph, device('founder'), device('bo-a'), 'Bo')
    linkDevice(graph, device('bo-a'), device('bo-b'))
    const base = graph.heads()
    const aView = founded.graph()
    const bView = founded.graph()
    syncGraphs(graph, aView)
    syncGraphs(graph, bView)
    expect(aView.heads()).toEqual(base)
    const byA = revoke(aView, device('bo-a'), device('bo-b'))
    const byB = revoke(bView, device('bo-b'), device('bo-a'))
    syncGraphs(bView, aView)
    const view = deriveTrust(aView)
    const [first, second] = [byA, byB].sort((x, y) => (x.hash < y.hash ? -1 : 1))
    expect(reasonOf(view, first?.hash as string)).toBeNull()
    expect(reasonOf(view, second?.hash as string)).toMatch(/revoked/)
  })

  it('[J7] a device invitation from a device revoked before it counts for nothing', () => {
    const { laptopView, phoneView } = stolenPhone()
    // The thief, holding the phone, links a device of their own.
    const thiefJoin = linkDevice(phoneView, device('bo-phone'), device('thief'))
    syncGraphs(phoneView, laptopView)
    const view = deriveTrust(laptopView)
    expect(reasonOf(view, thiefJoin.hash)).toMatch(/invitation does not count/)
    expect(view.ownerOf(keyOf(device('thief')))).toBeNull()
  })

  it('[J8] a member’s name is their latest profile entry, from any of their devices', () => {
    const graph = founded.graph()
    admit(graph, device('founder'), device('bo-phone'), 'Bo')
    linkDevice(graph, device('bo-phone'), device('bo-laptop'))
    writeEntry(graph, device('bo-phone'), 'profile', profile('Bo P.'), 10)
    writeEntry(graph, device('bo-laptop'), 'profile', profile('Bo L.', '#aa0000'), 11)
    const view = deriveTrust(graph)
    expect(memberNames(view.members)).toEqual(['Ada', 'Bo L.'])
  })

  it('[J9] ownerOf is null for keys that never joined, and names the member for every bound device', () => {
    const graph = founded.graph()
    admit(graph, device('founder'), device('bo'), 'Bo')
    const view = deriveTrust(graph)
    expect(view.ownerOf(keyOf(device('nobody')))).toBeNull()
    for (const member of view.members) {
      for (const d of member.devices) expect(view.ownerOf(d.key)?.member).toBe(member.id)
    }
  })

  it('[J10] a view within a causal past shows the board as it was there', () => {
    const graph = founded.graph()
    const bo = admit(graph, device('founder'), device('bo'), 'Bo')
    admit(graph, device('bo'), device('cy'), 'Cy')
    const past = graph.pastOf(bo.hash)
    past.add(bo.hash)
    expect(memberNames(deriveTrust(graph, { within: past }).members)).toEqual(['Ada', 'Bo'])
    expect(memberNames(deriveTrust(graph).members)).toEqual(['Ada', 'Bo', 'Cy'])
  })
})
