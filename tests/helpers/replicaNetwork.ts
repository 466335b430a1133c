import * as Y from 'yjs'
import { must } from './boards'
import { pick, shuffled } from './prng'

/**
 * A simulated network between replicas, for the seeded multi-replica simulations (in the style of
 * the Yjs test suite). Each local update of a doc is queued on the link to every other replica;
 * links deliver random subsets of their queue in random order, sometimes twice, leave some
 * delivered updates queued to deliver again later, and can go down and come back.
 *
 * Every choice is drawn from `random`, in a fixed order, so a seed replays the same network.
 */
export interface ReplicaNetwork {
  /** Delivers a random subset of the from->to queue (or all of it) in random order. */
  deliver(from: number, to: number, everything: boolean): void
  /**
   * Picks a replica at random and delivers to it some of what each link to it that is up holds.
   * Returns the replica that received.
   */
  deliverToOne(): number
  /** Partitions: each link goes down, or comes back up, with some probability. */
  togglePartitions(): void
  /** Heals every partition and delivers everything that is left, in random order. */
  deliverAll(): void
  /**
   * Every pair exchanges state-vector diffs, as a provider does on reconnect (SyncStep1/2). Out of
   * order delivery can leave a Yjs doc holding pending structs that a later update does not
   * release; the diff of a peer's whole state does.
   */
  syncStates(): void
}

/** Origin of updates applied from the network, so that replicas do not send them on again. */
const REMOTE = Symbol('remote')

/**
 * Connects `docs` from now on: updates they made before are not queued. Listens to every doc's
 * 'update' events, so create it where the simulation should start sending.
 */
export const createReplicaNetwork = (docs: readonly Y.Doc[], random: () => number): ReplicaNetwork => {
  const replicas = docs.map((_, i) => i)
  /** queues[from][to]: updates made by `from` that `to` may not have integrated yet. */
  const queues: Uint8Array[][][] = docs.map(() => docs.map(() => []))
  /** Links that are down, as `${from}>${to}`. */
  const down = new Set<string>()

  docs.forEach((doc, from) => {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return
      for (const to of replicas) if (to !== from) must(queues[from]?.[to]).push(update)
    })
  })

  const deliver = (from: number, to: number, everything: boolean): void => {
    const queue = must(queues[from]?.[to])
    const chosen = queue.map((_, i) => i).filter(() => everything || random() < 0.5)
    const delivered = new Set<number>()
    for (const i of shuffled(random, chosen)) {
      const update = must(queue[i])
      Y.applyUpdate(must(docs[to]), update, REMOTE)
      if (random() < 0.15) Y.applyUpdate(must(docs[to]), update, REMOTE) // duplicate right away
      // Most delivered updates leave the queue; some stay and will be delivered again later.
      if (everything || random() < 0.85) delivered.add(i)
    }
    must(queues[from])[to] = queue.filter((_, i) => !delivered.has(i))
  }

  const deliverToOne = (): number => {
    const to = pick(random, docs.length)
    for (const from of replicas) {
      if (from !== to && !down.has(`${from}>${to}`)) deliver(from, to, false)
    }
    return to
  }

  const togglePartitions = (): void => {
    for (const from of replicas) {
      for (const to of replicas) {
        if (from === to || random() < 0.7) continue
        const link = `${from}>${to}`
        if (down.has(link)) down.delete(link)
        else down.add(link)
      }
    }
  }

  const deliverAll = (): void => {
    down.clear()
    for (const to of shuffled(random, replicas)) {
      for (const from of shuffled(random, replicas)) if (from !== to) deliver(from, to, true)
    }
  }

  const syncStates = (): void => {
    for (const to of replicas) {
      for (const from of replicas) {
        if (from === to) continue
        const target = must(docs[to])
        Y.applyUpdate(target, Y.encodeStateAsUpdate(must(docs[from]), Y.encodeStateVector(target)), REMOTE)
      }
    }
  }

  return { deliver, deliverToOne, togglePartitions, deliverAll, syncStates }
}
