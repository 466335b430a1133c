/**
 * Hybrid logical clocks (SPEC [T5]): timestamps that follow wall-clock time where devices agree,
 * and causality where they do not. A device's clock never goes backwards, and once it has seen a
 * timestamp every later one it issues sorts after it, however wrong its own wall clock is.
 *
 * A timestamp is a fixed-width string `WWWWWWWWWWWWWWW.CCCCC.NNNNNNNNNNNNNNNNNNNNNN`:
 * - `W`: wall time, milliseconds since the epoch, 15 decimal digits;
 * - `C`: a counter for events within one millisecond, 5 decimal digits;
 * - `N`: the node (the clock's owner: one device), 22 base64url characters.
 * Every part has a fixed width, so plain string comparison orders timestamps by (wall, counter,
 * node): a total order, the same on every device.
 *
 * Clock state is never stored in a Y.Doc. The caller keeps it (an HlcClock, or the last timestamp)
 * and hands it to the ops that stamp things.
 */

declare const brand: unique symbol
/** A hybrid logical clock timestamp; compare with `<` or `compareHlc`. */
export type Hlc = string & { readonly [brand]: 'Hlc' }

/** The parts of a timestamp. */
export interface HlcParts {
  readonly wall: number
  readonly counter: number
  readonly node: string
}

const WALL_DIGITS = 15
const COUNTER_DIGITS = 5
/** The latest wall time a timestamp can carry (about the year 33658). */
export const HLC_WALL_MAX = 10 ** WALL_DIGITS - 1
/** The highest counter; one more event in the same millisecond moves on to the next millisecond. */
export const HLC_COUNTER_MAX = 10 ** COUNTER_DIGITS - 1
/**
 * A received timestamp more than this far ahead of the local wall clock is not adopted: one device
 * with a clock set years ahead would otherwise drag every clock it reaches along with it.
 */
export const HLC_MAX_DRIFT_MS = 24 * 60 * 60 * 1000

const HLC_PATTERN = /^\d{15}\.\d{5}\.[A-Za-z0-9_-]{22}$/
const NODE_PATTERN = /^[A-Za-z0-9_-]{22}$/

export const isHlc = (value: unknown): value is Hlc => typeof value === 'string' && HLC_PATTERN.test(value)

/** A clock's node id: 22 base64url characters (a random 128-bit id per device, say). */
export const isHlcNode = (value: unknown): value is string => typeof value === 'string' && NODE_PATTERN.test(value)

const requireWall = (what: string, ms: number): number => {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > HLC_WALL_MAX) {
    throw new RangeError(`${what} must be an integer number of milliseconds in [0, ${HLC_WALL_MAX}], not ${ms}`)
  }
  return ms
}

export const formatHlc = (parts: HlcParts): Hlc => {
  requireWall('HLC wall time', parts.wall)
  if (!Number.isSafeInteger(parts.counter) || parts.counter < 0 || parts.counter > HLC_COUNTER_MAX) {
    throw new RangeError(`HLC counter must be an integer in [0, ${HLC_COUNTER_MAX}], not ${parts.counter}`)
  }
  if (!isHlcNode(parts.node)) throw new RangeError(`HLC node must be 22 base64url characters, not ${parts.node}`)
  const wall = String(parts.wall).padStart(WALL_DIGITS, '0')
  const counter = String(parts.counter).padStart(COUNTER_DIGITS, '0')
  return `${wall}.${counter}.${parts.node}` as Hlc
}

export const parseHlc = (hlc: Hlc): HlcParts => ({
  wall: Number(hlc.slice(0, WALL_DIGITS)),
  counter: Number(hlc.slice(WALL_DIGITS + 1, WALL_DIGITS + 1 + COUNTER_DIGITS)),
  node: hlc.slice(WALL_DIGITS + COUNTER_DIGITS + 2),
})

/** The wall time a timestamp carries, for display ("3 minutes ago"); not for ordering. */
export const hlcWallMs = (hlc: Hlc): number => Number(hlc.slice(0, WALL_DIGITS))

/** Timestamp order: by wall time, then counter, then node. */
export const compareHlc = (a: Hlc, b: Hlc): number => (a < b ? -1 : a > b ? 1 : 0)

/** The starting state of a clock that has seen nothing: below every timestamp it will issue. */
export const initialHlc = (node: string): Hlc => formatHlc({ wall: 0, counter: 0, node })

/** (wall, counter) one step on, carrying a full counter into the next millisecond. */
const step = (wall: number, counter: number, node: string): Hlc =>
  counter < HLC_COUNTER_MAX
    ? formatHlc({ wall, counter: counter + 1, node })
    : formatHlc({ wall: requireWall('HLC wall time', wall + 1), counter: 0, node })

/**
 * The timestamp of a local event, given the clock's last timestamp and the wall clock now:
 * strictly greater than `last`, and at least `nowMs`.
 */
export const tickHlc = (last: Hlc, nowMs: number): Hlc => {
  const now = requireWall('nowMs', nowMs)
  const l = parseHlc(last)
  if (now > l.wall) return formatHlc({ wall: now, counter: 0, node: l.node })
  return step(l.wall, l.counter, l.node)
}

/**
 * The clock's new timestamp after receiving `remote`: strictly greater than `local` and strictly
 * greater than `remote` in (wall, counter), unless `remote` is more than HLC_MAX_DRIFT_MS ahead of
 * both `nowMs` and `local` (then it is not adopted and this is a plain tick). The node stays the
 * local one.
 */
export const receiveHlc = (local: Hlc, remote: Hlc, nowMs: number): Hlc => {
  const now = requireWall('nowMs', nowMs)
  const l = parseHlc(local)
  const r = parseHlc(remote)
  if (r.wall > now + HLC_MAX_DRIFT_MS && r.wall > l.wall) return tickHlc(local, now)
  const wall = Math.max(l.wall, r.wall, now)
  if (wall === now && now > l.wall && now > r.wall) return formatHlc({ wall, counter: 0, node: l.node })
  const counter = Math.max(l.wall === wall ? l.counter : -1, r.wall === wall ? r.counter : -1)
  return step(wall, counter, l.node)
}

/**
 * A device's clock. It holds the last timestamp it issued or adopted; ops that stamp things take
 * one in their options and call `now()` (after `receive` of what they build on).
 */
export interface HlcClock {
  /** This clock's node id. */
  readonly node: string
  /** A timestamp for a local event, later than every one this clock has issued or received. */
  now(): Hlc
  /** Takes in a timestamp seen elsewhere, so that later local ones sort after it ([T5]). */
  receive(remote: Hlc): void
  /** The last timestamp issued or adopted (to persist the clock between sessions). */
  peek(): Hlc
}

export interface HlcClockOptions {
  readonly node: string
  /** Milliseconds since the epoch; injected so that tests can skew it. Default `Date.now`. */
  readonly wallClock?: () => number
  /** A timestamp to resume from (a persisted `peek()`); its node is ignored. */
  readonly last?: Hlc
}

export const createHlcClock = (options: HlcClockOptions): HlcClock => {
  const { node } = options
  if (!isHlcNode(node)) throw new RangeError(`HLC node must be 22 base64url characters, not ${node}`)
  const wallClock = options.wallClock ?? Date.now
  const resume = options.last === undefined ? null : parseHlc(options.last)
  let last = resume === null ? initialHlc(node) : formatHlc({ ...resume, node })
  return {
    node,
    now: () => {
      last = tickHlc(last, wallClock())
      return last
    },
    receive: (remote) => {
      if (!isHlc(remote)) return
      last = receiveHlc(last, remote, wallClock())
    },
    peek: () => last,
  }
}
