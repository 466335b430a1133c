import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addActor,
  createThread,
  DIALOGUE_LIMITS,
  editMessage,
  isMessageId,
  isThreadId,
  LOCAL_ORIGIN,
  MESSAGE,
  MESSAGE_STANCES,
  mentionToken,
  newMessageId,
  newProposalId,
  newThreadId,
  parseHlc,
  parseMentions,
  postMessage,
  readMessage,
  readThread,
  readThreads,
  removeMessage,
  requireText,
  ROOT_MESSAGES,
  ROOT_THREADS,
  THREAD,
  type ActorId,
  type MemberId,
  type MessageStance,
  type NewMessageInput,
  type NewThreadInput,
  type ThreadId,
  type ThreadSubject,
} from '../../shared/src'
import { ALICE, BOB, boardWith, copyOf, expectRefused, must, syncAll, transactionsDuring } from '../helpers/boards'
import { boardWithThread, manualClock, NODE_B } from '../helpers/dialogue'

const CAROL = 'CarolCarolCarolCarol01' as MemberId

const say = (threadId: ThreadId, body: string, extra: Partial<NewMessageInput> = {}): NewMessageInput => ({
  threadId,
  author: ALICE,
  body,
  stance: 'information',
  ...extra,
})

describe('[T1][T2] createThread', () => {
  it('[T2] starts a thread about the board, in one transaction, with an HLC createdAt', () => {
    const { doc } = boardWith([])
    const { clock } = manualClock()
    let id: ThreadId | undefined
    const origins = transactionsDuring(doc, () => {
      id = createThread(doc, { subject: { kind: 'board' }, title: '  Garden rules ', author: ALICE }, { clock })
    })
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(isThreadId(id)).toBe(true)
    const [thread] = readThreads(doc)
    expect(thread).toEqual({
      id,
      subject: { kind: 'board' },
      title: 'Garden rules',
      author: ALICE,
      createdAt: clock.peek(),
    })
    expect(Object.isFrozen(thread)).toBe(true)
    // [T1] one Y.Map in the top-level `threads` map, with no subject id for the board.
    const yThread = doc.getMap<Y.Map<unknown>>(ROOT_THREADS).get(must(id))
    expect(yThread).toBeInstanceOf(Y.Map)
    expect(yThread?.get(THREAD.id)).toBe(id)
    expect(yThread?.has(THREAD.subjectId)).toBe(false)
  })

  it('[T2] attaches threads to a proposal or an actor', () => {
    const { doc, ids } = boardWith(['Compost'])
    const { clock } = manualClock()
    const proposal = must(ids[0])
    const actor = addActor(doc, { name: 'The river', kind: 'non-human' })
    const start = (subject: ThreadSubject, title: string) => createThread(doc, { subject, title, author: BOB }, { clock })
    const onProposal = start({ kind: 'proposal', id: proposal }, 'Bins')
    const onActor = start({ kind: 'actor', id: actor }, 'The river')
    expect(readThreads(doc, { kind: 'proposal', id: proposal }).map((t) => t.id)).toEqual([onProposal])
    expect(readThreads(doc, { kind: 'actor', id: actor }).map((t) => t.id)).toEqual([onActor])
    expect(readThreads(doc, { kind: 'board' })).toEqual([])
    expect(readThreads(doc).map((t) => t.id)).toEqual([onProposal, onActor])
  })

  it('[T2] refuses a bad subject, title or author, writing nothing', () => {
    const { doc } = boardWith(['Compost'])
    const { clock } = manualClock()
    const input = { subject: { kind: 'board' }, title: 'Rules', author: ALICE } as const
    const create = (changes: Partial<NewThreadInput>) => () => createThread(doc, { ...input, ...changes }, { clock })
    const unknownActor = newThreadId() as string as ActorId
    expectRefused(doc, create({ subject: { kind: 'planet' } as never }), 'invalid-input', 'subject')
    expectRefused(doc, create({ subject: null as never }), 'invalid-input', 'subject')
    expectRefused(doc, create({ subject: { kind: 'proposal', id: 'x' } as never }), 'invalid-input', 'subject')
    expectRefused(doc, create({ subject: { kind: 'proposal', id: newProposalId() } }), 'not-found', 'subject')
    expectRefused(doc, create({ subject: { kind: 'actor', id: 'the river' as ActorId } }), 'invalid-input', 'subject')
    expectRefused(doc, create({ subject: { kind: 'actor', id: unknownActor } }), 'not-found', 'subject')
    expectRefused(doc, create({ title: '  ' }), 'invalid-input', 'title')
    expectRefused(doc, create({ title: 'a\nb' }), 'invalid-input', 'title')
    expectRefused(doc, create({ title: 'x'.repeat(DIALOGUE_LIMITS.threadTitleMax + 1) }), 'invalid-input', 'title')
    expectRefused(doc, create({ author: 'nobody' as MemberId }), 'invalid-input', 'author')
    expect(create({ title: 'x'.repeat(DIALOGUE_LIMITS.threadTitleMax) })()).toBeTruthy()
  })
})

describe('[T1][T3] postMessage', () => {
  it('[T3] posts a top-level message in one transaction; it reads at once, before any sync', () => {
    const { doc, thread, clock } = boardWithThread()
    let id: ReturnType<typeof postMessage> | undefined
    const origins = transactionsDuring(doc, () => {
      id = postMessage(doc, say(thread, '  Shall we\r\nmeet on Sunday?  ', { stance: 'question' }), { clock })
    })
    expect(origins).toEqual([LOCAL_ORIGIN])
    expect(isMessageId(id)).toBe(true)
    expect(readMessage(doc, must(id))).toEqual({
      id,
      thread,
      parent: null,
      author: ALICE,
      body: 'Shall we\nmeet on Sunday?',
      stance: 'question',
      mentions: [],
      createdAt: clock.peek(),
      edited: false,
      editedAt: null,
      removed: false,
      removedAt: null,
    })
    expect(must(readThread(doc, thread)).messages.map((m) => [m.id, m.depth])).toEqual([[id, 0]])
    const yMessage = doc.getMap<Y.Map<unknown>>(ROOT_MESSAGES).get(must(id))
    expect(yMessage?.get(MESSAGE.thread)).toBe(thread)
  })

  it('[T3] puts replies under the right parent, nesting to any depth', () => {
    const { doc, thread, clock } = boardWithThread()
    const a = postMessage(doc, say(thread, 'A'), { clock })
    const b = postMessage(doc, say(thread, 'B'), { clock })
    const a1 = postMessage(doc, say(thread, 'A1', { parentId: a, author: BOB }), { clock })
    const b1 = postMessage(doc, say(thread, 'B1', { parentId: b }), { clock })
    const a1x = postMessage(doc, say(thread, 'A1x', { parentId: a1 }), { clock })
    const a2 = postMessage(doc, say(thread, 'A2', { parentId: a }), { clock })
    let deep = a1x
    for (let i = 0; i < 5; i++) deep = postMessage(doc, say(thread, `deep ${i}`, { parentId: deep }), { clock })
    const view = must(readThread(doc, thread))
    expect(view.messages.slice(0, 6).map((m) => [m.body, m.depth, m.parent])).toEqual([
      ['A', 0, null],
      ['A1', 1, a],
      ['A1x', 2, a1],
      ['deep 0', 3, a1x],
      ['deep 1', 4, view.messages[3]?.id],
      ['deep 2', 5, view.messages[4]?.id],
    ])
    expect(view.messages.slice(8).map((m) => [m.id, m.depth])).toEqual([
      [a2, 1],
      [b, 0],
      [b1, 1],
    ])
    expect(view.messages.every((m) => !m.detached)).toBe(true)
  })

  it('[T3] keeps every stance tag', () => {
    const { doc, thread, clock } = boardWithThread()
    for (const stance of MESSAGE_STANCES) postMessage(doc, say(thread, stance, { stance }), { clock })
    expect(must(readThread(doc, thread)).messages.map((m) => [m.body, m.stance])).toEqual(
      MESSAGE_STANCES.map((s) => [s, s]),
    )
  })

  it('[T3] refuses bad input, writing nothing', () => {
    const { doc, thread, clock } = boardWithThread()
    const other = createThread(doc, { subject: { kind: 'board' }, title: 'Other', author: ALICE }, { clock })
    const elsewhere = postMessage(doc, say(other, 'Elsewhere'), { clock })
    const post = (input: NewMessageInput) => () => postMessage(doc, input, { clock })
    expectRefused(doc, post(say(newThreadId(), 'Hi')), 'not-found', 'threadId')
    expectRefused(doc, post(say('nope' as ThreadId, 'Hi')), 'not-found', 'threadId')
    expectRefused(doc, post(say(thread, 'Hi', { parentId: newMessageId() })), 'not-found', 'parentId')
    expectRefused(doc, post(say(thread, 'Hi', { parentId: elsewhere })), 'invalid-input', 'parentId')
    expectRefused(doc, post(say(thread, 'Hi', { author: 'x' as MemberId })), 'invalid-input', 'author')
    expectRefused(doc, post(say(thread, ' \n\t ')), 'invalid-input', 'body')
    expectRefused(doc, post(say(thread, 'x'.repeat(DIALOGUE_LIMITS.messageBodyMax + 1))), 'invalid-input', 'body')
    expectRefused(doc, post(say(thread, 'nul\u0000')), 'invalid-input', 'body')
    expectRefused(doc, post(say(thread, 'Hi', { stance: 'maybe' as MessageStance })), 'invalid-input', 'stance')
    expectRefused(doc, post(say(thread, 'Hi', { mentions: ['x' as MemberId] })), 'invalid-input', 'mentions')
    expect(postMessage(doc, say(thread, '🌱'.repeat(DIALOGUE_LIMITS.messageBodyMax)), { clock })).toBeTruthy()
  })

  it('[T7] stamps a message later than every message of its thread this device has', () => {
    const { doc, thread, clock } = boardWithThread()
    const peer = copyOf(doc)
    // A peer whose wall clock is an hour ahead posts first.
    const { clock: ahead, time } = manualClock(NODE_B, 1_000_000 + 3_600_000)
    postMessage(peer, say(thread, 'From the future', { author: BOB }), { clock: ahead })
    time.now += 1
    syncAll(doc, peer)
    const mine = postMessage(doc, say(thread, 'Mine'), { clock })
    const view = must(readThread(doc, thread))
    expect(view.messages.map((m) => m.body)).toEqual(['From the future', 'Mine'])
    expect(parseHlc(must(readMessage(doc, mine)?.createdAt)).wall).toBe(1_000_000 + 3_600_000)
  })
})

describe('[T4] mentions', () => {
  it('[T4] are parsed from <@memberId> tokens, each once, in order of first mention', () => {
    const body = `Ask ${mentionToken(BOB)} and ${mentionToken(CAROL)}, and ${mentionToken(BOB)} again; <@short> is not one.`
    expect(parseMentions(body)).toEqual([BOB, CAROL])
    const { doc, thread, clock } = boardWithThread()
    const id = postMessage(doc, say(thread, body), { clock })
    expect(readMessage(doc, id)?.mentions).toEqual([BOB, CAROL])
  })

  it('[T4] an explicit list replaces parsing, deduplicated', () => {
    const { doc, thread, clock } = boardWithThread()
    const id = postMessage(doc, say(thread, `Hi ${mentionToken(BOB)}`, { mentions: [CAROL, ALICE, CAROL] }), { clock })
    expect(readMessage(doc, id)?.mentions).toEqual([CAROL, ALICE])
    const none = postMessage(doc, say(thread, `Hi ${mentionToken(BOB)}`, { mentions: [] }), { clock })
    expect(readMessage(doc, none)?.mentions).toEqual([])
  })

  it('[T4] at most 50 distinct mentions, parsed or explicit', () => {
    const { doc, thread, clock } = boardWithThread()
    const members = Array.from({ length: 51 }, (_, i) => `Member${String(i).padStart(2, '0')}MemberMember00` as MemberId)
    const fifty = members.slice(0, 50)
    expect(readMessage(doc, postMessage(doc, say(thread, 'x', { mentions: [...fifty, ...fifty] }), { clock }))?.mentions).toEqual(fifty)
    expectRefused(doc, () => postMessage(doc, say(thread, 'x', { mentions: members }), { clock }), 'invalid-input', 'mentions')
    const body = members.map(mentionToken).join(' ')
    expectRefused(doc, () => postMessage(doc, say(thread, body), { clock }), 'invalid-input', 'mentions')
  })
})

describe('[T9] editMessage', () => {
  it('[T9] the author replaces body, stance and mentions; the message reads as edited', () => {
    const { doc, thread, clock, time } = boardWithThread()
    const id = postMessage(doc, say(thread, `Hi ${mentionToken(BOB)}`, { stance: 'question' }), { clock })
    const created = must(readMessage(doc, id)).createdAt
    time.now += 60_000
    const origins = transactionsDuring(doc, () =>
      editMessage(doc, { messageId: id, editor: ALICE, body: `Hi ${mentionToken(CAROL)}\nand all`, stance: 'for' }, { clock }),
    )
    expect(origins).toEqual([LOCAL_ORIGIN])
    const edited = must(readMessage(doc, id))
    expect(edited).toMatchObject({
      body: `Hi ${mentionToken(CAROL)}\nand all`,
      stance: 'for',
      mentions: [CAROL],
      edited: true,
      createdAt: created,
      removed: false,
    })
    expect(edited.editedAt).toBe(clock.peek())
    expect(must(edited.editedAt) > must(created)).toBe(true)
  })

  it('[T9] keeps the stance when none is given, and writes nothing when nothing changes', () => {
    const { doc, thread, clock } = boardWithThread()
    const id = postMessage(doc, say(thread, 'Hi', { stance: 'against' }), { clock })
    expect(transactionsDuring(doc, () => editMessage(doc, { messageId: id, editor: ALICE, body: ' Hi ' }, { clock }))).toEqual([])
    expect(readMessage(doc, id)?.edited).toBe(false)
    editMessage(doc, { messageId: id, editor: ALICE, body: 'Hello' }, { clock })
    expect(readMessage(doc, id)).toMatchObject({ body: 'Hello', stance: 'against', edited: true })
  })

  it('[T9] anyone but the author is refused with forbidden, and nothing is written', () => {
    const { doc, thread, clock } = boardWithThread()
    const id = postMessage(doc, say(thread, 'Hi'), { clock })
    const error = expectRefused(doc, () => editMessage(doc, { messageId: id, editor: BOB, body: 'Mine now' }, { clock }), 'forbidden', 'editor')
    expect(error.message).toMatch(/author/)
    expect(readMessage(doc, id)).toMatchObject({ body: 'Hi', edited: false })
  })

  it('[T9] refuses a missing message, a removed one, and bad input', () => {
    const { doc, thread, clock } = boardWithThread()
    const id = postMessage(doc, say(thread, 'Hi'), { clock })
    const edit = (input: Parameters<typeof editMessage>[1]) => () => editMessage(doc, input, { clock })
    expectRefused(doc, edit({ messageId: newMessageId(), editor: ALICE, body: 'x' }), 'not-found', 'messageId')
    expectRefused(doc, edit({ messageId: 'x' as never, editor: ALICE, body: 'x' }), 'invalid-input', 'messageId')
    expectRefused(doc, edit({ messageId: id, editor: 'x' as MemberId, body: 'x' }), 'invalid-input', 'editor')
    expectRefused(doc, edit({ messageId: id, editor: ALICE, body: '' }), 'invalid-input', 'body')
    expectRefused(doc, edit({ messageId: id, editor: ALICE, body: 'x', stance: 'meh' as MessageStance }), 'invalid-input', 'stance')
    expectRefused(doc, edit({ messageId: id, editor: ALICE, body: 'x', mentions: ['x' as MemberId] }), 'invalid-input', 'mentions')
    removeMessage(doc, { messageId: id, remover: ALICE }, { clock })
    expectRefused(doc, edit({ messageId: id, editor: ALICE, body: 'Back' }), 'invalid-input', 'messageId')
  })

  it('[T9] concurrent edits never mix: one survives whole, the same on both replicas', () => {
    const { doc: a, thread, clock } = boardWithThread()
    const id = postMessage(a, say(thread, `Hi ${mentionToken(BOB)}`), { clock })
    const b = copyOf(a)
    const { clock: clockB } = manualClock(NODE_B)
    editMessage(a, { messageId: id, editor: ALICE, body: `From A ${mentionToken(CAROL)}`, stance: 'for' }, { clock })
    editMessage(b, { messageId: id, editor: ALICE, body: 'From B', stance: 'against', mentions: [] }, { clock: clockB })
    syncAll(a, b)
    const [ma, mb] = [must(readMessage(a, id)), must(readMessage(b, id))]
    expect(ma).toEqual(mb)
    expect([
      { body: `From A ${mentionToken(CAROL)}`, stance: 'for', mentions: [CAROL] },
      { body: 'From B', stance: 'against', mentions: [] },
    ]).toContainEqual({ body: ma.body, stance: ma.stance, mentions: ma.mentions })
  })
})

describe('[T10] removeMessage', () => {
  it('[T10] keeps the message in place with its replies, body and mentions cleared', () => {
    const { doc, thread, clock } = boardWithThread()
    const a = postMessage(doc, say(thread, `Hi ${mentionToken(BOB)}`, { stance: 'against' }), { clock })
    const reply = postMessage(doc, say(thread, 'Reply', { parentId: a, author: BOB }), { clock })
    const after = postMessage(doc, say(thread, 'After'), { clock })
    const origins = transactionsDuring(doc, () => removeMessage(doc, { messageId: a, remover: ALICE }, { clock }))
    expect(origins).toEqual([LOCAL_ORIGIN])
    const view = must(readThread(doc, thread))
    expect(view.messages.map((m) => [m.id, m.depth, m.body, m.removed])).toEqual([
      [a, 0, '', true],
      [reply, 1, 'Reply', false],
      [after, 0, 'After', false],
    ])
    expect(view.messages[0]).toMatchObject({ mentions: [], stance: 'against', author: ALICE, removedAt: clock.peek() })
    // Replying to a removed message is allowed: a concurrent reply could not be prevented anyway.
    const late = postMessage(doc, say(thread, 'Late', { parentId: a }), { clock })
    expect(readMessage(doc, late)?.parent).toBe(a)
  })

  it('[T10] anyone but the author is refused with forbidden, and nothing is written', () => {
    const { doc, thread, clock } = boardWithThread()
    const id = postMessage(doc, say(thread, 'Hi'), { clock })
    expectRefused(doc, () => removeMessage(doc, { messageId: id, remover: BOB }, { clock }), 'forbidden', 'remover')
    expectRefused(doc, () => removeMessage(doc, { messageId: newMessageId(), remover: ALICE }, { clock }), 'not-found', 'messageId')
    expectRefused(doc, () => removeMessage(doc, { messageId: id, remover: 'x' as MemberId }, { clock }), 'invalid-input', 'remover')
    expect(readMessage(doc, id)).toMatchObject({ body: 'Hi', removed: false })
  })

  it('[T10] removing twice writes nothing the second time', () => {
    const { doc, thread, clock } = boardWithThread()
    const id = postMessage(doc, say(thread, 'Hi'), { clock })
    removeMessage(doc, { messageId: id, remover: ALICE }, { clock })
    expect(transactionsDuring(doc, () => removeMessage(doc, { messageId: id, remover: ALICE }, { clock }))).toEqual([])
  })

  it('[T10] removal wins over a concurrent edit, on every replica', () => {
    const { doc: a, thread, clock } = boardWithThread()
    const id = postMessage(a, say(thread, `Hi ${mentionToken(BOB)}`), { clock })
    const b = copyOf(a)
    removeMessage(a, { messageId: id, remover: ALICE }, { clock })
    editMessage(b, { messageId: id, editor: ALICE, body: `Edited ${mentionToken(CAROL)}` }, { clock: manualClock(NODE_B).clock })
    syncAll(a, b)
    for (const doc of [a, b]) expect(readMessage(doc, id)).toMatchObject({ body: '', mentions: [], removed: true })
    expect(readMessage(a, id)).toEqual(readMessage(b, id))
  })
})

describe('[T3] requireText', () => {
  it('[T3] trims, normalises line endings, keeps tabs and newlines', () => {
    expect(requireText('body', 'Message', '\n  a\r\n\tb\rc  \n', 100)).toBe('a\n\tb\nc')
  })

  it('[T3] refuses non-text, empty, blank, over-long and control characters, naming the field', () => {
    for (const bad of [undefined, 5, '', ' \n\r\n\t ', 'x'.repeat(11), 'a\u0000b', 'a\u0007b', 'a\u007fb', 'a\u0085b']) {
      expect(() => requireText('body', 'Message', bad, 10)).toThrow(expect.objectContaining({ field: 'body', code: 'invalid-input' }))
    }
    // Code points, not UTF-16 units.
    expect(requireText('body', 'Message', '🌱'.repeat(10), 10)).toBe('🌱'.repeat(10))
  })
})
