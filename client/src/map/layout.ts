import type { Actor, ActorId, ActorPosition, MapSnapshot } from '../../../shared/src'

/** A node's radius on the drawing, in drawing units. */
export const NODE_R = 26

/** How far from the centre the actors without a stored position are put, at the least. */
const MIN_RADIUS = 160
/** Room, along the circle, for each placed actor. */
const SPACING = 110

/**
 * Where each actor is drawn: its stored position, or else a place on a circle around (0, 0), by
 * actor id, so that every device draws an unmoved actor in the same place until someone moves it.
 */
export const layoutActors = (snapshot: MapSnapshot): ReadonlyMap<ActorId, ActorPosition> => {
  const out = new Map<ActorId, ActorPosition>()
  const unplaced: Actor[] = []
  for (const actor of snapshot.actors) {
    const stored = snapshot.positions[actor.id]
    if (stored === undefined) unplaced.push(actor)
    else out.set(actor.id, stored)
  }
  unplaced.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const radius = Math.max(MIN_RADIUS, (unplaced.length * SPACING) / (2 * Math.PI))
  unplaced.forEach((actor, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / unplaced.length
    out.set(actor.id, { x: Math.round(radius * Math.cos(angle)), y: Math.round(radius * Math.sin(angle)) })
  })
  return out
}

/** "a, b\nc" -> ["a", "b", "c"]: interests typed as a comma- or line-separated list. */
export const parseList = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
