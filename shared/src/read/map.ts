import * as Y from 'yjs'
import {
  isActorId,
  isChamberId,
  isProposalId,
  isRelationId,
  type ActorId,
  type ChamberId,
  type ProposalId,
} from '../model/ids'
import {
  isActorKind,
  isCoordinate,
  isRelationKind,
  MAP_LIMITS,
  type Actor,
  type ActorPosition,
  type Affected,
  type Chamber,
  type MapSnapshot,
  type ProposalAffected,
  type Relation,
} from '../model/map'
import { ACTOR, CHAMBER, LINKED, POSITION, RELATION, splitLinkKey } from '../schema/keys'
import {
  yActorPositionsOf,
  yActorsOf,
  yAffectedActorsOf,
  yAffectedChambersOf,
  yChamberMembersOf,
  yChambersOf,
  yProposalsOf,
  yRelationsOf,
} from '../schema/roots'
import { readProposalEntry } from './proposals'

/*
 * Reads of the stakeholder map (SPEC [M9]). Every read is a pure function of the doc's state:
 * entries are sorted, never listed in arrival order, so replicas with the same updates read the
 * same values ([M10]). Nothing here throws on what a faulty peer wrote: an entry that is not a map
 * or has a bad id is skipped, a wrongly typed field reads as its default, and a reference to an
 * actor, chamber or proposal this device does not have (yet) is not listed.
 */

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

const byNameThenId = <T extends { readonly name: string; readonly id: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

const interestsOf = (value: unknown): readonly string[] => {
  if (!Array.isArray(value)) return Object.freeze([])
  const strings = (value as unknown[]).filter((item): item is string => typeof item === 'string' && item !== '')
  return Object.freeze([...new Set(strings)].slice(0, MAP_LIMITS.interestsMax))
}

/** One chamber as a plain frozen value, or null when the entry is not a chamber at all. */
export const readChamberEntry = (id: string, yChamber: unknown): Chamber | null => {
  if (!isChamberId(id) || !(yChamber instanceof Y.Map)) return null
  const y: Y.Map<unknown> = yChamber
  return Object.freeze({
    id,
    name: text(y.get(CHAMBER.name)),
    description: text(y.get(CHAMBER.description)),
    archived: y.get(CHAMBER.archived) === true,
  })
}

/**
 * One actor as a plain frozen value, or null when the entry is not an actor at all. `chambers`
 * are the actor's memberships, already checked and ordered by the caller.
 */
export const readActorEntry = (id: string, yActor: unknown, chambers: readonly ChamberId[] = []): Actor | null => {
  if (!isActorId(id) || !(yActor instanceof Y.Map)) return null
  const y: Y.Map<unknown> = yActor
  const kind = y.get(ACTOR.kind)
  return Object.freeze({
    id,
    name: text(y.get(ACTOR.name)),
    kind: isActorKind(kind) ? kind : 'person',
    description: text(y.get(ACTOR.description)),
    interests: interestsOf(y.get(ACTOR.interests)),
    chambers: Object.freeze([...chambers]),
    archived: y.get(ACTOR.archived) === true,
  })
}

/** Every chamber, archived ones included, by (name, id). */
export const readChambers = (doc: Y.Doc): readonly Chamber[] => {
  const out: Chamber[] = []
  yChambersOf(doc).forEach((yChamber, id) => {
    const chamber = readChamberEntry(id, yChamber)
    if (chamber !== null) out.push(chamber)
  })
  out.sort(byNameThenId)
  return Object.freeze(out)
}

export const readChamber = (doc: Y.Doc, id: ChamberId): Chamber | null =>
  readChamberEntry(id, yChambersOf(doc).get(id))

/**
 * The linked pairs of a link map whose first id passes `isFirst` and whose second is in `order`,
 * grouped by first id, each group in `order`.
 */
const linksOf = <A extends string, B extends string>(
  yLinks: Y.Map<unknown>,
  isFirst: (id: string) => id is A,
  order: ReadonlyMap<B, number>,
): Map<A, B[]> => {
  const out = new Map<A, B[]>()
  yLinks.forEach((value, key) => {
    const pair = value === LINKED ? splitLinkKey(key) : null
    if (pair === null || !isFirst(pair[0]) || !order.has(pair[1] as B)) return
    const list = out.get(pair[0]) ?? []
    list.push(pair[1] as B)
    out.set(pair[0], list)
  })
  for (const list of out.values()) list.sort((a, b) => (order.get(a) as number) - (order.get(b) as number))
  return out
}

const indexOf = <T extends { readonly id: string }>(items: readonly T[]): Map<T['id'], number> =>
  new Map(items.map((item, i) => [item.id as T['id'], i]))

const actorsGiven = (doc: Y.Doc, chambers: readonly Chamber[]): readonly Actor[] => {
  const memberships = linksOf(yChamberMembersOf(doc), isActorId, indexOf(chambers))
  const out: Actor[] = []
  yActorsOf(doc).forEach((yActor, id) => {
    const actor = readActorEntry(id, yActor, memberships.get(id as ActorId))
    if (actor !== null) out.push(actor)
  })
  out.sort(byNameThenId)
  return Object.freeze(out)
}

/** Every actor, archived ones included (marked), by (name, id), each with its chambers. */
export const readActors = (doc: Y.Doc): readonly Actor[] => actorsGiven(doc, readChambers(doc))

export const readActor = (doc: Y.Doc, id: ActorId): Actor | null =>
  readActors(doc).find((actor) => actor.id === id) ?? null

const relationsGiven = (doc: Y.Doc, actors: readonly Actor[]): readonly Relation[] => {
  const archived = new Map(actors.map((actor) => [actor.id, actor.archived]))
  const out: Relation[] = []
  yRelationsOf(doc).forEach((yRelation, id) => {
    if (!isRelationId(id) || !(yRelation instanceof Y.Map)) return
    const y: Y.Map<unknown> = yRelation
    const from = y.get(RELATION.from)
    const to = y.get(RELATION.to)
    if (!isActorId(from) || !isActorId(to) || from === to) return
    const fromArchived = archived.get(from)
    const toArchived = archived.get(to)
    if (fromArchived === undefined || toArchived === undefined) return
    const kind = y.get(RELATION.kind)
    out.push(
      Object.freeze({
        id,
        kind: isRelationKind(kind) ? kind : 'affects',
        from,
        to,
        note: text(y.get(RELATION.note)),
        fromArchived,
        toArchived,
        touchesArchived: fromArchived || toArchived,
      }),
    )
  })
  out.sort((a, b) => {
    const ka = `${a.from}:${a.to}:${a.kind}:${a.id}`
    const kb = `${b.from}:${b.to}:${b.kind}:${b.id}`
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  return Object.freeze(out)
}

/**
 * Every relation between two actors this device has, including those touching archived actors,
 * with both ends' archived state (SPEC [M5]); by (from, to, kind, id).
 */
export const readRelations = (doc: Y.Doc): readonly Relation[] => relationsGiven(doc, readActors(doc))

const positionOf = (value: unknown): ActorPosition | null => {
  if (value === null || typeof value !== 'object') return null
  const raw = value as Record<string, unknown>
  const x = raw[POSITION.x]
  const y = raw[POSITION.y]
  return isCoordinate(x) && isCoordinate(y) ? Object.freeze({ x: x + 0, y: y + 0 }) : null
}

const positionsGiven = (doc: Y.Doc, actors: readonly Actor[]): Readonly<Record<ActorId, ActorPosition>> => {
  const known = new Set<string>(actors.map((actor) => actor.id))
  const yPositions = yActorPositionsOf(doc)
  const out: Record<ActorId, ActorPosition> = {}
  // Sorted keys, so that the object's key order is the same on every replica.
  const ids = [...yPositions.keys()].filter((id) => known.has(id)).sort()
  for (const id of ids) {
    const position = positionOf(yPositions.get(id))
    if (position !== null) out[id as ActorId] = position
  }
  return Object.freeze(out)
}

/** The position of every actor that has a valid one (SPEC [M6]); others are placed by the UI. */
export const readActorPositions = (doc: Y.Doc): Readonly<Record<ActorId, ActorPosition>> =>
  positionsGiven(doc, readActors(doc))

const isKnownProposal = (doc: Y.Doc) => {
  const yProposals = yProposalsOf(doc)
  return (id: string): id is ProposalId => isProposalId(id) && readProposalEntry(id, yProposals.get(id)) !== null
}

const affectedGiven = (
  doc: Y.Doc,
  actors: readonly Actor[],
  chambers: readonly Chamber[],
): readonly ProposalAffected[] => {
  const isProposal = isKnownProposal(doc)
  const byActor = linksOf(yAffectedActorsOf(doc), isProposal, indexOf(actors))
  const byChamber = linksOf(yAffectedChambersOf(doc), isProposal, indexOf(chambers))
  const proposals = [...new Set([...byActor.keys(), ...byChamber.keys()])].sort()
  return Object.freeze(
    proposals.map((proposal) =>
      Object.freeze({
        proposal,
        actors: Object.freeze(byActor.get(proposal) ?? []),
        chambers: Object.freeze(byChamber.get(proposal) ?? []),
      }),
    ),
  )
}

/**
 * Who a proposal affects ("who is affected?", SPEC [M7]): its linked actors and chambers, archived
 * ones included (marked), in map order. Empty for a proposal this device does not have.
 */
export const readAffected = (doc: Y.Doc, proposalId: ProposalId): Affected => {
  const chambers = readChambers(doc)
  const actors = actorsGiven(doc, chambers)
  const entry = affectedGiven(doc, actors, chambers).find((a) => a.proposal === proposalId)
  const actorIds = new Set<string>(entry?.actors ?? [])
  const chamberIds = new Set<string>(entry?.chambers ?? [])
  return Object.freeze({
    actors: Object.freeze(actors.filter((actor) => actorIds.has(actor.id))),
    chambers: Object.freeze(chambers.filter((chamber) => chamberIds.has(chamber.id))),
  })
}

/** The whole stakeholder map as one frozen snapshot (SPEC [M9], [M10]). */
export const readMap = (doc: Y.Doc): MapSnapshot => {
  const chambers = readChambers(doc)
  const actors = actorsGiven(doc, chambers)
  return Object.freeze({
    actors,
    chambers,
    relations: relationsGiven(doc, actors),
    positions: positionsGiven(doc, actors),
    affected: affectedGiven(doc, actors, chambers),
  })
}

/**
 * Calls `onChange` after every transaction that changed the stakeholder map, or the set of
 * proposals it links to (local or remote). Returns the unsubscribe.
 */
export const observeMap = (doc: Y.Doc, onChange: () => void): (() => void) => {
  const handler = (): void => onChange()
  const deep = [yActorsOf(doc), yChambersOf(doc), yRelationsOf(doc)]
  const shallow = [
    yActorPositionsOf(doc),
    yChamberMembersOf(doc),
    yAffectedActorsOf(doc),
    yAffectedChambersOf(doc),
    // Only which proposals exist matters to the map, not their fields.
    yProposalsOf(doc),
  ]
  for (const y of deep) y.observeDeep(handler)
  for (const y of shallow) y.observe(handler)
  return () => {
    for (const y of deep) y.unobserveDeep(handler)
    for (const y of shallow) y.unobserve(handler)
  }
}
