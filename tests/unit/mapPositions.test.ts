import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addActor,
  LOCAL_ORIGIN,
  MAP_LIMITS,
  moveActor,
  newActorId,
  POSITION,
  readActorPositions,
  readMap,
  ROOT_ACTOR_POSITIONS,
  type ActorPosition,
} from '../../shared/src'
import { copyOf, expectRefused, newReplica, syncAll, transactionsDuring } from '../helpers/boards'
import { boardWithMap } from '../helpers/map'
import { pick, seededRandom } from '../helpers/prng'

describe('[M6] actor positions', () => {
  it('[M6] moveActor writes one plain {x, y} value under the actor\'s key, in one transaction', () => {
    const { doc, river } = boardWithMap()
    const yPositions = doc.getMap(ROOT_ACTOR_POSITIONS)
    const changes: string[] = []
    yPositions.observe((event) => changes.push(...event.keysChanged))
    const origins = transactionsDuring(doc, () => moveActor(doc, river, { x: 120.5, y: -40 }))
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(changes).toEqual([river])
    expect(yPositions.get(river)).toEqual({ [POSITION.x]: 120.5, [POSITION.y]: -40 })
    expect(yPositions.get(river)).not.toBeInstanceOf(Y.AbstractType)
    expect(readActorPositions(doc)).toEqual({ [river]: { x: 120.5, y: -40 } })
    expect(Object.isFrozen(readActorPositions(doc))).toBe(true)
  })

  it('[M6] addActor may place the actor in the same transaction; actors without a position have none', () => {
    const { doc, river } = boardWithMap()
    let id = newActorId()
    const origins = transactionsDuring(doc, () => {
      id = addActor(doc, { name: 'Bees', kind: 'non-human', position: { x: 3, y: 4 } })
    })
    expect(origins).toEqual([LOCAL_ORIGIN])
    const positions = readActorPositions(doc)
    expect(positions[id]).toEqual({ x: 3, y: 4 })
    expect(positions[river]).toBeUndefined()
  })

  it('[M6][M11] moving to the current position writes nothing; -0 is stored as 0', () => {
    const { doc, river } = boardWithMap()
    moveActor(doc, river, { x: -0, y: 7 })
    expect(Object.is(readActorPositions(doc)[river]?.x, 0)).toBe(true)
    expect(Object.is((doc.getMap(ROOT_ACTOR_POSITIONS).get(river) as ActorPosition).x, 0)).toBe(true)
    expect(transactionsDuring(doc, () => moveActor(doc, river, { x: 0, y: 7 }))).toEqual([])
    expect(transactionsDuring(doc, () => moveActor(doc, river, { x: -0, y: 7 }))).toEqual([])
  })

  it('[M6][M11] refuses positions that are not finite numbers within the bound, and unknown actors', () => {
    const { doc, river } = boardWithMap()
    const max = MAP_LIMITS.coordinateMax
    expect(max).toBe(1_000_000)
    moveActor(doc, river, { x: max, y: -max })
    const bad: unknown[] = [
      { x: Number.NaN, y: 0 },
      { x: 0, y: Number.POSITIVE_INFINITY },
      { x: max + 1, y: 0 },
      { x: 0, y: -max - 0.5 },
      { x: '1', y: 2 },
      { x: 1 },
      [1, 2],
      null,
      'here',
    ]
    for (const position of bad) {
      expectRefused(doc, () => moveActor(doc, river, position as ActorPosition), 'invalid-input', 'position')
    }
    expectRefused(doc, () => moveActor(doc, newActorId(), { x: 1, y: 1 }), 'not-found', 'id')
  })

  it('[M6] two people dragging one node converge to one writer\'s whole position, never a mix', () => {
    const random = seededRandom(6)
    for (let round = 0; round < 50; round++) {
      const { doc: base, river } = boardWithMap()
      const a = copyOf(base, 10 + pick(random, 1000))
      const b = copyOf(base, 2000 + pick(random, 1000))
      const fromA = { x: pick(random, 500), y: pick(random, 500) }
      const fromB = { x: 1000 + pick(random, 500), y: 1000 + pick(random, 500) }
      // Each drag may write several times (a UI that saves while dragging); the last one counts.
      for (let i = 0; i < 1 + pick(random, 3); i++) moveActor(a, river, { x: fromA.x - i, y: fromA.y - i })
      moveActor(a, river, fromA)
      moveActor(b, river, fromB)
      if (round % 2 === 0) syncAll(a, b)
      else syncAll(b, a)
      const result = readActorPositions(a)[river]
      expect([fromA, fromB]).toContainEqual(result)
      expect(readActorPositions(b)[river]).toEqual(result)
    }
  })

  it('[M6] moves of different actors on two devices both survive', () => {
    const { doc: a, river, council } = boardWithMap()
    const b = copyOf(a)
    moveActor(a, river, { x: 1, y: 2 })
    moveActor(b, council, { x: 3, y: 4 })
    syncAll(a, b)
    expect(readActorPositions(a)).toEqual({ [river]: { x: 1, y: 2 }, [council]: { x: 3, y: 4 } })
    expect(readMap(b).positions).toEqual(readActorPositions(a))
  })

  it('[M9] positions of actors this device does not have, or that are malformed, are not listed', () => {
    const { doc, river, council, growers } = boardWithMap()
    const stranger = newActorId()
    const yPositions = doc.getMap(ROOT_ACTOR_POSITIONS)
    doc.transact(() => {
      yPositions.set(stranger, { x: 1, y: 1 })
      yPositions.set(river, { x: 'left', y: 1 })
      yPositions.set(council, { x: 1e9, y: 1 })
      yPositions.set(growers, new Y.Map())
    })
    expect(readActorPositions(doc)).toEqual({})
    expect(readActorPositions(newReplica())).toEqual({})
  })
})
