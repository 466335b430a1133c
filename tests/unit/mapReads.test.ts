import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  ACTOR,
  addActor,
  addActorToChamber,
  addChamber,
  addRelation,
  archiveActor,
  archiveChamber,
  CHAMBER,
  createMapView,
  isActorId,
  isChamberId,
  isProposalId,
  isRelationId,
  linkKey,
  linkProposalToActor,
  linkProposalToChamber,
  META,
  moveActor,
  newActorId,
  newChamberId,
  newProposalId,
  newRelationId,
  observeMap,
  readActors,
  readChambers,
  readMap,
  readRelations,
  RELATION,
  removeActorFromChamber,
  removeRelation,
  renameProposal,
  ROOT_ACTOR_POSITIONS,
  ROOT_ACTORS,
  ROOT_AFFECTED_ACTORS,
  ROOT_AFFECTED_CHAMBERS,
  ROOT_CHAMBER_MEMBERS,
  ROOT_CHAMBERS,
  ROOT_META,
  ROOT_PROPOSALS,
  ROOT_RELATIONS,
  SCHEMA_VERSION,
  setActorChambers,
  setProposalAffected,
  splitLinkKey,
  unarchiveActor,
  unarchiveChamber,
  unlinkProposalFromActor,
  unlinkProposalFromChamber,
  updateActor,
  updateChamber,
  updateRelation,
  type ProposalId,
} from '../../shared/src'
import { copyOf, must, newReplica } from '../helpers/boards'
import { boardWithMap, type MapFixture } from '../helpers/map'

const rawMap = (fields: Record<string, unknown>): Y.Map<unknown> => {
  const y = new Y.Map<unknown>()
  for (const [key, value] of Object.entries(fields)) y.set(key, value)
  return y
}

describe('[M1] the map lives in top-level collections', () => {
  it('[M1] a fresh doc reads as an empty map and reading writes nothing', () => {
    const doc = newReplica()
    const before = Y.encodeStateAsUpdate(doc)
    expect(readMap(doc)).toEqual({ actors: [], chambers: [], relations: [], positions: {}, affected: [] })
    createMapView(doc).getSnapshot()
    observeMap(doc, () => undefined)()
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })

  it('[M1] every map op writes inside its own top-level collection, entries keyed by id or id pair', () => {
    const { doc: base } = boardWithMap()
    const doc = copyOf(base)
    const users = addChamber(doc, { name: 'Users' })
    const bees = addActor(doc, { name: 'Bees', kind: 'non-human', chambers: [users], position: { x: 1, y: 2 } })
    const other = addActor(doc, { name: 'Orchard', kind: 'group' })
    addRelation(doc, { from: bees, to: other, kind: 'supplies' })
    const proposal = [...doc.getMap(ROOT_PROPOSALS).keys()][0] as ProposalId
    linkProposalToActor(doc, proposal, bees)
    linkProposalToChamber(doc, proposal, users)
    const update = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(base))
    const isPair = (a: (v: unknown) => boolean, b: (v: unknown) => boolean) => (key: unknown) => {
      const pair = typeof key === 'string' ? splitLinkKey(key) : null
      return pair !== null && a(pair[0]) && b(pair[1])
    }
    const expected: Record<string, (key: unknown) => boolean> = {
      [ROOT_ACTORS]: isActorId,
      [ROOT_CHAMBERS]: isChamberId,
      [ROOT_RELATIONS]: isRelationId,
      [ROOT_ACTOR_POSITIONS]: isActorId,
      [ROOT_CHAMBER_MEMBERS]: isPair(isActorId, isChamberId),
      [ROOT_AFFECTED_ACTORS]: isPair(isProposalId, isActorId),
      [ROOT_AFFECTED_CHAMBERS]: isPair(isProposalId, isChamberId),
    }
    let topLevel = 0
    for (const struct of Y.decodeUpdate(update).structs) {
      if (!(struct instanceof Y.Item) || typeof struct.parent !== 'string') continue
      topLevel++
      const check = expected[struct.parent]
      expect(check, `unexpected root ${struct.parent}`).toBeDefined()
      expect(must(check)(struct.parentSub)).toBe(true)
    }
    expect(topLevel).toBe(8)
  })

  it('[M1] two replicas that never met merge without losing either side\'s actors, chambers or relations', () => {
    const a = newReplica()
    const b = newReplica()
    const fromA = addActor(a, { name: 'A', kind: 'person' })
    const fromA2 = addActor(a, { name: 'A2', kind: 'person' })
    const rA = addRelation(a, { from: fromA, to: fromA2, kind: 'affects' })
    const cB = addChamber(b, { name: 'B chamber' })
    const fromB = addActor(b, { name: 'B', kind: 'group', chambers: [cB] })
    const ab = copyOf(a)
    Y.applyUpdate(ab, Y.encodeStateAsUpdate(b))
    const ba = copyOf(b)
    Y.applyUpdate(ba, Y.encodeStateAsUpdate(a))
    expect(readMap(ab)).toEqual(readMap(ba))
    expect(readMap(ab).actors.map((x) => x.id)).toEqual([fromA, fromA2, fromB])
    expect(readMap(ab).relations.map((r) => r.id)).toEqual([rA])
    expect(readMap(ab).actors[2]?.chambers).toEqual([cB])
  })
})

describe('[M9] reads never throw on malformed data from a peer', () => {
  /** The fixture as received from a faulty peer that also wrote `write` straight into the doc. */
  const fromFaultyPeer = (write: (doc: Y.Doc, fixture: MapFixture) => void): MapFixture => {
    const fixture = boardWithMap()
    const peer = copyOf(fixture.doc)
    peer.transact(() => write(peer, fixture))
    return { ...fixture, doc: copyOf(peer) }
  }

  it('[M9] entries that are not maps or have bad ids are skipped; wrong fields read as defaults', () => {
    const bare = newActorId()
    const odd = newActorId()
    const bareChamber = newChamberId()
    const { doc, river, council, growers, workers, neighbours } = fromFaultyPeer((peer) => {
      const yActors = peer.getMap(ROOT_ACTORS)
      yActors.set('not-an-id', rawMap({ [ACTOR.name]: 'Ghost' }))
      yActors.set(newActorId(), 'just a string')
      yActors.set(newActorId(), new Y.Array())
      yActors.set(bare, new Y.Map())
      yActors.set(
        odd,
        rawMap({
          [ACTOR.name]: 42,
          [ACTOR.kind]: 'animal',
          [ACTOR.description]: ['x'],
          [ACTOR.interests]: ['ok', 3, '', 'ok', null, ...Array.from({ length: 40 }, (_, i) => `i${i}`)],
          [ACTOR.archived]: 'yes',
        }),
      )
      const yChambers = peer.getMap(ROOT_CHAMBERS)
      yChambers.set(bareChamber, rawMap({ [CHAMBER.name]: null, [CHAMBER.archived]: 1 }))
      yChambers.set(newChamberId(), 7)
    })
    const actors = readActors(doc)
    expect(actors.map((a) => a.id).sort()).toEqual([bare, odd, river, council, growers].sort())
    const expectedDefaults = { name: '', kind: 'person', description: '', chambers: [], archived: false }
    expect(actors.find((a) => a.id === bare)).toEqual({ id: bare, interests: [], ...expectedDefaults })
    const oddActor = must(actors.find((a) => a.id === odd))
    expect(oddActor).toMatchObject(expectedDefaults)
    expect(oddActor.interests).toHaveLength(30)
    expect(oddActor.interests.slice(0, 2)).toEqual(['ok', 'i0'])
    expect(readChambers(doc).map((c) => c.id).sort()).toEqual([bareChamber, workers, neighbours].sort())
    expect(readChambers(doc).find((c) => c.id === bareChamber)).toEqual({
      id: bareChamber,
      name: '',
      description: '',
      archived: false,
    })
  })

  it('[M9] relations without two distinct known actors are skipped; a bad kind reads as affects', () => {
    const ids = [newRelationId(), newRelationId(), newRelationId(), newRelationId(), newRelationId()]
    const { doc, river, council } = fromFaultyPeer((peer, { river, council }) => {
      const yRelations = peer.getMap(ROOT_RELATIONS)
      const odd = { [RELATION.from]: river, [RELATION.to]: council, [RELATION.kind]: 'owns', [RELATION.note]: 5 }
      yRelations.set(must(ids[0]), rawMap(odd))
      yRelations.set(must(ids[1]), rawMap({ [RELATION.from]: river, [RELATION.to]: river }))
      yRelations.set(must(ids[2]), rawMap({ [RELATION.from]: river, [RELATION.to]: newActorId() }))
      yRelations.set(must(ids[3]), rawMap({ [RELATION.from]: 'x', [RELATION.to]: council }))
      yRelations.set(must(ids[4]), 'a relation')
      yRelations.set('bad id', rawMap({ [RELATION.from]: river, [RELATION.to]: council }))
    })
    expect(readRelations(doc)).toEqual([
      {
        id: ids[0],
        kind: 'affects',
        from: river,
        to: council,
        note: '',
        fromArchived: false,
        toArchived: false,
        touchesArchived: false,
      },
    ])
  })

  it('[M9] links whose value is not true, or whose key is not a pair of known ids, are skipped', () => {
    const faulty = fromFaultyPeer((peer, { proposal, river, council, growers, workers }) => {
      const members = peer.getMap(ROOT_CHAMBER_MEMBERS)
      members.set(linkKey(river, workers), 'true')
      members.set(linkKey(council, newChamberId()), true)
      members.set(`${council}:${workers}:extra`, true)
      members.set(growers, true)
      const affected = peer.getMap(ROOT_AFFECTED_ACTORS)
      affected.set(linkKey(proposal, river), true)
      affected.set(linkKey(proposal, council), 1)
      affected.set(linkKey(newProposalId(), growers), true)
      affected.set(linkKey(proposal, newActorId()), true)
      peer.getMap(ROOT_AFFECTED_CHAMBERS).set(linkKey(proposal, workers), new Y.Map())
    })
    const { doc, proposal, river, growers, workers } = faulty
    const map = readMap(doc)
    expect(map.actors.find((a) => a.id === river)?.chambers).toEqual([])
    expect(map.actors.find((a) => a.id === growers)?.chambers).toEqual([workers])
    expect(map.affected).toEqual([{ proposal, actors: [river], chambers: [] }])
  })

  it('[M9] a link to a proposal that is not a proposal map is not listed', () => {
    const { doc, proposal } = fromFaultyPeer((peer, { proposal, river }) => {
      peer.getMap(ROOT_AFFECTED_ACTORS).set(linkKey(proposal, river), true)
      peer.getMap(ROOT_PROPOSALS).set(proposal, 'not a proposal')
    })
    expect(readMap(doc).affected).toEqual([])
    expect(readMap(doc).affected.some((a) => a.proposal === proposal)).toBe(false)
  })
})

describe('[M10] readMap', () => {
  it('[M10] combines every read into one frozen snapshot, deeply', () => {
    const { doc, proposal, river, council, workers } = boardWithMap()
    addRelation(doc, { from: river, to: council, kind: 'depends-on' })
    moveActor(doc, river, { x: 1, y: 1 })
    linkProposalToActor(doc, proposal, council)
    linkProposalToChamber(doc, proposal, workers)
    archiveActor(doc, council)
    const map = readMap(doc)
    expect(map.actors).toEqual(readActors(doc))
    expect(map.chambers).toEqual(readChambers(doc))
    expect(map.relations).toEqual(readRelations(doc))
    expect(map.relations[0]?.toArchived).toBe(true)
    expect(map.affected).toEqual([{ proposal, actors: [council], chambers: [workers] }])
    const frozen = (value: unknown): void => {
      if (value === null || typeof value !== 'object') return
      expect(Object.isFrozen(value)).toBe(true)
      for (const inner of Object.values(value)) frozen(inner)
    }
    frozen(map)
  })
})

describe('observeMap and createMapView', () => {
  it('observeMap calls back after each map op, local or remote, and not for unrelated changes', () => {
    const { doc, proposal, river, council, workers } = boardWithMap()
    const onChange = vi.fn()
    const unobserve = observeMap(doc, onChange)
    const ops: Array<() => void> = [
      () => addActor(doc, { name: 'Bees', kind: 'non-human' }),
      () => updateActor(doc, river, { name: 'River' }),
      () => archiveActor(doc, river),
      () => unarchiveActor(doc, river),
      () => moveActor(doc, river, { x: 1, y: 2 }),
      () => addChamber(doc, { name: 'Users' }),
      () => updateChamber(doc, workers, { name: 'Staff' }),
      () => archiveChamber(doc, workers),
      () => unarchiveChamber(doc, workers),
      () => addActorToChamber(doc, river, workers),
      () => removeActorFromChamber(doc, river, workers),
      () => setActorChambers(doc, river, [workers]),
      () => {
        const id = addRelation(doc, { from: river, to: council, kind: 'affects' })
        updateRelation(doc, id, { note: 'Note' })
        removeRelation(doc, id)
      },
      () => linkProposalToActor(doc, proposal, river),
      () => unlinkProposalFromActor(doc, proposal, river),
      () => linkProposalToChamber(doc, proposal, workers),
      () => unlinkProposalFromChamber(doc, proposal, workers),
      () => setProposalAffected(doc, proposal, { actors: [council], chambers: [] }),
    ]
    let expected = 0
    for (const op of ops) {
      const before = onChange.mock.calls.length
      op()
      expect(onChange.mock.calls.length, op.toString()).toBeGreaterThan(before)
      expected = onChange.mock.calls.length
    }
    renameProposal(doc, proposal, 'Renamed')
    doc.getMap('somethingElse').set('x', 1)
    expect(onChange).toHaveBeenCalledTimes(expected)
    const peer = copyOf(doc)
    addActor(peer, { name: 'From a peer', kind: 'person' })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer))
    expect(onChange).toHaveBeenCalledTimes(expected + 1)
    unobserve()
    addActor(doc, { name: 'Unobserved', kind: 'person' })
    expect(onChange).toHaveBeenCalledTimes(expected + 1)
  })

  it('createMapView returns the same frozen snapshot until the map changes, and notifies subscribers', () => {
    const { doc, river } = boardWithMap()
    const view = createMapView(doc)
    const first = view.getSnapshot()
    expect(view.getSnapshot()).toBe(first)
    expect(first).toEqual(readMap(doc))
    expect(Object.isFrozen(first)).toBe(true)
    updateActor(doc, river, { name: 'The river' }) // changes nothing
    expect(view.getSnapshot()).toBe(first)

    const seen: number[] = []
    const unsubscribe = view.subscribe(() => seen.push(view.getSnapshot().actors.length))
    addActor(doc, { name: 'Bees', kind: 'non-human' })
    expect(seen).toEqual([4])
    const second = view.getSnapshot()
    expect(second).not.toBe(first)
    expect(first.actors).toHaveLength(3)
    unsubscribe()
    unsubscribe()
    moveActor(doc, river, { x: 5, y: 5 })
    expect(seen).toEqual([4])
    expect(view.getSnapshot().positions[river]).toEqual({ x: 5, y: 5 })

    const listener = vi.fn()
    view.subscribe(listener)
    view.destroy()
    addActor(doc, { name: 'After destroy', kind: 'person' })
    expect(listener).not.toHaveBeenCalled()
  })

  it('a proposal arriving changes the view: links to it become visible', () => {
    const { doc: source, proposal, river } = boardWithMap()
    const withLink = copyOf(source)
    linkProposalToActor(withLink, proposal, river)
    const doc = newReplica()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(withLink, Y.encodeStateVector(source)))
    const view = createMapView(doc)
    expect(view.getSnapshot().affected).toEqual([])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
    expect(view.getSnapshot().affected).toEqual([{ proposal, actors: [river], chambers: [] }])
    view.destroy()
  })
})

describe('[S2] a board written by a newer version keeps its map writable', () => {
  it('[S2][M11] map ops still work after one unsigned write of a higher schema version', () => {
    const fixture = boardWithMap()
    const { river, council, workers } = fixture
    const newer = copyOf(fixture.doc)
    newer.getMap(ROOT_META).set(META.schemaVersion, SCHEMA_VERSION + 1)
    const doc = copyOf(newer)
    const actor = addActor(doc, { name: 'Allotment neighbours', kind: 'group' })
    updateActor(doc, river, { name: 'The river Wey' })
    addActorToChamber(doc, actor, workers)
    addRelation(doc, { from: council, to: actor, kind: 'affects' })
    const map = readMap(doc)
    expect(map.actors.map((a) => a.name)).toContain('Allotment neighbours')
    expect(map.actors.find((a) => a.id === river)?.name).toBe('The river Wey')
  })
})
