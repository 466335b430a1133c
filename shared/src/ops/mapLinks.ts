import * as Y from 'yjs'
import { invalidInput, PeerboardError } from '../model/errors'
import {
  isActorId,
  isChamberId,
  isRelationId,
  newRelationId,
  type ActorId,
  type ChamberId,
  type ProposalId,
  type RelationId,
} from '../model/ids'
import {
  isSymmetricRelationKind,
  MAP_LIMITS,
  optionalText,
  type AffectedInput,
  type NewRelationInput,
  type Relation,
  type RelationChanges,
  type RelationKind,
} from '../model/map'
import { readActor, readAffected, readRelations } from '../read/map'
import { RELATION } from '../schema/keys'
import { LOCAL_ORIGIN } from '../schema/origins'
import { yAffectedActorsOf, yAffectedChambersOf, yChamberMembersOf, yRelationsOf } from '../schema/roots'
import {
  isLinked,
  requireActor,
  requireChamber,
  requireIdList,
  requireNotArchived,
  requireProposalId,
  requireRelationKind,
  writeLinks,
} from './mapGuards'

/*
 * Writes to what joins the stakeholder map together: relations between actors (SPEC [M4]),
 * chamber memberships ([M8]) and the actors and chambers a proposal affects ([M7]). Links live one
 * key per pair, so linking or unlinking one pair never touches another. Each op validates
 * everything first, then makes one transaction; one that would change nothing writes nothing.
 */

const requireNote = (value: unknown): string => optionalText('note', 'Note', value, MAP_LIMITS.relationNoteMax)

/** Whether `r` already joins `from` and `to` with `kind` (either way round for a symmetric kind). */
const joins = (r: Relation, from: ActorId, to: ActorId, kind: RelationKind): boolean =>
  r.kind === kind &&
  ((r.from === from && r.to === to) || (isSymmetricRelationKind(kind) && r.from === to && r.to === from))

const refuseDuplicate = (doc: Y.Doc, from: ActorId, to: ActorId, kind: RelationKind, except?: RelationId): void => {
  if (readRelations(doc).some((r) => r.id !== except && joins(r, from, to, kind))) {
    throw invalidInput('kind', 'These two actors already have this relation.')
  }
}

/**
 * Adds a relation from one actor to another and returns its id (SPEC [M4]). The actors must exist,
 * differ and not be archived; the same relation twice is refused.
 */
export const addRelation = (doc: Y.Doc, input: NewRelationInput): RelationId => {
  const from = requireNotArchived(requireActor(doc, input.from, 'from'), 'from', 'actor').id
  const to = requireNotArchived(requireActor(doc, input.to, 'to'), 'to', 'actor').id
  if (from === to) throw invalidInput('to', 'A relation joins two different actors.')
  const kind = requireRelationKind(input.kind)
  const note = requireNote(input.note)
  refuseDuplicate(doc, from, to, kind)
  const id = newRelationId()
  doc.transact(() => {
    const yRelation = new Y.Map<unknown>()
    yRelation.set(RELATION.id, id)
    yRelation.set(RELATION.kind, kind)
    yRelation.set(RELATION.from, from)
    yRelation.set(RELATION.to, to)
    yRelation.set(RELATION.note, note)
    yRelationsOf(doc).set(id, yRelation)
  }, LOCAL_ORIGIN)
  return id
}

const requireRelation = (doc: Y.Doc, id: unknown): { readonly relation: Relation; readonly y: Y.Map<unknown> } => {
  if (!isRelationId(id)) throw invalidInput('id', 'That must be a relation id.')
  const relation = readRelations(doc).find((r) => r.id === id)
  const y = yRelationsOf(doc).get(id)
  if (relation === undefined || !(y instanceof Y.Map)) {
    throw new PeerboardError('not-found', 'That relation does not exist on this board.', 'id')
  }
  return { relation, y }
}

/** Changes a relation's kind or note (SPEC [M4]); only the fields that change are written. */
export const updateRelation = (doc: Y.Doc, id: RelationId, changes: RelationChanges): void => {
  const { relation, y } = requireRelation(doc, id)
  const kind = changes.kind === undefined ? relation.kind : requireRelationKind(changes.kind)
  const note = changes.note === undefined ? relation.note : requireNote(changes.note)
  const kindChanged = y.get(RELATION.kind) !== kind
  const noteChanged = y.get(RELATION.note) !== note
  if (!kindChanged && !noteChanged) return
  if (kindChanged) refuseDuplicate(doc, relation.from, relation.to, kind, relation.id)
  doc.transact(() => {
    if (kindChanged) y.set(RELATION.kind, kind)
    if (noteChanged) y.set(RELATION.note, note)
  }, LOCAL_ORIGIN)
}

/** Removes a relation (SPEC [M4]). Unlike actors, relations are not archived: removed is gone. */
export const removeRelation = (doc: Y.Doc, id: RelationId): void => {
  const { relation } = requireRelation(doc, id)
  doc.transact(() => yRelationsOf(doc).delete(relation.id), LOCAL_ORIGIN)
}

/**
 * Makes the links of `first` in `yLinks` exactly `wanted`, in one transaction: links the new ones
 * (after `checkNew` accepts each) and unlinks those in `current` (what this device shows) that are
 * no longer wanted. Writes nothing when nothing changes.
 */
const setLinks = (
  doc: Y.Doc,
  yLinks: Y.Map<unknown>,
  first: string,
  current: readonly string[],
  wanted: readonly string[],
  checkNew: (id: string) => void,
): void => {
  const add = wanted.filter((id) => !isLinked(yLinks, first, id))
  const remove = current.filter((id) => !wanted.includes(id))
  add.forEach(checkNew)
  if (add.length === 0 && remove.length === 0) return
  doc.transact(() => writeLinks(yLinks, first, add, remove), LOCAL_ORIGIN)
}

/** Puts an actor in a chamber (SPEC [M8]); neither may be archived. Already there: writes nothing. */
export const addActorToChamber = (doc: Y.Doc, actorId: ActorId, chamberId: ChamberId): void => {
  const actor = requireActor(doc, actorId, 'actorId')
  const chamber = requireChamber(doc, chamberId, 'chamberId')
  if (isLinked(yChamberMembersOf(doc), actor.id, chamber.id)) return
  requireNotArchived(actor, 'actorId', 'actor')
  requireNotArchived(chamber, 'chamberId', 'chamber')
  doc.transact(() => writeLinks(yChamberMembersOf(doc), actor.id, [chamber.id], []), LOCAL_ORIGIN)
}

/** Takes an actor out of a chamber (SPEC [M8]). Not there: writes nothing. */
export const removeActorFromChamber = (doc: Y.Doc, actorId: ActorId, chamberId: ChamberId): void => {
  if (!isActorId(actorId)) throw invalidInput('actorId', 'That must be an actor id.')
  if (!isChamberId(chamberId)) throw invalidInput('chamberId', 'That must be a chamber id.')
  if (!isLinked(yChamberMembersOf(doc), actorId, chamberId)) return
  doc.transact(() => writeLinks(yChamberMembersOf(doc), actorId, [], [chamberId]), LOCAL_ORIGIN)
}

/**
 * Makes an actor's chambers exactly `chamberIds` (SPEC [M8]), writing only the memberships that
 * change, so that a concurrent change to another membership survives.
 */
export const setActorChambers = (doc: Y.Doc, actorId: ActorId, chamberIds: readonly ChamberId[]): void => {
  const actor = requireActor(doc, actorId, 'actorId')
  const wanted = requireIdList('chamberIds', chamberIds, isChamberId, 'chamber')
  const current = readActor(doc, actor.id)?.chambers ?? []
  setLinks(doc, yChamberMembersOf(doc), actor.id, current, wanted, (id) => {
    requireNotArchived(actor, 'actorId', 'actor')
    requireNotArchived(requireChamber(doc, id, 'chamberIds'), 'chamberIds', 'chamber')
  })
}

/** Records that a proposal affects an actor (SPEC [M7]); the actor may not be archived. */
export const linkProposalToActor = (doc: Y.Doc, proposalId: ProposalId, actorId: ActorId): void => {
  const proposal = requireProposalId(doc, proposalId, 'proposalId')
  const actor = requireActor(doc, actorId, 'actorId')
  if (isLinked(yAffectedActorsOf(doc), proposal, actor.id)) return
  requireNotArchived(actor, 'actorId', 'actor')
  doc.transact(() => writeLinks(yAffectedActorsOf(doc), proposal, [actor.id], []), LOCAL_ORIGIN)
}

/** Records that a proposal no longer affects an actor (SPEC [M7]). Not linked: writes nothing. */
export const unlinkProposalFromActor = (doc: Y.Doc, proposalId: ProposalId, actorId: ActorId): void => {
  if (!isActorId(actorId)) throw invalidInput('actorId', 'That must be an actor id.')
  const proposal = requireProposalId(doc, proposalId, 'proposalId')
  if (!isLinked(yAffectedActorsOf(doc), proposal, actorId)) return
  doc.transact(() => writeLinks(yAffectedActorsOf(doc), proposal, [], [actorId]), LOCAL_ORIGIN)
}

/** Records that a proposal affects a whole chamber (SPEC [M7]); the chamber may not be archived. */
export const linkProposalToChamber = (doc: Y.Doc, proposalId: ProposalId, chamberId: ChamberId): void => {
  const proposal = requireProposalId(doc, proposalId, 'proposalId')
  const chamber = requireChamber(doc, chamberId, 'chamberId')
  if (isLinked(yAffectedChambersOf(doc), proposal, chamber.id)) return
  requireNotArchived(chamber, 'chamberId', 'chamber')
  doc.transact(() => writeLinks(yAffectedChambersOf(doc), proposal, [chamber.id], []), LOCAL_ORIGIN)
}

/** Records that a proposal no longer affects a chamber (SPEC [M7]). Not linked: writes nothing. */
export const unlinkProposalFromChamber = (doc: Y.Doc, proposalId: ProposalId, chamberId: ChamberId): void => {
  if (!isChamberId(chamberId)) throw invalidInput('chamberId', 'That must be a chamber id.')
  const proposal = requireProposalId(doc, proposalId, 'proposalId')
  if (!isLinked(yAffectedChambersOf(doc), proposal, chamberId)) return
  doc.transact(() => writeLinks(yAffectedChambersOf(doc), proposal, [], [chamberId]), LOCAL_ORIGIN)
}

/**
 * Makes the actors and chambers a proposal affects exactly those given (SPEC [M7]), in one
 * transaction, writing only the links that change. Newly linked ones may not be archived.
 */
export const setProposalAffected = (doc: Y.Doc, proposalId: ProposalId, input: AffectedInput): void => {
  const proposal = requireProposalId(doc, proposalId, 'proposalId')
  const actors = requireIdList('actors', input.actors, isActorId, 'actor')
  const chambers = requireIdList('chambers', input.chambers, isChamberId, 'chamber')
  const current = readAffected(doc, proposal)
  const yActors = yAffectedActorsOf(doc)
  const yChambers = yAffectedChambersOf(doc)
  const addActors = actors.filter((id) => !isLinked(yActors, proposal, id))
  const addChambers = chambers.filter((id) => !isLinked(yChambers, proposal, id))
  for (const id of addActors) requireNotArchived(requireActor(doc, id, 'actors'), 'actors', 'actor')
  for (const id of addChambers) requireNotArchived(requireChamber(doc, id, 'chambers'), 'chambers', 'chamber')
  const removeActors = current.actors.map((a) => a.id).filter((id) => !actors.includes(id))
  const removeChambers = current.chambers.map((c) => c.id).filter((id) => !chambers.includes(id))
  if (addActors.length + addChambers.length + removeActors.length + removeChambers.length === 0) return
  doc.transact(() => {
    writeLinks(yActors, proposal, addActors, removeActors)
    writeLinks(yChambers, proposal, addChambers, removeChambers)
  }, LOCAL_ORIGIN)
}
