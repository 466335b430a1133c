import { invalidInput } from './errors'
import type { ActorId, ChamberId, ProposalId, RelationId } from './ids'
import { requireLine, requireText } from './text'

/**
 * The stakeholder map (SPEC [M1]-[M11]): the actors involved in what a board governs, the
 * stakeholder groups (chambers) they belong to, the relations between them, where each sits on the
 * shared drawing, and which actors and chambers each proposal affects.
 */

/** Input limits for the stakeholder map (SPEC [M2]-[M6]). Lengths count Unicode code points after trimming. */
export const MAP_LIMITS = {
  actorNameMax: 120,
  descriptionMax: 2000,
  interestMax: 120,
  interestsMax: 30,
  chamberNameMax: 80,
  relationNoteMax: 500,
  /** Positions are finite numbers with |x|, |y| at most this. */
  coordinateMax: 1_000_000,
} as const

/** A person, a group, an organisation, or a non-human interest (a river, future residents). */
export const ACTOR_KINDS = ['person', 'group', 'organisation', 'non-human'] as const
export type ActorKind = (typeof ACTOR_KINDS)[number]

export const isActorKind = (value: unknown): value is ActorKind =>
  typeof value === 'string' && (ACTOR_KINDS as readonly string[]).includes(value)

/**
 * How one actor stands to another. `depends-on`, `supplies` and `affects` read from `from` to `to`;
 * `allied-with` and `in-tension-with` are symmetric.
 */
export const RELATION_KINDS = ['depends-on', 'supplies', 'affects', 'allied-with', 'in-tension-with'] as const
export type RelationKind = (typeof RELATION_KINDS)[number]

export const isRelationKind = (value: unknown): value is RelationKind =>
  typeof value === 'string' && (RELATION_KINDS as readonly string[]).includes(value)

/** Relation kinds with no direction: A allied with B is B allied with A. */
export const isSymmetricRelationKind = (kind: RelationKind): boolean =>
  kind === 'allied-with' || kind === 'in-tension-with'

export interface Actor {
  readonly id: ActorId
  readonly name: string
  readonly kind: ActorKind
  readonly description: string
  readonly interests: readonly string[]
  /** The chambers this actor belongs to (those this device has), in chamber order. */
  readonly chambers: readonly ChamberId[]
  /** Archived actors stay readable, with their relations and links, marked as archived (SPEC [M5]). */
  readonly archived: boolean
}

/** A stakeholder group: workers, users, neighbours... */
export interface Chamber {
  readonly id: ChamberId
  readonly name: string
  readonly description: string
  readonly archived: boolean
}

export interface Relation {
  readonly id: RelationId
  readonly kind: RelationKind
  readonly from: ActorId
  readonly to: ActorId
  readonly note: string
  readonly fromArchived: boolean
  readonly toArchived: boolean
  /** True when either end is archived: the UI shows the relation faded, not gone. */
  readonly touchesArchived: boolean
}

/** Where an actor sits on the map's drawing. Written as one value, so x and y never mix (SPEC [M6]). */
export interface ActorPosition {
  readonly x: number
  readonly y: number
}

/** Who a proposal affects, as full records (archived ones included, marked). */
export interface Affected {
  readonly actors: readonly Actor[]
  readonly chambers: readonly Chamber[]
}

/** Who one proposal affects, by id, as carried in the map snapshot. */
export interface ProposalAffected {
  readonly proposal: ProposalId
  readonly actors: readonly ActorId[]
  readonly chambers: readonly ChamberId[]
}

/** The whole stakeholder map as one frozen value. */
export interface MapSnapshot {
  readonly actors: readonly Actor[]
  readonly chambers: readonly Chamber[]
  readonly relations: readonly Relation[]
  /** Positions of the actors that have one; an actor without one is placed by the UI. */
  readonly positions: Readonly<Record<ActorId, ActorPosition>>
  /** Proposals that affect at least one actor or chamber, by proposal id. */
  readonly affected: readonly ProposalAffected[]
}

export interface NewActorInput {
  readonly name: string
  readonly kind: ActorKind
  readonly description?: string
  readonly interests?: readonly string[]
  readonly chambers?: readonly ChamberId[]
  readonly position?: ActorPosition
}

/** Fields to change; absent ones stay as they are. */
export interface ActorChanges {
  readonly name?: string
  readonly kind?: ActorKind
  readonly description?: string
  readonly interests?: readonly string[]
}

export interface NewChamberInput {
  readonly name: string
  readonly description?: string
}

export interface ChamberChanges {
  readonly name?: string
  readonly description?: string
}

export interface NewRelationInput {
  readonly from: ActorId
  readonly to: ActorId
  readonly kind: RelationKind
  readonly note?: string
}

export interface RelationChanges {
  readonly kind?: RelationKind
  readonly note?: string
}

export interface AffectedInput {
  readonly actors: readonly ActorId[]
  readonly chambers: readonly ChamberId[]
}

/**
 * An optional text of several lines (a description, a note): absent or blank reads as `''`,
 * otherwise as `requireText` (trimmed, at most `max` code points, no control characters but tab
 * and newline). Throws a PeerboardError naming `field`.
 */
export const optionalText = (field: string, label: string, value: unknown, max: number): string => {
  if (value === undefined) return ''
  if (typeof value === 'string' && value.trim().length === 0) return ''
  return requireText(field, label, value, max)
}

/**
 * An actor's interests (SPEC [M2]): a list of at most MAP_LIMITS.interestsMax single lines of at
 * most MAP_LIMITS.interestMax code points each, trimmed, each kept once, in the order given.
 */
export const requireInterests = (field: string, value: unknown): string[] => {
  if (!Array.isArray(value)) throw invalidInput(field, 'Interests must be a list of short texts.')
  const out = new Set<string>()
  for (const item of value as unknown[]) out.add(requireLine(field, 'An interest', item, MAP_LIMITS.interestMax))
  const max = MAP_LIMITS.interestsMax
  if (out.size > max) throw invalidInput(field, `An actor can have at most ${max} interests; this one has ${out.size}.`)
  return [...out]
}

/** Whether `value` is a coordinate a position may hold: a finite number within the bound. */
export const isCoordinate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAP_LIMITS.coordinateMax

/**
 * A position on the map (SPEC [M6]): finite numbers within ±MAP_LIMITS.coordinateMax, returned as
 * a fresh `{x, y}` with -0 as 0. Throws a PeerboardError naming `field` otherwise.
 */
export const requirePosition = (field: string, value: unknown): ActorPosition => {
  const raw = value as { readonly x?: unknown; readonly y?: unknown } | null
  if (raw === null || typeof raw !== 'object') throw invalidInput(field, 'A position must be {x, y}.')
  const max = MAP_LIMITS.coordinateMax
  if (!isCoordinate(raw.x) || !isCoordinate(raw.y)) {
    throw invalidInput(field, `A position's x and y must be finite numbers between -${max} and ${max}.`)
  }
  // -0 and 0 are one position; keep one encoding so that equal positions compare equal.
  return { x: raw.x + 0, y: raw.y + 0 }
}
