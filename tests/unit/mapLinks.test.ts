import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addActorToChamber,
  addChamber,
  archiveChamber,
  LOCAL_ORIGIN,
  linkKey,
  LINKED,
  linkProposalToActor,
  linkProposalToChamber,
  newActorId,
  newChamberId,
  newProposalId,
  readActor,
  readAffected,
  readMap,
  removeActorFromChamber,
  ROOT_AFFECTED_ACTORS,
  ROOT_AFFECTED_CHAMBERS,
  ROOT_CHAMBER_MEMBERS,
  setActorChambers,
  setProposalAffected,
  unlinkProposalFromActor,
  unlinkProposalFromChamber,
  type ActorId,
  type AffectedInput,
  type ChamberId,
  type ProposalId,
} from '../../shared/src'
import { copyOf, expectRefused, newReplica, syncAll, transactionsDuring } from '../helpers/boards'
import { boardWithMap } from '../helpers/map'

describe('[M7] who a proposal affects', () => {
  it('[M7] linkProposalToActor/Chamber write one key per pair, value true, in one transaction each', () => {
    const { doc, proposal, river, workers } = boardWithMap()
    expect(transactionsDuring(doc, () => linkProposalToActor(doc, proposal, river))).toEqual([LOCAL_ORIGIN])
    expect(transactionsDuring(doc, () => linkProposalToChamber(doc, proposal, workers))).toEqual([LOCAL_ORIGIN])
    expect(doc.getMap(ROOT_AFFECTED_ACTORS).toJSON()).toEqual({ [linkKey(proposal, river)]: LINKED })
    expect(doc.getMap(ROOT_AFFECTED_CHAMBERS).toJSON()).toEqual({ [linkKey(proposal, workers)]: true })
    const affected = readAffected(doc, proposal)
    expect(affected.actors.map((a) => a.id)).toEqual([river])
    expect(affected.chambers.map((c) => c.id)).toEqual([workers])
    expect(Object.isFrozen(affected)).toBe(true)
    expect(Object.isFrozen(affected.actors)).toBe(true)
  })

  it('[M7] linking what is linked and unlinking what is not write nothing', () => {
    const { doc, proposal, river, council, workers, neighbours } = boardWithMap()
    linkProposalToActor(doc, proposal, river)
    linkProposalToChamber(doc, proposal, workers)
    const origins = transactionsDuring(doc, () => {
      linkProposalToActor(doc, proposal, river)
      linkProposalToChamber(doc, proposal, workers)
      unlinkProposalFromActor(doc, proposal, council)
      unlinkProposalFromChamber(doc, proposal, neighbours)
    })
    expect(origins).toEqual([])
    expect(transactionsDuring(doc, () => unlinkProposalFromActor(doc, proposal, river))).toEqual([LOCAL_ORIGIN])
    expect(transactionsDuring(doc, () => unlinkProposalFromChamber(doc, proposal, workers))).toEqual([LOCAL_ORIGIN])
    expect(readAffected(doc, proposal)).toEqual({ actors: [], chambers: [] })
  })

  it('[M7][M11] refuses unknown or malformed proposals, actors and chambers, writing nothing', () => {
    const { doc, proposal, river, workers } = boardWithMap()
    expectRefused(doc, () => linkProposalToActor(doc, newProposalId(), river), 'not-found', 'proposalId')
    expectRefused(doc, () => linkProposalToActor(doc, 'x' as ProposalId, river), 'invalid-input', 'proposalId')
    expectRefused(doc, () => linkProposalToActor(doc, proposal, newActorId()), 'not-found', 'actorId')
    expectRefused(doc, () => linkProposalToChamber(doc, proposal, newChamberId()), 'not-found', 'chamberId')
    expectRefused(doc, () => linkProposalToChamber(doc, proposal, 'x' as ChamberId), 'invalid-input', 'chamberId')
    expectRefused(doc, () => unlinkProposalFromActor(doc, proposal, 'x' as ActorId), 'invalid-input', 'actorId')
    expectRefused(doc, () => unlinkProposalFromChamber(doc, newProposalId(), workers), 'not-found', 'proposalId')
    archiveChamber(doc, workers)
    expectRefused(doc, () => linkProposalToChamber(doc, proposal, workers), 'invalid-input', 'chamberId')
  })

  it('[M7] setProposalAffected writes only the links that change, in one transaction', () => {
    const { doc, proposal, river, council, growers, workers, neighbours } = boardWithMap()
    linkProposalToActor(doc, proposal, river)
    linkProposalToActor(doc, proposal, council)
    const changed: string[] = []
    doc.getMap(ROOT_AFFECTED_ACTORS).observe((event) => changed.push(...event.keysChanged))
    doc.getMap(ROOT_AFFECTED_CHAMBERS).observe((event) => changed.push(...event.keysChanged))
    const origins = transactionsDuring(doc, () =>
      setProposalAffected(doc, proposal, { actors: [growers, council, growers], chambers: [neighbours] }),
    )
    expect(origins).toEqual([LOCAL_ORIGIN])
    const keys = [linkKey(proposal, growers), linkKey(proposal, river), linkKey(proposal, neighbours)]
    expect(changed.sort()).toEqual(keys.sort())
    const affected = readAffected(doc, proposal)
    // In map order: actors and chambers by name.
    expect(affected.actors.map((a) => a.id)).toEqual([growers, council])
    expect(affected.chambers.map((c) => c.id)).toEqual([neighbours])
    const same = { actors: [council, growers], chambers: [neighbours] }
    expect(transactionsDuring(doc, () => setProposalAffected(doc, proposal, same))).toEqual([])
    setProposalAffected(doc, proposal, { actors: [], chambers: [workers] })
    expect(readAffected(doc, proposal)).toMatchObject({ actors: [], chambers: [{ id: workers }] })
  })

  it('[M7][M11] setProposalAffected refuses bad lists and new archived links, writing nothing', () => {
    const { doc, proposal, river, council, workers } = boardWithMap()
    linkProposalToActor(doc, proposal, river)
    archiveChamber(doc, workers)
    const set = (input: AffectedInput) => () => setProposalAffected(doc, proposal, input)
    expectRefused(doc, set({ actors: [newActorId()], chambers: [] }), 'not-found', 'actors')
    expectRefused(doc, set({ actors: ['x' as ActorId], chambers: [] }), 'invalid-input', 'actors')
    expectRefused(doc, set({ actors: [], chambers: [workers] }), 'invalid-input', 'chambers')
    expectRefused(doc, set({ actors: [river], chambers: 'all' as unknown as ChamberId[] }), 'invalid-input', 'chambers')
    const elsewhere = () => setProposalAffected(doc, newProposalId(), { actors: [council], chambers: [] })
    expectRefused(doc, elsewhere, 'not-found', 'proposalId')
  })

  it('[M7] concurrent link and unlink of different actors on one proposal both survive', () => {
    const { doc: a, proposal, river, council, growers, workers, neighbours } = boardWithMap()
    setProposalAffected(a, proposal, { actors: [river, council], chambers: [workers] })
    const b = copyOf(a)
    const c = copyOf(a)
    linkProposalToActor(a, proposal, growers)
    unlinkProposalFromActor(b, proposal, river)
    setProposalAffected(c, proposal, { actors: [river, council], chambers: [neighbours] })
    syncAll(a, b, c)
    for (const doc of [a, b, c]) {
      const affected = readAffected(doc, proposal)
      expect(affected.actors.map((x) => x.id)).toEqual([growers, council])
      expect(affected.chambers.map((x) => x.id)).toEqual([neighbours])
    }
  })

  it('[M7] a concurrent link and unlink of the same pair end as one of the two, the same everywhere', () => {
    const outcomes = new Set<number>()
    // Which write wins depends on Yjs's tie-break between the two devices' client ids: try both.
    for (const [clientA, clientB] of [
      [1, 2],
      [5, 4],
    ] as const) {
      const { doc: base, proposal, river } = boardWithMap()
      const a = copyOf(base, clientA)
      const b = copyOf(base, clientB)
      const c = copyOf(base, 3)
      // c links and b hears of it, then unlinks; a links on its own at the same time.
      linkProposalToActor(c, proposal, river)
      syncAll(b, c)
      unlinkProposalFromActor(b, proposal, river)
      linkProposalToActor(a, proposal, river)
      syncAll(a, b, c)
      const results = [a, b, c].map((doc) => readAffected(doc, proposal).actors.map((x) => x.id))
      expect([[], [river]]).toContainEqual(results[0])
      expect(results[1]).toEqual(results[0])
      expect(results[2]).toEqual(results[0])
      outcomes.add(results[0]?.length ?? -1)
    }
    expect([...outcomes].sort()).toEqual([0, 1])
  })

  it('[M9] links to proposals, actors or chambers this device does not have are not listed until they arrive', () => {
    const { doc: source, proposal, river } = boardWithMap()
    const a = copyOf(source)
    linkProposalToActor(a, proposal, river)
    // A replica that has only the link, not the board it points into.
    const onlyLinks = newReplica()
    const linkUpdate = Y.encodeStateAsUpdate(a, Y.encodeStateVector(source))
    Y.applyUpdate(onlyLinks, linkUpdate)
    expect(readMap(onlyLinks).affected).toEqual([])
    expect(readAffected(onlyLinks, proposal)).toEqual({ actors: [], chambers: [] })
    Y.applyUpdate(onlyLinks, Y.encodeStateAsUpdate(source))
    expect(readMap(onlyLinks).affected).toEqual([{ proposal, actors: [river], chambers: [] }])
  })
})

describe('[M8] chamber memberships', () => {
  it('[M8] addActorToChamber and removeActorFromChamber write one key per pair; no-ops write nothing', () => {
    const { doc, river, workers, neighbours } = boardWithMap()
    expect(transactionsDuring(doc, () => addActorToChamber(doc, river, workers))).toEqual([LOCAL_ORIGIN])
    addActorToChamber(doc, river, neighbours)
    expect(doc.getMap(ROOT_CHAMBER_MEMBERS).get(linkKey(river, workers))).toBe(true)
    expect(readActor(doc, river)?.chambers).toEqual([neighbours, workers])
    expect(transactionsDuring(doc, () => addActorToChamber(doc, river, workers))).toEqual([])
    expect(transactionsDuring(doc, () => removeActorFromChamber(doc, river, workers))).toEqual([LOCAL_ORIGIN])
    expect(transactionsDuring(doc, () => removeActorFromChamber(doc, river, workers))).toEqual([])
    expect(readActor(doc, river)?.chambers).toEqual([neighbours])
  })

  it('[M8][M11] refuses unknown, malformed and archived actors and chambers, writing nothing', () => {
    const { doc, river, workers } = boardWithMap()
    expectRefused(doc, () => addActorToChamber(doc, newActorId(), workers), 'not-found', 'actorId')
    expectRefused(doc, () => addActorToChamber(doc, river, newChamberId()), 'not-found', 'chamberId')
    expectRefused(doc, () => removeActorFromChamber(doc, 'x' as ActorId, workers), 'invalid-input', 'actorId')
    expectRefused(doc, () => removeActorFromChamber(doc, river, 'x' as ChamberId), 'invalid-input', 'chamberId')
    expectRefused(doc, () => setActorChambers(doc, river, [newChamberId()]), 'not-found', 'chamberIds')
    expectRefused(doc, () => setActorChambers(doc, river, 'x' as unknown as ChamberId[]), 'invalid-input', 'chamberIds')
    archiveChamber(doc, workers)
    expectRefused(doc, () => addActorToChamber(doc, river, workers), 'invalid-input', 'chamberId')
    expectRefused(doc, () => setActorChambers(doc, river, [workers]), 'invalid-input', 'chamberIds')
  })

  it('[M8] setActorChambers writes only the memberships that change; concurrent changes to others survive', () => {
    const { doc: a, growers, workers, neighbours } = boardWithMap()
    const users = addChamber(a, { name: 'Users' })
    const b = copyOf(a)
    const changed: string[] = []
    a.getMap(ROOT_CHAMBER_MEMBERS).observe((event) => changed.push(...event.keysChanged))
    expect(transactionsDuring(a, () => setActorChambers(a, growers, [workers, neighbours]))).toEqual([LOCAL_ORIGIN])
    expect(changed).toEqual([linkKey(growers, neighbours)])
    expect(transactionsDuring(a, () => setActorChambers(a, growers, [neighbours, workers]))).toEqual([])
    // Meanwhile b takes growers out of workers and puts them in users.
    setActorChambers(b, growers, [users])
    syncAll(a, b)
    for (const doc of [a, b]) expect(readActor(doc, growers)?.chambers).toEqual([neighbours, users])
  })

  it('[M5][M8] an archived chamber still lists its members; members may leave it', () => {
    const { doc, growers, workers } = boardWithMap()
    archiveChamber(doc, workers)
    expect(readActor(doc, growers)?.chambers).toEqual([workers])
    expect(readMap(doc).chambers.find((c) => c.id === workers)?.archived).toBe(true)
    setActorChambers(doc, growers, [])
    expect(readActor(doc, growers)?.chambers).toEqual([])
  })
})
