import * as Y from 'yjs'
import { isChamberId, newActorId, newChamberId, type ActorId, type ChamberId } from '../model/ids'
import {
  MAP_LIMITS,
  optionalText,
  requireInterests,
  requirePosition,
  type ActorChanges,
  type ActorPosition,
  type ChamberChanges,
  type NewActorInput,
  type NewChamberInput,
} from '../model/map'
import { requireLine } from '../model/text'
import { ACTOR, CHAMBER, POSITION } from '../schema/keys'
import { LOCAL_ORIGIN } from '../schema/origins'
import { yActorPositionsOf, yActorsOf, yChamberMembersOf, yChambersOf } from '../schema/roots'
import {
  requireActor,
  requireActorKind,
  requireChamber,
  requireIdList,
  requireNotArchived,
  sameList,
  writeLinks,
  type MapEntity,
} from './mapGuards'

/*
 * Writes to the stakeholder map's actors, chambers and positions (SPEC [M2], [M3], [M5], [M6]).
 * Each validates everything first, then makes one transaction; one that would change nothing
 * writes nothing ([M11]). Fields are last-writer-wins one by one, so concurrent changes to
 * different fields of one actor all survive.
 */

const requireActorName = (value: unknown): string => requireLine('name', 'Actor name', value, MAP_LIMITS.actorNameMax)
const requireChamberName = (value: unknown): string =>
  requireLine('name', 'Chamber name', value, MAP_LIMITS.chamberNameMax)
const requireDescription = (value: unknown): string =>
  optionalText('description', 'Description', value, MAP_LIMITS.descriptionMax)

const positionValue = (position: ActorPosition) => ({ [POSITION.x]: position.x, [POSITION.y]: position.y })

/** Writes the fields of `next` that differ from what `y` holds, in one transaction; nothing when none do. */
const writeChanged = (doc: Y.Doc, y: Y.Map<unknown>, next: Record<string, unknown>): void => {
  const changed = Object.entries(next).filter(([key, value]) => {
    const before = y.get(key)
    return Array.isArray(value) && Array.isArray(before) ? !sameList(before as unknown[], value) : before !== value
  })
  if (changed.length === 0) return
  doc.transact(() => {
    for (const [key, value] of changed) y.set(key, Array.isArray(value) ? [...(value as unknown[])] : value)
  }, LOCAL_ORIGIN)
}

/**
 * Adds an actor, with its chambers and, when given, its position, and returns its id (SPEC [M2]).
 * The chambers must exist and not be archived.
 */
export const addActor = (doc: Y.Doc, input: NewActorInput): ActorId => {
  const name = requireActorName(input.name)
  const kind = requireActorKind(input.kind)
  const description = requireDescription(input.description)
  const interests = requireInterests('interests', input.interests ?? [])
  const chambers = requireIdList('chambers', input.chambers ?? [], isChamberId, 'chamber').map((id) =>
    requireNotArchived(requireChamber(doc, id, 'chambers'), 'chambers', 'chamber'),
  )
  const position = input.position === undefined ? null : requirePosition('position', input.position)
  const id = newActorId()
  doc.transact(() => {
    const yActor = new Y.Map<unknown>()
    yActor.set(ACTOR.id, id)
    yActor.set(ACTOR.name, name)
    yActor.set(ACTOR.kind, kind)
    yActor.set(ACTOR.description, description)
    yActor.set(ACTOR.interests, interests)
    yActorsOf(doc).set(id, yActor)
    writeLinks(yChamberMembersOf(doc), id, chambers.map((c) => c.id), [])
    if (position !== null) yActorPositionsOf(doc).set(id, positionValue(position))
  }, LOCAL_ORIGIN)
  return id
}

/**
 * Changes an actor's name, kind, description or interests (SPEC [M2]); absent fields stay. Only
 * the fields that change are written; interests are replaced as one list.
 */
export const updateActor = (doc: Y.Doc, id: ActorId, changes: ActorChanges): void => {
  const actor = requireActor(doc, id, 'id')
  const next: Record<string, unknown> = {}
  if (changes.name !== undefined) next[ACTOR.name] = requireActorName(changes.name)
  if (changes.kind !== undefined) next[ACTOR.kind] = requireActorKind(changes.kind)
  if (changes.description !== undefined) next[ACTOR.description] = requireDescription(changes.description)
  if (changes.interests !== undefined) next[ACTOR.interests] = requireInterests('interests', changes.interests)
  writeChanged(doc, actor.y, next)
}

const setArchived = (doc: Y.Doc, entity: MapEntity<string>, field: string, archived: boolean): void => {
  if (entity.archived === archived) return
  doc.transact(() => entity.y.set(field, archived), LOCAL_ORIGIN)
}

/**
 * Archives an actor (SPEC [M5]): it stays, with its relations, memberships and links, read as
 * archived; it gains no new ones until unarchived.
 */
export const archiveActor = (doc: Y.Doc, id: ActorId): void => {
  setArchived(doc, requireActor(doc, id, 'id'), ACTOR.archived, true)
}

export const unarchiveActor = (doc: Y.Doc, id: ActorId): void => {
  setArchived(doc, requireActor(doc, id, 'id'), ACTOR.archived, false)
}

/**
 * Puts an actor at `position` on the map (SPEC [M6]): one value under the actor's key, so that
 * concurrent moves converge to one writer's whole position. Call it when a drag ends, not on
 * every pointer move: each write leaves a tombstone.
 */
export const moveActor = (doc: Y.Doc, id: ActorId, position: ActorPosition): void => {
  const actor = requireActor(doc, id, 'id')
  const next = requirePosition('position', position)
  const yPositions = yActorPositionsOf(doc)
  const current = yPositions.get(actor.id) as Record<string, unknown> | undefined
  if (current?.[POSITION.x] === next.x && current[POSITION.y] === next.y) return
  doc.transact(() => yPositions.set(actor.id, positionValue(next)), LOCAL_ORIGIN)
}

/** Adds a stakeholder group (chamber) and returns its id (SPEC [M3]). */
export const addChamber = (doc: Y.Doc, input: NewChamberInput): ChamberId => {
  const name = requireChamberName(input.name)
  const description = requireDescription(input.description)
  const id = newChamberId()
  doc.transact(() => {
    const yChamber = new Y.Map<unknown>()
    yChamber.set(CHAMBER.id, id)
    yChamber.set(CHAMBER.name, name)
    yChamber.set(CHAMBER.description, description)
    yChambersOf(doc).set(id, yChamber)
  }, LOCAL_ORIGIN)
  return id
}

/** Changes a chamber's name or description (SPEC [M3]); only the fields that change are written. */
export const updateChamber = (doc: Y.Doc, id: ChamberId, changes: ChamberChanges): void => {
  const chamber = requireChamber(doc, id, 'id')
  const next: Record<string, unknown> = {}
  if (changes.name !== undefined) next[CHAMBER.name] = requireChamberName(changes.name)
  if (changes.description !== undefined) next[CHAMBER.description] = requireDescription(changes.description)
  writeChanged(doc, chamber.y, next)
}

/** Archives a chamber (SPEC [M5]): its memberships and links stay, read with it as archived. */
export const archiveChamber = (doc: Y.Doc, id: ChamberId): void => {
  setArchived(doc, requireChamber(doc, id, 'id'), CHAMBER.archived, true)
}

export const unarchiveChamber = (doc: Y.Doc, id: ChamberId): void => {
  setArchived(doc, requireChamber(doc, id, 'id'), CHAMBER.archived, false)
}
