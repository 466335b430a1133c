import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  advanceClockFromDoc,
  compareMessages,
  countUnread,
  createThread,
  formatHlc,
  HLC_MAX_DRIFT_MS,
  MESSAGE,
  MESSAGE_CONTENT,
  newMessageId,
  newThreadId,
  observeDialogue,
  orderThread,
  parseHlc,
  postMessage,
  readMessage,
  readMessageEntry,
  readThread,
  readThreadEntry,
  readThreadLatestHlc,
  readThreads,
  removeMessage,
  ROOT_MESSAGES,
  ROOT_THREADS,
  THREAD,
  type Hlc,
  type Message,
  type MessageId,
  type NewMessageInput,
  type ThreadId,
} from '../../shared/src'
import { ALICE, BOB, copyOf, must, newReplica } from '../helpers/boards'
import { boardWithThread, manualClock, NODE_A, NODE_B, NODE_C } from '../helpers/dialogue'
import { seededRandom, shuffled } from '../helpers/prng'

const say = (threadId: ThreadId, body: string, extra: Partial<NewMessageInput> = {}): NewMessageInput => ({
  threadId,
  author: ALICE,
  body,
  stance: 'information',
  ...extra,
})

const at = (wall: number, counter = 0, node = NODE_A): Hlc => formatHlc({ wall, counter, node })

/** A plain message value, for the pure rules. */
const message = (id: string, fields: Partial<Message> = {}): Message => ({
  id: id as MessageId,
  thread: 'ThreadThreadThreadThr1' as ThreadId,
  parent: null,
  author: ALICE,
  body: id,
  stance: 'information',
  mentions: [],
  createdAt: null,
  edited: false,
  editedAt: null,
  removed: false,
  removedAt: null,
  ...fields,
})

/** A faulty (or malicious) peer writes straight into the doc; we receive it as an ordinary update. */
const fromFaultyPeer = (
  base: Y.Doc,
  write: (yThreads: Y.Map<unknown>, yMessages: Y.Map<unknown>) => void,
): Y.Doc => {
  const peer = copyOf(base)
  peer.transact(() => write(peer.getMap(ROOT_THREADS), peer.getMap(ROOT_MESSAGES)))
  return copyOf(peer)
}

const rawMap = (fields: Record<string, unknown>): Y.Map<unknown> => {
  const y = new Y.Map<unknown>()
  for (const [key, value] of Object.entries(fields)) y.set(key, value)
  return y
}

describe('[T6] thread order', () => {
  it('[T6] siblings sort by (createdAt, id), a message without a timestamp last', () => {
    const a = message('a', { createdAt: at(5) })
    const b = message('b', { createdAt: at(5) })
    const c = message('c', { createdAt: at(3, 0, NODE_C) })
    const d = message('d', { createdAt: null })
    const e = message('e', { createdAt: at(5, 0, NODE_B) })
    expect([d, e, b, a, c].sort(compareMessages).map((m) => m.id)).toEqual(['c', 'a', 'b', 'e', 'd'])
    expect(orderThread([d, e, b, a, c]).map((m) => [m.id, m.depth])).toEqual([
      ['c', 0],
      ['a', 0],
      ['b', 0],
      ['e', 0],
      ['d', 0],
    ])
  })

  it('[T6] is depth first, replies right after their parent, whatever order the input comes in', () => {
    const msgs = [
      message('r1', { createdAt: at(1) }),
      message('r2', { createdAt: at(2) }),
      message('r1a', { createdAt: at(3), parent: 'r1' as MessageId }),
      message('r1b', { createdAt: at(4), parent: 'r1' as MessageId }),
      message('r1a1', { createdAt: at(5), parent: 'r1a' as MessageId }),
      message('r2a', { createdAt: at(6), parent: 'r2' as MessageId }),
    ]
    const expected = [
      ['r1', 0],
      ['r1a', 1],
      ['r1a1', 2],
      ['r1b', 1],
      ['r2', 0],
      ['r2a', 1],
    ]
    const random = seededRandom(7)
    for (let i = 0; i < 20; i++) {
      const ordered = orderThread(shuffled(random, msgs))
      expect(ordered.map((m) => [m.id, m.depth])).toEqual(expected)
      expect(ordered.every((m) => Object.isFrozen(m) && !m.detached)).toBe(true)
    }
  })

  it('[T6] handles a reply chain far deeper than the call stack', () => {
    const msgs = Array.from({ length: 20_000 }, (_, i) =>
      message(`m${i}`, { createdAt: at(i + 1), parent: i === 0 ? null : (`m${i - 1}` as MessageId) }),
    )
    const ordered = orderThread(msgs.reverse())
    expect(ordered.length).toBe(20_000)
    expect(ordered.at(-1)).toMatchObject({ id: 'm19999', depth: 19_999 })
  })

  it('[T6] two replicas that received the same messages in different orders read the same thread', () => {
    const { doc: base, thread } = boardWithThread()
    const writers = [NODE_A, NODE_B, NODE_C].map((node, i) => {
      const doc = copyOf(base)
      return { doc, clock: manualClock(node, 1_000_000 - i * 5_000).clock }
    })
    const updates: Uint8Array[] = []
    for (const { doc } of writers) doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let round = 0; round < 3; round++) {
      for (const { doc, clock } of writers) {
        const top = postMessage(doc, say(thread, `top ${round}`), { clock })
        postMessage(doc, say(thread, `reply ${round}`, { parentId: top }), { clock })
      }
    }
    const x = copyOf(base)
    const y = copyOf(base)
    for (const u of updates) Y.applyUpdate(x, u)
    for (const u of shuffled(seededRandom(3), updates)) Y.applyUpdate(y, u)
    expect(readThread(x, thread)).toEqual(readThread(y, thread))
    expect(must(readThread(x, thread)).messages.length).toBe(18)
  })
})

describe('[T8] detached replies', () => {
  it('[T8] a reply whose parent has not arrived shows at the top level, then moves under it', () => {
    const { doc: a, thread, clock } = boardWithThread()
    const b = copyOf(a)
    const c = copyOf(a)
    const parent = postMessage(a, say(thread, 'Parent'), { clock })
    const parentUpdate = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b))
    Y.applyUpdate(b, parentUpdate)
    const reply = postMessage(b, say(thread, 'Reply', { parentId: parent, author: BOB }), { clock: manualClock(NODE_B).clock })
    // c hears from b before it hears from a.
    Y.applyUpdate(c, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
    expect(must(readThread(c, thread)).messages.map((m) => [m.id, m.depth, m.detached, m.parent])).toEqual([
      [reply, 0, true, parent],
    ])
    Y.applyUpdate(c, parentUpdate)
    expect(must(readThread(c, thread)).messages.map((m) => [m.id, m.depth, m.detached])).toEqual([
      [parent, 0, false],
      [reply, 1, false],
    ])
  })

  it('[T8] parent loops from a faulty peer are cut: every message still shows, exactly once', () => {
    const msgs = [
      message('x', { createdAt: at(1), parent: 'y' as MessageId }),
      message('y', { createdAt: at(2), parent: 'x' as MessageId }),
      message('self', { createdAt: at(3), parent: 'self' as MessageId }),
      message('tail', { createdAt: at(4), parent: 'x' as MessageId }),
      message('other-thread', { createdAt: at(5), parent: 'elsewhere' as MessageId }),
    ]
    const ordered = orderThread(msgs)
    expect(ordered.map((m) => [m.id, m.depth, m.detached])).toEqual([
      ['x', 0, true],
      ['tail', 1, false],
      ['y', 0, true],
      ['self', 0, true],
      ['other-thread', 0, true],
    ])
  })
})

describe('[T11] unread markers', () => {
  it('[T11] countUnread counts messages after lastSeen, not removed, not the reader\'s own', () => {
    const msgs = [
      message('a', { createdAt: at(1), author: BOB }),
      message('b', { createdAt: at(2), author: BOB }),
      message('c', { createdAt: at(3), author: ALICE }),
      message('d', { createdAt: at(4), author: BOB, removed: true }),
      message('e', { createdAt: null, author: BOB }),
    ]
    expect(countUnread(msgs, null)).toBe(4)
    expect(countUnread(msgs, null, ALICE)).toBe(3)
    expect(countUnread(msgs, at(1))).toBe(2)
    expect(countUnread(msgs, at(1), ALICE)).toBe(1)
    expect(countUnread(msgs, at(9))).toBe(0)
  })

  it('[T11] readThreadLatestHlc gives the latest createdAt, and reading writes nothing', () => {
    const { doc, thread, clock } = boardWithThread()
    expect(readThreadLatestHlc(doc, thread)).toBeNull()
    postMessage(doc, say(thread, 'One'), { clock })
    const two = postMessage(doc, say(thread, 'Two', { author: BOB }), { clock })
    const before = Y.encodeStateAsUpdate(doc)
    const latest = readThreadLatestHlc(doc, thread)
    expect(latest).toBe(readMessage(doc, two)?.createdAt)
    const messages = must(readThread(doc, thread)).messages
    expect(countUnread(messages, latest)).toBe(0)
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
    postMessage(doc, say(thread, 'Three', { author: BOB }), { clock })
    expect(countUnread(must(readThread(doc, thread)).messages, latest, ALICE)).toBe(1)
  })
})

describe('reads', () => {
  it('[T6] readThread is null for an unknown thread; values are frozen', () => {
    const { doc, thread, clock } = boardWithThread()
    postMessage(doc, say(thread, 'Hi'), { clock })
    expect(readThread(doc, newThreadId())).toBeNull()
    const view = must(readThread(doc, thread))
    expect(Object.isFrozen(view)).toBe(true)
    expect(Object.isFrozen(view.messages)).toBe(true)
    expect(Object.isFrozen(view.messages[0]?.mentions)).toBe(true)
    expect(Object.isFrozen(readThreads(doc))).toBe(true)
    expect(readMessage(doc, newMessageId())).toBeNull()
  })

  it('[T1] messages of other threads stay out of a thread', () => {
    const { doc, thread, clock } = boardWithThread()
    const other = createThread(doc, { subject: { kind: 'board' }, title: 'Other', author: BOB }, { clock })
    postMessage(doc, say(thread, 'Here'), { clock })
    postMessage(doc, say(other, 'There'), { clock })
    expect(must(readThread(doc, thread)).messages.map((m) => m.body)).toEqual(['Here'])
    expect(must(readThread(doc, other)).messages.map((m) => m.body)).toEqual(['There'])
  })

  it('[T1] observeDialogue reports local and remote changes, and stops after unsubscribe', () => {
    const { doc, thread, clock } = boardWithThread()
    const peer = copyOf(doc)
    let calls = 0
    const unobserve = observeDialogue(doc, () => calls++)
    const id = postMessage(doc, say(thread, 'Hi'), { clock })
    expect(calls).toBe(1)
    removeMessage(doc, { messageId: id, remover: ALICE }, { clock })
    expect(calls).toBe(2)
    createThread(peer, { subject: { kind: 'board' }, title: 'Peer', author: BOB }, { clock: manualClock(NODE_B).clock })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)))
    expect(calls).toBe(3)
    unobserve()
    postMessage(doc, say(thread, 'Again'), { clock })
    expect(calls).toBe(3)
  })

  it('[T5] advanceClockFromDoc makes the clock pass every timestamp in the doc, writing nothing', () => {
    const { doc, thread } = boardWithThread()
    const { clock: ahead } = manualClock(NODE_B, 5_000_000)
    const id = postMessage(doc, say(thread, 'Ahead', { author: BOB }), { clock: ahead })
    removeMessage(doc, { messageId: id, remover: BOB }, { clock: ahead })
    const removedAt = must(readMessage(doc, id)?.removedAt)
    const { clock } = manualClock(NODE_C, 1_000)
    const before = Y.encodeStateAsUpdate(doc)
    advanceClockFromDoc(doc, clock)
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
    expect(clock.now() > removedAt).toBe(true)
  })

  it('[T5] advanceClockFromDoc does not adopt a timestamp far in the future', () => {
    const { doc, thread } = boardWithThread()
    const { clock: wild } = manualClock(NODE_B, 1_000 + 10 * HLC_MAX_DRIFT_MS)
    postMessage(doc, say(thread, 'From a broken clock', { author: BOB }), { clock: wild })
    const { clock } = manualClock(NODE_C, 2_000_000)
    advanceClockFromDoc(doc, clock)
    expect(parseHlc(clock.now()).wall).toBeLessThan(2_000_000 + HLC_MAX_DRIFT_MS)
  })
})

describe('[T12] reads never throw on malformed data from a peer', () => {
  it('[T12] entries that are not threads or messages are skipped', () => {
    const { doc: base, thread, clock } = boardWithThread()
    const good = postMessage(base, say(thread, 'Good'), { clock })
    const doc = fromFaultyPeer(base, (yThreads, yMessages) => {
      yThreads.set(newThreadId(), 'not a map')
      yThreads.set('bad id', rawMap({ subjectKind: 'board', title: 'Bad id' }))
      yThreads.set(newThreadId(), rawMap({ title: 'No subject' }))
      yThreads.set(newThreadId(), rawMap({ subjectKind: 'proposal', title: 'Bad proposal id', subjectId: 5 }))
      yThreads.set(newThreadId(), rawMap({ subjectKind: 'actor', title: 'No actor id' }))
      yThreads.set(newThreadId(), new Y.Array())
      yMessages.set(newMessageId(), 42)
      yMessages.set('bad id', rawMap({ thread, content: { body: 'x' } }))
      yMessages.set(newMessageId(), rawMap({ content: { body: 'No thread' } }))
      yMessages.set(newMessageId(), new Y.Text('text'))
    })
    expect(readThreads(doc).map((t) => t.id)).toEqual([thread])
    expect(must(readThread(doc, thread)).messages.map((m) => m.id)).toEqual([good])
    expect(readThreadEntry('bad', null)).toBeNull()
    expect(readMessageEntry(newMessageId(), undefined)).toBeNull()
  })

  it('[T12] missing or wrongly typed fields read as their defaults', () => {
    const { doc: base, thread } = boardWithThread()
    const bareThread = newThreadId()
    const bare = newMessageId()
    const odd = newMessageId()
    const doc = fromFaultyPeer(base, (yThreads, yMessages) => {
      yThreads.set(bareThread, rawMap({ [THREAD.subjectKind]: 'board', [THREAD.title]: 7, [THREAD.createdAt]: 'soon' }))
      yMessages.set(bare, rawMap({ [MESSAGE.thread]: thread }))
      yMessages.set(
        odd,
        rawMap({
          [MESSAGE.thread]: thread,
          [MESSAGE.parent]: 17,
          [MESSAGE.author]: 'someone',
          [MESSAGE.createdAt]: 12345,
          [MESSAGE.removed]: 'yes',
          [MESSAGE.content]: {
            [MESSAGE_CONTENT.body]: ['x'],
            [MESSAGE_CONTENT.stance]: 'shouting',
            [MESSAGE_CONTENT.mentions]: [BOB, 'x', 3, BOB, ALICE],
            [MESSAGE_CONTENT.editedAt]: 'yesterday',
          },
        }),
      )
    })
    expect(readThreads(doc).find((t) => t.id === bareThread)).toEqual({
      id: bareThread,
      subject: { kind: 'board' },
      title: '',
      author: null,
      createdAt: null,
    })
    const defaults = {
      thread,
      parent: null,
      author: null,
      body: '',
      stance: 'information',
      mentions: [],
      createdAt: null,
      edited: false,
      editedAt: null,
      removed: false,
      removedAt: null,
    }
    expect(readMessage(doc, bare)).toEqual({ id: bare, ...defaults })
    expect(readMessage(doc, odd)).toEqual({ id: odd, ...defaults, mentions: [BOB, ALICE] })
    // Both sort last among the top level, by id.
    expect(must(readThread(doc, thread)).messages.map((m) => m.id)).toEqual([bare, odd].sort())
  })

  it('[T10] a message marked removed reads empty whatever its content holds', () => {
    const { doc: base, thread } = boardWithThread()
    const id = newMessageId()
    const doc = fromFaultyPeer(base, (_yThreads, yMessages) => {
      yMessages.set(
        id,
        rawMap({ [MESSAGE.thread]: thread, [MESSAGE.removed]: true, [MESSAGE.content]: { body: 'secret', mentions: [BOB] } }),
      )
    })
    expect(readMessage(doc, id)).toMatchObject({ body: '', mentions: [], removed: true, removedAt: null })
  })

  it('[T12] ops still work on a doc holding malformed entries', () => {
    const base = newReplica()
    const doc = fromFaultyPeer(base, (yThreads) => yThreads.set(newThreadId(), 'junk'))
    const { clock } = manualClock()
    const thread = createThread(doc, { subject: { kind: 'board' }, title: 'Fine', author: ALICE }, { clock })
    postMessage(doc, say(thread, 'Still fine'), { clock })
    expect(readThreads(doc).map((t) => t.title)).toEqual(['Fine'])
  })
})
