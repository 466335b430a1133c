import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  ACTOR,
  ACTOR_KINDS,
  addActor,
  addChamber,
  archiveChamber,
  isActorId,
  isActorKind,
  LOCAL_ORIGIN,
  MAP_LIMITS,
  newActorId,
  newChamberId,
  readActor,
  readActors,
  readChamber,
  readChambers,
  ROOT_ACTORS,
  unarchiveChamber,
  updateActor,
  updateChamber,
  type ActorId,
  type ActorKind,
  type ChamberId,
  type NewActorInput,
} from '../../shared/src'
import { copyOf, expectRefused, must, syncAll, transactionsDuring } from '../helpers/boards'
import { boardWithMap } from '../helpers/map'

const long = (n: number): string => 'x'.repeat(n)

describe('[M2] actors', () => {
  it('[M2] addActor writes the whole actor in one transaction, trimmed, and returns a fresh id', () => {
    const { doc, workers, neighbours } = boardWithMap()
    let id: ActorId | undefined
    const origins = transactionsDuring(doc, () => {
      id = addActor(doc, {
        name: '  Future residents ',
        kind: 'non-human',
        description: '  People who will live here\r\nafter us.  ',
        interests: [' Affordable homes ', 'Green space', 'Affordable homes'],
        chambers: [neighbours, workers, neighbours],
      })
    })
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(isActorId(id)).toBe(true)
    expect(readActor(doc, must(id))).toEqual({
      id,
      name: 'Future residents',
      kind: 'non-human',
      description: 'People who will live here\nafter us.',
      interests: ['Affordable homes', 'Green space'],
      // In chamber order (by name), each once.
      chambers: [neighbours, workers],
      archived: false,
    })
    expect(doc.getMap<Y.Map<unknown>>(ROOT_ACTORS).get(must(id))?.get(ACTOR.id)).toBe(id)
  })

  it('[M2] description, interests and chambers are optional; ids are fresh on every call', () => {
    const { doc } = boardWithMap()
    const ids = Array.from({ length: 20 }, (_, i) => addActor(doc, { name: `Person ${i}`, kind: 'person' }))
    expect(new Set(ids).size).toBe(20)
    expect(readActor(doc, must(ids[0]))).toMatchObject({
      description: '',
      interests: [],
      chambers: [],
      archived: false,
    })
    // A blank description is no description.
    const blank = addActor(doc, { name: 'Blank', kind: 'group', description: '  \n ' })
    expect(readActor(doc, blank)?.description).toBe('')
  })

  it('[M2] the kinds are person, group, organisation and non-human; nothing else is one', () => {
    expect(ACTOR_KINDS).toEqual(['person', 'group', 'organisation', 'non-human'])
    const { doc } = boardWithMap()
    for (const kind of ACTOR_KINDS) {
      expect(isActorKind(kind)).toBe(true)
      expect(readActor(doc, addActor(doc, { name: kind, kind }))?.kind).toBe(kind)
    }
    for (const value of ['Person', 'animal', '', null, 3]) expect(isActorKind(value)).toBe(false)
  })

  it('[M2] accepts values exactly at the limits', () => {
    const { doc } = boardWithMap()
    const interests = Array.from(
      { length: MAP_LIMITS.interestsMax },
      (_, i) => `${i}${long(MAP_LIMITS.interestMax - 2)}`,
    )
    const id = addActor(doc, {
      name: '🐝'.repeat(MAP_LIMITS.actorNameMax),
      kind: 'group',
      description: long(MAP_LIMITS.descriptionMax),
      interests,
    })
    expect(readActor(doc, id)?.interests).toHaveLength(MAP_LIMITS.interestsMax)
    expect(MAP_LIMITS).toMatchObject({ actorNameMax: 120, descriptionMax: 2000, interestMax: 120, interestsMax: 30 })
  })

  it('[M2][M11] addActor refuses bad input, naming the field, and writes nothing', () => {
    const { doc, neighbours } = boardWithMap()
    const ok: NewActorInput = { name: 'Beekeepers', kind: 'group' }
    const cases: ReadonlyArray<readonly [NewActorInput, string, 'invalid-input' | 'not-found']> = [
      [{ ...ok, name: '   ' }, 'name', 'invalid-input'],
      [{ ...ok, name: long(MAP_LIMITS.actorNameMax + 1) }, 'name', 'invalid-input'],
      [{ ...ok, name: 'two\nlines' }, 'name', 'invalid-input'],
      [{ ...ok, kind: 'animal' as ActorKind }, 'kind', 'invalid-input'],
      [{ ...ok, description: long(MAP_LIMITS.descriptionMax + 1) }, 'description', 'invalid-input'],
      [{ ...ok, description: 'bell\u0007' }, 'description', 'invalid-input'],
      [{ ...ok, interests: 'honey' as unknown as string[] }, 'interests', 'invalid-input'],
      [{ ...ok, interests: ['honey', ''] }, 'interests', 'invalid-input'],
      [{ ...ok, interests: [long(MAP_LIMITS.interestMax + 1)] }, 'interests', 'invalid-input'],
      [{ ...ok, interests: ['two\nlines'] }, 'interests', 'invalid-input'],
      [{ ...ok, interests: Array.from({ length: 31 }, (_, i) => `i${i}`) }, 'interests', 'invalid-input'],
      [{ ...ok, chambers: ['not an id' as ChamberId] }, 'chambers', 'invalid-input'],
      [{ ...ok, chambers: [neighbours, newChamberId()] }, 'chambers', 'not-found'],
      [{ ...ok, position: { x: Number.NaN, y: 0 } }, 'position', 'invalid-input'],
    ]
    for (const [input, field, code] of cases) expectRefused(doc, () => addActor(doc, input), code, field)
  })

  it('[M2] updateActor writes only the fields that change, in one transaction', () => {
    const { doc, river } = boardWithMap()
    const yRiver = doc.getMap<Y.Map<unknown>>(ROOT_ACTORS).get(river) as Y.Map<unknown>
    const written: string[] = []
    yRiver.observe((event) => written.push(...event.keysChanged))
    const origins = transactionsDuring(doc, () =>
      updateActor(doc, river, { name: 'The river Wey', kind: 'non-human', interests: ['Clean water', 'Fish'] }),
    )
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(written.sort()).toEqual([ACTOR.interests, ACTOR.name].sort())
    expect(readActor(doc, river)).toMatchObject({ name: 'The river Wey', interests: ['Clean water', 'Fish'] })
  })

  it('[M2][M11] updateActor that changes nothing writes nothing', () => {
    const { doc, river } = boardWithMap()
    const before = Y.encodeStateAsUpdate(doc)
    const origins = transactionsDuring(doc, () => {
      updateActor(doc, river, {})
      updateActor(doc, river, { name: ' The river ', kind: 'non-human', description: '', interests: ['Clean water'] })
    })
    expect(origins).toEqual([])
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })

  it('[M2][M11] updateActor refuses an unknown actor and bad values, writing nothing', () => {
    const { doc, river } = boardWithMap()
    expectRefused(doc, () => updateActor(doc, newActorId(), { name: 'Lake' }), 'not-found', 'id')
    expectRefused(doc, () => updateActor(doc, 'nope' as ActorId, { name: 'Lake' }), 'invalid-input', 'id')
    expectRefused(doc, () => updateActor(doc, river, { name: '' }), 'invalid-input', 'name')
    expectRefused(doc, () => updateActor(doc, river, { kind: 'fish' as ActorKind }), 'invalid-input', 'kind')
    // One bad field refuses the whole change: the good one is not written either.
    expectRefused(doc, () => updateActor(doc, river, { name: 'Lake', interests: [''] }), 'invalid-input', 'interests')
  })

  it('[M2] a concurrent rename, kind change and description change all survive', () => {
    const { doc: a, council } = boardWithMap()
    const b = copyOf(a)
    const c = copyOf(a)
    updateActor(a, council, { name: 'Parish council' })
    updateActor(b, council, { kind: 'group' })
    updateActor(c, council, { description: 'Owns the land' })
    syncAll(a, b, c)
    for (const doc of [a, b, c]) {
      expect(readActor(doc, council)).toMatchObject({
        name: 'Parish council',
        kind: 'group',
        description: 'Owns the land',
      })
    }
  })

  it('[M2] concurrent edits of one actor\'s interests: one whole list survives, the same everywhere', () => {
    const { doc: a, river } = boardWithMap()
    const b = copyOf(a)
    updateActor(a, river, { interests: ['Clean water', 'Fish'] })
    updateActor(b, river, { interests: ['Flood plain'] })
    syncAll(a, b)
    const interests = readActor(a, river)?.interests
    expect([['Clean water', 'Fish'], ['Flood plain']]).toContainEqual(interests)
    expect(readActor(b, river)?.interests).toEqual(interests)
  })

  it('[M9] readActors lists every actor by (name, id), as frozen values', () => {
    const { doc, river, council, growers } = boardWithMap()
    const twin = addActor(doc, { name: 'Growers', kind: 'person' })
    const actors = readActors(doc)
    expect(actors.map((a) => a.id)).toEqual([...[growers, twin].sort(), river, council])
    expect(Object.isFrozen(actors)).toBe(true)
    for (const actor of actors) {
      expect(Object.isFrozen(actor)).toBe(true)
      expect(Object.isFrozen(actor.interests)).toBe(true)
      expect(Object.isFrozen(actor.chambers)).toBe(true)
    }
    expect(readActor(doc, newActorId())).toBeNull()
  })
})

describe('[M3] chambers', () => {
  it('[M3] addChamber writes the trimmed chamber in one transaction; readChambers sorts by (name, id)', () => {
    const { doc, workers, neighbours } = boardWithMap()
    let id: ChamberId | undefined
    const origins = transactionsDuring(doc, () => {
      id = addChamber(doc, { name: '  Users ', description: ' People who come\nto the garden ' })
    })
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(readChamber(doc, must(id))).toEqual({
      id,
      name: 'Users',
      description: 'People who come\nto the garden',
      archived: false,
    })
    expect(readChambers(doc).map((c) => c.id)).toEqual([neighbours, id, workers])
    expect(Object.isFrozen(readChambers(doc))).toBe(true)
  })

  it('[M3][M11] refuses bad names and descriptions, writing nothing; accepts the limits', () => {
    const { doc } = boardWithMap()
    expect(MAP_LIMITS.chamberNameMax).toBe(80)
    expect(readChamber(doc, addChamber(doc, { name: long(80), description: long(2000) }))?.name).toBe(long(80))
    expectRefused(doc, () => addChamber(doc, { name: long(81) }), 'invalid-input', 'name')
    expectRefused(doc, () => addChamber(doc, { name: '' }), 'invalid-input', 'name')
    const tooLong = { name: 'Users', description: long(2001) }
    expectRefused(doc, () => addChamber(doc, tooLong), 'invalid-input', 'description')
  })

  it('[M3] updateChamber writes only what changes; concurrent name and description changes both survive', () => {
    const { doc: a, workers } = boardWithMap()
    expect(transactionsDuring(a, () => updateChamber(a, workers, { name: 'Workers' }))).toEqual([])
    const b = copyOf(a)
    updateChamber(a, workers, { name: 'Staff' })
    updateChamber(b, workers, { description: 'Paid and volunteer' })
    syncAll(a, b)
    for (const doc of [a, b]) {
      expect(readChamber(doc, workers)).toMatchObject({ name: 'Staff', description: 'Paid and volunteer' })
    }
    expectRefused(a, () => updateChamber(a, newChamberId(), { name: 'X' }), 'not-found', 'id')
    expectRefused(a, () => updateChamber(a, workers, { name: ' ' }), 'invalid-input', 'name')
  })

  it('[M5] a chamber is archived and unarchived, never deleted; its members keep it', () => {
    const { doc, workers, growers } = boardWithMap()
    archiveChamber(doc, workers)
    expect(readChamber(doc, workers)?.archived).toBe(true)
    expect(readActor(doc, growers)?.chambers).toEqual([workers])
    expect(transactionsDuring(doc, () => archiveChamber(doc, workers))).toEqual([])
    unarchiveChamber(doc, workers)
    expect(readChamber(doc, workers)?.archived).toBe(false)
    expectRefused(doc, () => archiveChamber(doc, newChamberId()), 'not-found', 'id')
  })
})
