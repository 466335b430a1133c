import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addActor,
  addActorToChamber,
  addRelation,
  archiveActor,
  isRelationId,
  isSymmetricRelationKind,
  LOCAL_ORIGIN,
  MAP_LIMITS,
  newActorId,
  newRelationId,
  readActor,
  readAffected,
  readMap,
  readRelations,
  RELATION,
  RELATION_KINDS,
  removeRelation,
  ROOT_RELATIONS,
  unarchiveActor,
  unlinkProposalFromActor,
  linkProposalToActor,
  updateActor,
  updateRelation,
  type ActorId,
  type NewRelationInput,
  type RelationId,
  type RelationKind,
} from '../../shared/src'
import { copyOf, expectRefused, must, syncAll, transactionsDuring } from '../helpers/boards'
import { boardWithMap } from '../helpers/map'

describe('[M4] relations', () => {
  it('[M4] addRelation writes the whole relation in one transaction and reads it with both ends', () => {
    const { doc, river, council } = boardWithMap()
    let id: RelationId | undefined
    const origins = transactionsDuring(doc, () => {
      id = addRelation(doc, { from: council, to: river, kind: 'affects', note: '  Sets the\r\nabstraction rules ' })
    })
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(isRelationId(id)).toBe(true)
    expect(readRelations(doc)).toEqual([
      {
        id,
        kind: 'affects',
        from: council,
        to: river,
        note: 'Sets the\nabstraction rules',
        fromArchived: false,
        toArchived: false,
        touchesArchived: false,
      },
    ])
    expect(doc.getMap<Y.Map<unknown>>(ROOT_RELATIONS).get(must(id))?.get(RELATION.id)).toBe(id)
  })

  it('[M4] the kinds are depends-on, supplies, affects (directed), allied-with, in-tension-with (symmetric)', () => {
    expect(RELATION_KINDS).toEqual(['depends-on', 'supplies', 'affects', 'allied-with', 'in-tension-with'])
    expect(RELATION_KINDS.filter(isSymmetricRelationKind)).toEqual(['allied-with', 'in-tension-with'])
    const { doc, river, council } = boardWithMap()
    for (const kind of RELATION_KINDS) addRelation(doc, { from: river, to: council, kind })
    expect(readRelations(doc).map((r) => r.kind).sort()).toEqual([...RELATION_KINDS].sort())
    expect(readRelations(doc).every((r) => r.note === '')).toBe(true)
  })

  it('[M4][M11] refuses bad relations, naming the field, and writes nothing', () => {
    const { doc, river, council, growers } = boardWithMap()
    addRelation(doc, { from: river, to: council, kind: 'depends-on' })
    addRelation(doc, { from: growers, to: council, kind: 'allied-with' })
    const ok: NewRelationInput = { from: growers, to: river, kind: 'supplies' }
    const cases: ReadonlyArray<readonly [NewRelationInput, string, 'invalid-input' | 'not-found']> = [
      [{ ...ok, from: 'nope' as ActorId }, 'from', 'invalid-input'],
      [{ ...ok, to: newActorId() }, 'to', 'not-found'],
      [{ ...ok, to: growers }, 'to', 'invalid-input'],
      [{ ...ok, kind: 'owns' as RelationKind }, 'kind', 'invalid-input'],
      [{ ...ok, note: 'x'.repeat(MAP_LIMITS.relationNoteMax + 1) }, 'note', 'invalid-input'],
      [{ ...ok, note: 'nul\u0000' }, 'note', 'invalid-input'],
      // The same relation twice; a symmetric one either way round.
      [{ from: river, to: council, kind: 'depends-on' }, 'kind', 'invalid-input'],
      [{ from: council, to: growers, kind: 'allied-with' }, 'kind', 'invalid-input'],
    ]
    for (const [input, field, code] of cases) expectRefused(doc, () => addRelation(doc, input), code, field)
    // A directed relation the other way round is a different relation.
    addRelation(doc, { from: council, to: river, kind: 'depends-on' })
    expect(MAP_LIMITS.relationNoteMax).toBe(500)
    addRelation(doc, { ...ok, note: 'x'.repeat(500) })
  })

  it('[M4] updateRelation writes only what changes; a concurrent kind and note change both survive', () => {
    const { doc: a, river, council } = boardWithMap()
    const id = addRelation(a, { from: river, to: council, kind: 'depends-on', note: 'Water rights' })
    const unchanged = { kind: 'depends-on', note: ' Water rights ' } as const
    expect(transactionsDuring(a, () => updateRelation(a, id, unchanged))).toEqual([])
    expect(transactionsDuring(a, () => updateRelation(a, id, { note: 'Licences' }))).toEqual([LOCAL_ORIGIN])
    const b = copyOf(a)
    updateRelation(a, id, { kind: 'in-tension-with' })
    updateRelation(b, id, { note: 'Abstraction licences' })
    syncAll(a, b)
    for (const doc of [a, b]) {
      expect(readRelations(doc)).toMatchObject([{ id, kind: 'in-tension-with', note: 'Abstraction licences' }])
    }
  })

  it('[M4][M11] updateRelation refuses unknown relations, bad values and a change into a duplicate', () => {
    const { doc, river, council } = boardWithMap()
    const id = addRelation(doc, { from: river, to: council, kind: 'depends-on' })
    addRelation(doc, { from: council, to: river, kind: 'allied-with' })
    expectRefused(doc, () => updateRelation(doc, newRelationId(), { note: 'x' }), 'not-found', 'id')
    expectRefused(doc, () => updateRelation(doc, 'bad' as RelationId, { note: 'x' }), 'invalid-input', 'id')
    expectRefused(doc, () => updateRelation(doc, id, { kind: 'owns' as RelationKind }), 'invalid-input', 'kind')
    expectRefused(doc, () => updateRelation(doc, id, { note: 'x'.repeat(501) }), 'invalid-input', 'note')
    expectRefused(doc, () => updateRelation(doc, id, { kind: 'allied-with' }), 'invalid-input', 'kind')
  })

  it('[M4] removeRelation deletes it in one transaction; an unknown relation is refused', () => {
    const { doc, river, council } = boardWithMap()
    const id = addRelation(doc, { from: river, to: council, kind: 'affects' })
    expect(transactionsDuring(doc, () => removeRelation(doc, id))).toEqual([LOCAL_ORIGIN])
    expect(readRelations(doc)).toEqual([])
    expect(doc.getMap(ROOT_RELATIONS).has(id)).toBe(false)
    expectRefused(doc, () => removeRelation(doc, id), 'not-found', 'id')
  })

  it('[M4] concurrent duplicates from two devices both stay', () => {
    const { doc: a, river, council } = boardWithMap()
    const b = copyOf(a)
    const one = addRelation(a, { from: river, to: council, kind: 'allied-with' })
    const two = addRelation(b, { from: council, to: river, kind: 'allied-with' })
    syncAll(a, b)
    expect(readRelations(a).map((r) => r.id).sort()).toEqual([one, two].sort())
    expect(readRelations(b)).toEqual(readRelations(a))
  })
})

describe('[M5] archiving an actor', () => {
  it('[M5] keeps the actor, its relations and links readable, marked archived; unarchive restores', () => {
    const { doc, proposal, river, council, growers, workers } = boardWithMap()
    const r1 = addRelation(doc, { from: council, to: river, kind: 'affects' })
    const r2 = addRelation(doc, { from: growers, to: council, kind: 'depends-on' })
    linkProposalToActor(doc, proposal, river)
    addActorToChamber(doc, river, workers)
    expect(transactionsDuring(doc, () => archiveActor(doc, river))).toEqual([LOCAL_ORIGIN])
    expect(readActor(doc, river)).toMatchObject({ archived: true, chambers: [workers] })
    const relations = readRelations(doc)
    expect(relations.find((r) => r.id === r1)).toMatchObject({
      fromArchived: false,
      toArchived: true,
      touchesArchived: true,
    })
    expect(relations.find((r) => r.id === r2)).toMatchObject({ touchesArchived: false })
    expect(readAffected(doc, proposal).actors).toMatchObject([{ id: river, archived: true }])
    // Archiving twice writes nothing.
    expect(transactionsDuring(doc, () => archiveActor(doc, river))).toEqual([])
    // An archived actor can still be edited.
    updateActor(doc, river, { name: 'The old river' })

    unarchiveActor(doc, river)
    expect(readActor(doc, river)).toMatchObject({ archived: false, name: 'The old river' })
    expect(readRelations(doc).find((r) => r.id === r1)?.touchesArchived).toBe(false)
    expect(transactionsDuring(doc, () => unarchiveActor(doc, river))).toEqual([])
    expectRefused(doc, () => archiveActor(doc, newActorId()), 'not-found', 'id')
  })

  it('[M5] an archived actor gains no new relations or links, but may be unlinked', () => {
    const { doc, proposal, river, council, workers } = boardWithMap()
    linkProposalToActor(doc, proposal, council)
    archiveActor(doc, river)
    archiveActor(doc, council)
    const growers2 = addActor(doc, { name: 'New growers', kind: 'group' })
    expectRefused(doc, () => addRelation(doc, { from: river, to: growers2, kind: 'affects' }), 'invalid-input', 'from')
    expectRefused(doc, () => addRelation(doc, { from: growers2, to: river, kind: 'affects' }), 'invalid-input', 'to')
    expectRefused(doc, () => linkProposalToActor(doc, proposal, river), 'invalid-input', 'actorId')
    expectRefused(doc, () => addActorToChamber(doc, river, workers), 'invalid-input', 'actorId')
    unlinkProposalFromActor(doc, proposal, council)
    expect(readAffected(doc, proposal).actors).toEqual([])
  })

  it('[M5] two devices add relations to an actor while a third archives it: all kept, marked', () => {
    const { doc: a, river, council, growers } = boardWithMap()
    const b = copyOf(a)
    const c = copyOf(a)
    const fromA = addRelation(a, { from: council, to: river, kind: 'affects', note: 'Permits' })
    const fromB = addRelation(b, { from: river, to: growers, kind: 'supplies', note: 'Irrigation' })
    archiveActor(c, river)
    // Each replica hears the others in a different order.
    const updates = [a, b, c].map((doc) => Y.encodeStateAsUpdate(doc))
    Y.applyUpdate(a, must(updates[2]))
    Y.applyUpdate(a, must(updates[1]))
    Y.applyUpdate(b, must(updates[0]))
    Y.applyUpdate(b, must(updates[2]))
    Y.applyUpdate(c, must(updates[1]))
    Y.applyUpdate(c, must(updates[0]))
    for (const doc of [a, b, c]) {
      expect(readActor(doc, river)?.archived).toBe(true)
      const relations = readRelations(doc)
      expect(relations.map((r) => r.id).sort()).toEqual([fromA, fromB].sort())
      expect(relations.find((r) => r.id === fromA)).toMatchObject({
        note: 'Permits',
        toArchived: true,
        touchesArchived: true,
      })
      expect(relations.find((r) => r.id === fromB)).toMatchObject({
        note: 'Irrigation',
        fromArchived: true,
        toArchived: false,
        touchesArchived: true,
      })
      expect(readMap(doc)).toEqual(readMap(a))
    }
  })

  it('[M5] concurrent archive and unarchive end as one of the two, the same everywhere', () => {
    const { doc: a, river } = boardWithMap()
    archiveActor(a, river)
    const b = copyOf(a)
    unarchiveActor(a, river)
    updateActor(b, river, { name: 'Still the river' })
    archiveActor(b, river) // already archived on b: writes nothing
    syncAll(a, b)
    expect(readActor(a, river)).toMatchObject({ archived: false, name: 'Still the river' })
    expect(readActor(b, river)).toEqual(readActor(a, river))
  })
})
