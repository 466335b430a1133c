import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  createThread,
  editMessage,
  formatHlc,
  latestMessageHlc,
  MESSAGE,
  MESSAGE_CONTENT,
  newMessageId,
  observeDialogue,
  postMessage,
  readMessage,
  readMessageEntry,
  readThread,
  readThreadLatestHlc,
  removeMessage,
  ROOT_MESSAGES,
  type Hlc,
  type Message,
  type MessageId,
  type NewMessageInput,
  type ThreadId,
} from '../../shared/src'
import { ALICE, BOB, copyOf, must } from '../helpers/boards'
import { boardWithThread, manualClock, NODE_B, NODE_C } from '../helpers/dialogue'

/*
 * readThreadLatestHlc keeps a per-doc index so that postMessage does not read every message of the
 * board ([T7], [T11]). These tests pin that the index is invisible: the answer is always that of a
 * full scan, whatever arrived, was deleted or was rewritten since, and whenever it is asked.
 */

afterEach(() => {
  vi.restoreAllMocks()
})

const say = (threadId: ThreadId, body: string, extra: Partial<NewMessageInput> = {}): NewMessageInput => ({
  threadId,
  author: ALICE,
  body,
  stance: 'information',
  ...extra,
})

const at = (wall: number, counter = 0, node = NODE_C): Hlc => formatHlc({ wall, counter, node })

/** What readThreadLatestHlc computed before the index: a scan of every message of the board. */
const fullScanLatest = (doc: Y.Doc, threadId: ThreadId): Hlc | null => {
  const messages: Message[] = []
  doc.getMap(ROOT_MESSAGES).forEach((yMessage, id) => {
    const message = readMessageEntry(id, yMessage)
    if (message !== null && message.thread === threadId) messages.push(message)
  })
  return latestMessageHlc(messages)
}

/** A message map with the fields postMessage writes, plus `extra`, as a peer could write it. */
const rawMessage = (id: string, threadId: string, createdAt: unknown, extra: Record<string, unknown> = {}): Y.Map<unknown> => {
  const y = new Y.Map<unknown>()
  y.set(MESSAGE.id, id)
  y.set(MESSAGE.thread, threadId)
  y.set(MESSAGE.parent, null)
  y.set(MESSAGE.author, BOB)
  if (createdAt !== undefined) y.set(MESSAGE.createdAt, createdAt)
  y.set(MESSAGE.content, {
    [MESSAGE_CONTENT.body]: `Raw ${id}`,
    [MESSAGE_CONTENT.stance]: 'information',
    [MESSAGE_CONTENT.mentions]: [],
    [MESSAGE_CONTENT.editedAt]: null,
  })
  for (const [key, value] of Object.entries(extra)) y.set(key, value)
  return y
}

/** Runs `write` on a copy of `doc` and merges what it wrote back, as sync would. */
const fromPeer = (doc: Y.Doc, write: (yMessages: Y.Map<unknown>) => void): void => {
  const peer = copyOf(doc)
  const before = Y.encodeStateVector(peer)
  peer.transact(() => write(peer.getMap(ROOT_MESSAGES)))
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, before))
}

const expectLatest = (doc: Y.Doc, threadId: ThreadId, expected: Hlc | null): void => {
  expect(readThreadLatestHlc(doc, threadId)).toBe(expected)
  expect(fullScanLatest(doc, threadId)).toBe(expected)
}

describe('[T7][T11] the latest timestamp of a thread', () => {
  it('[T7] posting 2,000 messages beside 20,000 of other threads never reads through the board\'s messages', () => {
    const { doc, thread, clock } = boardWithThread()
    // 20,000 messages in 200 other threads, written by a peer and merged as sync would merge them.
    const { clock: peerClock } = manualClock(NODE_B)
    const others = Array.from({ length: 200 }, (_, i) =>
      createThread(doc, { subject: { kind: 'board' }, title: `Other ${i}`, author: BOB }, { clock: peerClock }),
    )
    fromPeer(doc, (yMessages) => {
      for (let i = 0; i < 20_000; i++) {
        const id = newMessageId()
        yMessages.set(id, rawMessage(id, must(others[i % others.length]), at(2_000_000 + i)))
      }
    })
    // The first post may look at the whole board once; none after it does.
    let previous = must(readMessage(doc, postMessage(doc, say(thread, 'First'), { clock }))?.createdAt)
    const yMessages = doc.getMap(ROOT_MESSAGES)
    const scans = [
      vi.spyOn(yMessages, 'forEach'),
      vi.spyOn(yMessages, 'entries'),
      vi.spyOn(yMessages, 'keys'),
      vi.spyOn(yMessages, 'values'),
      vi.spyOn(yMessages, Symbol.iterator),
      vi.spyOn(yMessages, 'toJSON'),
    ]
    const lookups = vi.spyOn(yMessages, 'get')
    const peer = copyOf(doc)
    const { clock: aheadClock, time: ahead } = manualClock(NODE_B, 5_000_000)
    let remote: Hlc | null = null
    let postLookups = 0
    for (let i = 0; i < 2_000; i++) {
      if (i % 100 === 50) {
        // Now and then a message of this thread arrives from a peer whose clock is far ahead.
        const before = Y.encodeStateVector(peer)
        const id = postMessage(peer, say(thread, `Remote ${i}`, { author: BOB }), { clock: aheadClock })
        ahead.now += 10_000
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, before))
        remote = must(readMessage(peer, id)?.createdAt)
      }
      const lookupsBefore = lookups.mock.calls.length
      const id = postMessage(doc, say(thread, `Post ${i}`), { clock })
      postLookups += lookups.mock.calls.length - lookupsBefore
      const createdAt = must(readMessage(doc, id)?.createdAt)
      expect(createdAt > previous).toBe(true)
      if (remote !== null) expect(createdAt > remote).toBe(true)
      previous = createdAt
    }
    for (const scan of scans) expect(scan).not.toHaveBeenCalled()
    // A handful of lookups per post (the keys each transaction changed), not one per message.
    expect(postLookups).toBeLessThanOrEqual(2 * 2_000)
    vi.restoreAllMocks()
    expectLatest(doc, thread, previous)
    expect(must(readThread(doc, thread)).messages.length).toBe(2_001 + 20)
  })

  it('[T11][T12] ignores malformed timestamps, and follows deletions and rewrites of a thread or createdAt', () => {
    const { doc, thread, clock } = boardWithThread()
    const other = createThread(doc, { subject: { kind: 'board' }, title: 'Other', author: BOB }, { clock })
    expectLatest(doc, thread, null)
    const [a, b, c, d] = [newMessageId(), newMessageId(), newMessageId(), newMessageId()]
    fromPeer(doc, (yMessages) => {
      yMessages.set(a, rawMessage(a, thread, at(5)))
      yMessages.set(b, rawMessage(b, thread, 'not a timestamp'))
      yMessages.set(c, rawMessage(c, thread, undefined))
      // Not messages at all: a bad key, a value that is not a map.
      yMessages.set('not-a-message-id', rawMessage('x', thread, at(90)))
      yMessages.set(d, 'a string')
    })
    expectLatest(doc, thread, at(5))
    // A message whose timestamp a peer rewrites: later, then malformed, then earlier.
    fromPeer(doc, (yMessages) => (yMessages.get(b) as Y.Map<unknown>).set(MESSAGE.createdAt, at(7)))
    expectLatest(doc, thread, at(7))
    fromPeer(doc, (yMessages) => (yMessages.get(b) as Y.Map<unknown>).set(MESSAGE.createdAt, 42))
    expectLatest(doc, thread, at(5))
    fromPeer(doc, (yMessages) => (yMessages.get(a) as Y.Map<unknown>).set(MESSAGE.createdAt, at(3)))
    expectLatest(doc, thread, at(3))
    // A value that becomes a message, and a message that moves to another thread and back.
    fromPeer(doc, (yMessages) => yMessages.set(d, rawMessage(d, thread, at(8))))
    expectLatest(doc, thread, at(8))
    fromPeer(doc, (yMessages) => (yMessages.get(d) as Y.Map<unknown>).set(MESSAGE.thread, other))
    expectLatest(doc, thread, at(3))
    expectLatest(doc, other, at(8))
    fromPeer(doc, (yMessages) => (yMessages.get(d) as Y.Map<unknown>).set(MESSAGE.thread, 'not a thread'))
    expectLatest(doc, other, null)
    // Deleting the latest gives back the one before; deleting all gives null.
    const mine = postMessage(doc, say(thread, 'Mine'), { clock })
    const minePosted = must(readMessage(doc, mine)?.createdAt)
    expectLatest(doc, thread, minePosted)
    fromPeer(doc, (yMessages) => yMessages.delete(mine))
    expectLatest(doc, thread, at(3))
    fromPeer(doc, (yMessages) => {
      for (const id of [a, b, c]) yMessages.delete(id)
    })
    expectLatest(doc, thread, null)
  })

  it('[T7][T11] edits and removals leave it as it was', () => {
    const { doc, thread, clock } = boardWithThread()
    const first = postMessage(doc, say(thread, 'First'), { clock })
    const second = postMessage(doc, say(thread, 'Second'), { clock })
    const latest = must(readMessage(doc, second)?.createdAt)
    expectLatest(doc, thread, latest)
    editMessage(doc, { messageId: second, editor: ALICE, body: 'Second, edited' }, { clock })
    removeMessage(doc, { messageId: first, remover: ALICE }, { clock })
    expectLatest(doc, thread, latest)
  })

  it('[T7] a post made by an observer of a remote message is stamped after that message', () => {
    const { doc, thread, clock } = boardWithThread()
    // The index exists before the remote message arrives.
    postMessage(doc, say(thread, 'Before'), { clock })
    const peer = copyOf(doc)
    const { clock: aheadClock } = manualClock(NODE_B, 1_000_000 + 3_600_000)
    const before = Y.encodeStateVector(peer)
    const remote = postMessage(peer, say(thread, 'From the future', { author: BOB }), { clock: aheadClock })
    const answers: MessageId[] = []
    const stop = observeDialogue(doc, () => {
      if (answers.length === 0) answers.push(postMessage(doc, say(thread, 'An answer'), { clock }))
    })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, before))
    stop()
    const stamp = must(readMessage(doc, must(answers[0]))?.createdAt)
    expect(stamp > must(readMessage(doc, remote)?.createdAt)).toBe(true)
    expect(must(readThread(doc, thread)).messages.map((m) => m.body)).toEqual(['Before', 'From the future', 'An answer'])
  })

  it('[T7] inside a transaction, it already counts what that transaction wrote or received', () => {
    const { doc, thread, clock } = boardWithThread()
    postMessage(doc, say(thread, 'Before'), { clock })
    const peer = copyOf(doc)
    const before = Y.encodeStateVector(peer)
    const remote = postMessage(peer, say(thread, 'From the future', { author: BOB }), {
      clock: manualClock(NODE_B, 1_000_000 + 3_600_000).clock,
    })
    doc.transact(() => {
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, before))
      expect(readThreadLatestHlc(doc, thread)).toBe(readMessage(doc, remote)?.createdAt)
    })
    // Writes of the same transaction: a message stamped ahead of this clock, then a post after it.
    const ahead = at(9_000_000)
    const mine = doc.transact(() => {
      const id = newMessageId()
      doc.getMap(ROOT_MESSAGES).set(id, rawMessage(id, thread, ahead))
      expect(readThreadLatestHlc(doc, thread)).toBe(ahead)
      const posted = postMessage(doc, say(thread, 'Mine'), { clock })
      expect(readThreadLatestHlc(doc, thread)).toBe(readMessage(doc, posted)?.createdAt)
      return posted
    })
    const stamp = must(readMessage(doc, mine)?.createdAt)
    expect(stamp > ahead).toBe(true)
    expectLatest(doc, thread, stamp)
  })

  it('[T11] reading it writes nothing and gives the same whether or not it was read before', () => {
    const { doc, thread, clock } = boardWithThread()
    postMessage(doc, say(thread, 'One'), { clock })
    const fresh = copyOf(doc)
    const state = Y.encodeStateAsUpdate(doc)
    expect(readThreadLatestHlc(doc, thread)).toBe(readThreadLatestHlc(fresh, thread))
    expect(Y.encodeStateAsUpdate(doc)).toEqual(state)
  })
})
