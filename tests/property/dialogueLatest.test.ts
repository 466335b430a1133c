import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  createBoard,
  createHlcClock,
  createThread,
  editMessage,
  formatHlc,
  HLC_MAX_DRIFT_MS,
  latestMessageHlc,
  MESSAGE,
  MESSAGE_CONTENT,
  newMessageId,
  observeDialogue,
  parseHlc,
  postMessage,
  readMessage,
  readMessageEntry,
  readThread,
  readThreadLatestHlc,
  removeMessage,
  ROOT_MESSAGES,
  type Hlc,
  type HlcClock,
  type MemberId,
  type Message,
  type MessageId,
  type ThreadId,
} from '../../shared/src'
import { must, newReplica } from '../helpers/boards'
import { NODE_A, NODE_B, NODE_C } from '../helpers/dialogue'
import { pick, seededRandom } from '../helpers/prng'
import { createReplicaNetwork } from '../helpers/replicaNetwork'
import { idSource } from '../helpers/seededIds'

/*
 * A seeded simulation of the latest timestamp of a thread, the one a new message is stamped after
 * ([T7]) and a reader's "last seen" is set to ([T11]). Three replicas post, and a faulty peer
 * writes straight into their docs: messages with malformed or missing timestamps, entries that are
 * not messages, rewrites of a message's createdAt or thread, deletions. Updates travel through a
 * network that delivers random subsets in random order (so some wait, unintegrated, for what they
 * build on), sometimes to a replica that posts from inside an observer of the delivery, or reads
 * inside the transaction that applies it; a replica also posts in the transaction of a faulty
 * write. Every post must be stamped exactly as the full scan of the
 * board's messages would have it: after the latest valid createdAt of its thread ([T12]: malformed
 * ones count as none), and every read of the latest must equal that scan, on every replica.
 *
 * One seed decides everything, ids included (lib0/webcrypto is replaced by the seeded source).
 */

vi.mock('lib0/webcrypto', async (importOriginal) =>
  (await import('../helpers/seededIds')).seededWebcrypto(await importOriginal()),
)

afterEach(() => {
  idSource.random = null
})

const REPLICAS = 3
const THREADS = 3
const MEMBERS = ['Member0Member0Member00', 'Member1Member1Member11', 'Member2Member2Member22'] as MemberId[]
const NODES = [NODE_A, NODE_B, NODE_C]
/** The node of the faulty peer's timestamps. */
const FAULTY_NODE = 'FaultyFaultyFaultyFaul'
const BASE = 1_700_000_000_000
const HOUR = 3_600_000

/** What readThreadLatestHlc computed before its index: a scan of every message of the board. */
const fullScanLatest = (doc: Y.Doc, threadId: string): Hlc | null => {
  const messages: Message[] = []
  doc.getMap(ROOT_MESSAGES).forEach((yMessage, id) => {
    const message = readMessageEntry(id, yMessage)
    if (message !== null && message.thread === threadId) messages.push(message)
  })
  return latestMessageHlc(messages)
}

interface SimulationResult {
  readonly docs: readonly Y.Doc[]
  readonly threads: readonly ThreadId[]
  readonly posts: number
  readonly fromObservers: number
  readonly inTransactions: number
  readonly checks: number
}

const simulate = (seed: number, steps: number): SimulationResult => {
  const random = seededRandom(seed)
  idSource.random = seededRandom(seed ^ 0x2545f491)
  const docs = Array.from({ length: REPLICAS }, (_, i) => newReplica(300 + i))
  // Wall clocks skewed by up to two hours either way.
  const walls = docs.map(() => BASE + Math.floor((random() - 0.5) * 4 * HOUR))
  const clocks: HlcClock[] = docs.map((_, r) => createHlcClock({ node: must(NODES[r]), wallClock: () => must(walls[r]) }))
  const first = must(docs[0])
  createBoard(first, { name: 'Latest', createdAt: 0 })
  const threads = Array.from({ length: THREADS }, (_, i) =>
    createThread(first, { subject: { kind: 'board' }, title: `Thread ${i}`, author: must(MEMBERS[0]) }, { clock: must(clocks[0]) }),
  )
  for (const doc of docs.slice(1)) Y.applyUpdate(doc, Y.encodeStateAsUpdate(first))
  const network = createReplicaNetwork(docs, random)
  let posts = 0
  let fromObservers = 0
  let inTransactions = 0
  let checks = 0

  /** Every read of the latest, on every replica and thread (and one no message names), is the scan's. */
  const expectLatestAsScanned = (r: number): void => {
    const doc = must(docs[r])
    for (const thread of [...threads, 'NoSuchThreadNoSuchThre' as ThreadId]) {
      expect(readThreadLatestHlc(doc, thread)).toBe(fullScanLatest(doc, thread))
      checks++
    }
  }

  /** Posts on replica r, checking the stamp against the one the full scan gives. */
  const checkedPost = (r: number, step: number): void => {
    const doc = must(docs[r])
    const clock = must(clocks[r])
    const thread = must(threads[pick(random, THREADS)])
    const lower = fullScanLatest(doc, thread)
    expect(readThreadLatestHlc(doc, thread)).toBe(lower)
    // The same clock, stamping after the scan's answer: what the post must give.
    const shadow = createHlcClock({ node: clock.node, wallClock: () => must(walls[r]), last: clock.peek() })
    if (lower !== null) shadow.receive(lower)
    const expected = shadow.now()
    const before = clock.peek()
    const id = postMessage(doc, { threadId: thread, author: must(MEMBERS[r]), body: `m${step} from ${r}`, stance: 'information' }, { clock })
    const createdAt = must(readMessage(doc, id)?.createdAt)
    expect(createdAt).toBe(expected)
    // Strictly after the thread's latest, unless that one is too far ahead to adopt ([T5]).
    const farAhead = lower !== null && parseHlc(lower).wall > must(walls[r]) + HLC_MAX_DRIFT_MS && parseHlc(lower).wall > parseHlc(before).wall
    if (lower !== null && !farAhead) expect(createdAt > lower).toBe(true)
    posts++
  }

  // Each replica may be asked to post from inside its next observer call.
  const armed = docs.map(() => -1)
  docs.forEach((doc, r) =>
    observeDialogue(doc, () => {
      const step = must(armed[r])
      if (step < 0) return
      armed[r] = -1
      checkedPost(r, step)
      fromObservers++
    }),
  )

  /** A timestamp value as a faulty peer might write it: valid (near or far ahead) or malformed. */
  const faultyStamp = (r: number): unknown => {
    const choice = random()
    const wall = must(walls[r]) + Math.floor((random() - 0.5) * 6 * HOUR)
    if (choice < 0.45) return formatHlc({ wall, counter: pick(random, 10), node: FAULTY_NODE })
    if (choice < 0.5) return formatHlc({ wall: wall + 2 * 24 * HOUR, counter: 0, node: FAULTY_NODE })
    const malformed: unknown[] = [
      'not a timestamp',
      '',
      42,
      null,
      true,
      { wall },
      `${formatHlc({ wall, counter: 0, node: FAULTY_NODE })}x`,
      formatHlc({ wall, counter: 0, node: FAULTY_NODE }).slice(1),
      undefined, // no createdAt at all
    ]
    return malformed[pick(random, malformed.length)]
  }

  const rawMessage = (r: number, id: string, thread: string): Y.Map<unknown> => {
    const y = new Y.Map<unknown>()
    y.set(MESSAGE.id, id)
    y.set(MESSAGE.thread, thread)
    y.set(MESSAGE.parent, null)
    const createdAt = faultyStamp(r)
    if (createdAt !== undefined) y.set(MESSAGE.createdAt, createdAt)
    y.set(MESSAGE.content, { [MESSAGE_CONTENT.body]: 'raw', [MESSAGE_CONTENT.stance]: 'information' })
    return y
  }

  /** A faulty peer's write straight into replica r's doc, in one transaction. */
  const faultyWrite = (r: number): void => {
    const doc = must(docs[r])
    const yMessages = doc.getMap(ROOT_MESSAGES)
    const keys = [...yMessages.keys()]
    const key = keys.length > 0 ? must(keys[pick(random, keys.length)]) : null
    const yExisting = key === null ? null : yMessages.get(key)
    const choice = random()
    const someThread = (): string => (random() < 0.9 ? must(threads[pick(random, THREADS)]) : 'not a thread')
    doc.transact(() => {
      if (choice < 0.35 || key === null) {
        // A new entry: usually a message, sometimes under a key that is no message id, or no map.
        const id = random() < 0.1 ? `not-a-message-id-${keys.length}` : newMessageId()
        yMessages.set(id, random() < 0.1 ? 'not a map' : rawMessage(r, id, someThread()))
      } else if (choice < 0.8 && yExisting instanceof Y.Map) {
        const y: Y.Map<unknown> = yExisting
        const what = random()
        if (what < 0.6) {
          const createdAt = faultyStamp(r)
          if (createdAt === undefined) y.delete(MESSAGE.createdAt)
          else y.set(MESSAGE.createdAt, createdAt)
        } else if (what < 0.9) y.set(MESSAGE.thread, someThread())
        else yMessages.set(key, rawMessage(r, key, someThread()))
      } else {
        yMessages.delete(key)
      }
    })
  }

  /** The author edits or removes one of their own messages: neither may move the latest. */
  const editOrRemove = (r: number, step: number): void => {
    const doc = must(docs[r])
    const thread = must(threads[pick(random, THREADS)])
    const mine = must(readThread(doc, thread)).messages.filter((m) => m.author === MEMBERS[r] && !m.removed)
    if (mine.length === 0) return
    const target: MessageId = must(mine[pick(random, mine.length)]).id
    const clock = must(clocks[r])
    if (random() < 0.7) editMessage(doc, { messageId: target, editor: must(MEMBERS[r]), body: `edit ${step}` }, { clock })
    else removeMessage(doc, { messageId: target, remover: must(MEMBERS[r]) }, { clock })
  }

  /** Delivers to replica r some of what each other replica has sent it. */
  const deliverTo = (r: number): void => {
    for (let from = 0; from < REPLICAS; from++) if (from !== r) network.deliver(from, r, false)
  }

  // Replica 0 builds its index now; the others only when they first post or read, later.
  readThreadLatestHlc(first, must(threads[0]))

  for (let step = 1; step <= steps; step++) {
    for (let r = 0; r < REPLICAS; r++) walls[r] = must(walls[r]) + Math.floor(random() * 2_000)
    const r = pick(random, REPLICAS)
    const choice = random()
    if (choice < 0.3) checkedPost(r, step)
    else if (choice < 0.5) faultyWrite(r)
    else if (choice < 0.55) editOrRemove(r, step)
    else if (choice < 0.62) {
      // A post from an observer of a delivery, before the transaction that brought it is done.
      armed[r] = step
      deliverTo(r)
      armed[r] = -1
    } else if (choice < 0.67) {
      // Reads and posts inside a transaction, before it is done: after a delivery (a transaction
      // that received updates is not local, so this one only reads), or after a faulty write.
      const doc = must(docs[r])
      if (random() < 0.5) {
        doc.transact(() => {
          deliverTo(r)
          expectLatestAsScanned(r)
        })
      } else {
        doc.transact(() => {
          faultyWrite(r)
          checkedPost(r, step)
        })
      }
      inTransactions++
    } else if (choice < 0.95) network.deliverToOne()
    else network.togglePartitions()
    if (random() < 0.5) expectLatestAsScanned(pick(random, REPLICAS))
  }

  network.deliverAll()
  for (let r = 0; r < REPLICAS; r++) expectLatestAsScanned(r)
  return { docs, threads, posts, fromObservers, inTransactions, checks }
}

describe('[T7][T11] the latest timestamp of a thread, under remote updates and faulty peers', () => {
  it('[T7][T11][T12] every post is stamped after the thread\'s latest valid createdAt, as the full scan gives it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const result = simulate(seed, 150)
        // Once everything is delivered, every replica holds the same messages and the same latest.
        for (const thread of result.threads) {
          const latest = readThreadLatestHlc(must(result.docs[0]), thread)
          for (const doc of result.docs) expect(readThreadLatestHlc(doc, thread)).toBe(latest)
        }
      }),
      { numRuns: 30 },
    )
  })

  it('reaches posts from observers and from inside transactions', () => {
    const result = simulate(1, 300)
    expect(result.posts).toBeGreaterThan(50)
    expect(result.fromObservers).toBeGreaterThan(0)
    expect(result.inTransactions).toBeGreaterThan(0)
    expect(result.checks).toBeGreaterThan(100)
  })
})
