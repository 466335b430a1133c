import * as Y from 'yjs'
import { invalidInput, PeerboardError } from '../model/errors'
import { isActorId, isChamberId, isProposalId, type ActorId, type ChamberId, type ProposalId } from '../model/ids'
import { isActorKind, isRelationKind, type ActorKind, type RelationKind } from '../model/map'
import { readActorEntry, readChamberEntry } from '../read/map'
import { readProposal } from '../read/proposals'
import { LINKED, linkKey } from '../schema/keys'
import { yActorsOf, yChambersOf } from '../schema/roots'

/*
 * Checks shared by the stakeholder map's ops (SPEC [M2]-[M8]). Each throws a PeerboardError naming
 * the field at fault, before anything is written.
 */

export interface MapEntity<Id> {
  readonly id: Id
  readonly y: Y.Map<unknown>
  readonly archived: boolean
}

/** An actor this device has; refuses a bad id (`invalid-input`) or a missing actor (`not-found`). */
export const requireActor = (doc: Y.Doc, id: unknown, field: string): MapEntity<ActorId> => {
  if (!isActorId(id)) throw invalidInput(field, 'That must be an actor id.')
  const y = yActorsOf(doc).get(id)
  const actor = readActorEntry(id, y)
  if (actor === null || !(y instanceof Y.Map)) {
    throw new PeerboardError('not-found', 'That actor does not exist on this board.', field)
  }
  return { id, y, archived: actor.archived }
}

/** A chamber this device has; refuses a bad id (`invalid-input`) or a missing chamber (`not-found`). */
export const requireChamber = (doc: Y.Doc, id: unknown, field: string): MapEntity<ChamberId> => {
  if (!isChamberId(id)) throw invalidInput(field, 'That must be a chamber id.')
  const y = yChambersOf(doc).get(id)
  const chamber = readChamberEntry(id, y)
  if (chamber === null || !(y instanceof Y.Map)) {
    throw new PeerboardError('not-found', 'That chamber does not exist on this board.', field)
  }
  return { id, y, archived: chamber.archived }
}

/** Archived actors and chambers gain no new links (SPEC [M5]). */
export const requireNotArchived = <Id>(entity: MapEntity<Id>, field: string, what: string): MapEntity<Id> => {
  if (entity.archived) throw invalidInput(field, `That ${what} is archived; unarchive it first.`)
  return entity
}

export const requireProposalId = (doc: Y.Doc, id: unknown, field: string): ProposalId => {
  if (!isProposalId(id)) throw invalidInput(field, 'That must be a proposal id.')
  if (readProposal(doc, id) === null) {
    throw new PeerboardError('not-found', 'That proposal does not exist on this board.', field)
  }
  return id
}

export const requireActorKind = (value: unknown): ActorKind => {
  if (!isActorKind(value)) throw invalidInput('kind', 'Kind must be one of person, group, organisation or non-human.')
  return value
}

export const requireRelationKind = (value: unknown): RelationKind => {
  if (!isRelationKind(value)) {
    throw invalidInput('kind', 'Kind must be one of depends-on, supplies, affects, allied-with or in-tension-with.')
  }
  return value
}

/** A list of ids, each once, in the order given; refuses anything that is not a list of such ids. */
export const requireIdList = <Id extends string>(
  field: string,
  value: unknown,
  isId: (v: unknown) => v is Id,
  what: string,
): Id[] => {
  if (!Array.isArray(value)) throw invalidInput(field, `That must be a list of ${what} ids.`)
  const out = new Set<Id>()
  for (const item of value as unknown[]) {
    if (!isId(item)) throw invalidInput(field, `Each entry must be a ${what} id.`)
    out.add(item)
  }
  return [...out]
}

export const isLinked = (yLinks: Y.Map<unknown>, a: string, b: string): boolean =>
  yLinks.get(linkKey(a, b)) === LINKED

/** Links `first` to each of `add` and unlinks it from each of `remove`; call inside a transaction. */
export const writeLinks = (
  yLinks: Y.Map<unknown>,
  first: string,
  add: readonly string[],
  remove: readonly string[],
): void => {
  for (const b of add) yLinks.set(linkKey(first, b), LINKED)
  for (const b of remove) yLinks.delete(linkKey(first, b))
}

/** Whether two lists are equal, item by item. */
export const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i])
