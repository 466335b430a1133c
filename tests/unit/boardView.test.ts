import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  createBoardView,
  observeBoard,
  readBoard,
  renameBoard,
  renameProposal,
  setProposalStatus,
} from '../../shared/src'
import { ALICE, boardWith, copyOf, must, newReplica } from '../helpers/boards'

const input = { title: 'New', author: ALICE, authorName: 'Alice', createdAt: 5 }

describe('observeBoard', () => {
  it('calls back after local changes to the metadata, the proposal list, and a proposal\'s fields', () => {
    const { doc, ids } = boardWith(['One'])
    const onChange = vi.fn()
    const unobserve = observeBoard(doc, onChange)
    renameBoard(doc, 'Renamed')
    expect(onChange).toHaveBeenCalledTimes(1)
    addProposal(doc, input)
    expect(onChange).toHaveBeenCalledTimes(2)
    renameProposal(doc, must(ids[0]), 'Retitled')
    expect(onChange).toHaveBeenCalledTimes(3)
    setProposalStatus(doc, must(ids[0]), 'open')
    expect(onChange).toHaveBeenCalledTimes(4)
    unobserve()
  })

  it('calls back after remote changes', () => {
    const { doc } = boardWith(['One'])
    const peer = copyOf(doc)
    addProposal(peer, input)
    const onChange = vi.fn()
    const unobserve = observeBoard(doc, onChange)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer))
    expect(onChange).toHaveBeenCalled()
    unobserve()
  })

  it('does not call back for writes that change nothing, or for other shared types', () => {
    const { doc, ids } = boardWith(['One'])
    const onChange = vi.fn()
    const unobserve = observeBoard(doc, onChange)
    renameProposal(doc, must(ids[0]), 'One')
    doc.getMap('somethingElse').set('x', 1)
    expect(onChange).not.toHaveBeenCalled()
    unobserve()
  })

  it('returns an unsubscribe that stops the callbacks', () => {
    const { doc } = boardWith([])
    const onChange = vi.fn()
    const unobserve = observeBoard(doc, onChange)
    unobserve()
    renameBoard(doc, 'Renamed')
    addProposal(doc, input)
    expect(onChange).not.toHaveBeenCalled()
  })
})

describe('createBoardView', () => {
  it('returns the same snapshot object until the board changes', () => {
    const { doc } = boardWith(['One'])
    const view = createBoardView(doc)
    const first = view.getSnapshot()
    expect(view.getSnapshot()).toBe(first)
    expect(first).toEqual(readBoard(doc))
    expect(Object.isFrozen(first)).toBe(true)
    // A write that changes nothing keeps the snapshot.
    renameProposal(doc, must(first.proposals[0]).id, 'One')
    expect(view.getSnapshot()).toBe(first)

    const id = addProposal(doc, input)
    const second = view.getSnapshot()
    expect(second).not.toBe(first)
    expect(second.proposals.map((p) => p.id)).toContain(id)
    expect(second).toEqual(readBoard(doc))
    expect(view.getSnapshot()).toBe(second)
    // The old snapshot is untouched.
    expect(first.proposals).toHaveLength(1)
    view.destroy()
  })

  it('sees remote changes too', () => {
    const { doc } = boardWith(['One'])
    const view = createBoardView(doc)
    const first = view.getSnapshot()
    const peer = copyOf(doc)
    renameBoard(peer, 'From a peer')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer))
    expect(view.getSnapshot()).not.toBe(first)
    expect(view.getSnapshot().meta.name).toBe('From a peer')
    view.destroy()
  })

  it('notifies subscribers, with the new snapshot already available, until they unsubscribe', () => {
    const { doc } = boardWith([])
    const view = createBoardView(doc)
    const before = view.getSnapshot()
    const seen: string[] = []
    const first = vi.fn(() => seen.push(view.getSnapshot().meta.name))
    const second = vi.fn()
    const unsubscribeFirst = view.subscribe(first)
    const unsubscribeSecond = view.subscribe(second)
    renameBoard(doc, 'Renamed')
    expect(first).toHaveBeenCalledTimes(1)
    expect(second).toHaveBeenCalledTimes(1)
    expect(seen).toEqual(['Renamed'])
    expect(view.getSnapshot()).not.toBe(before)

    unsubscribeFirst()
    renameBoard(doc, 'Again')
    expect(first).toHaveBeenCalledTimes(1)
    expect(second).toHaveBeenCalledTimes(2)
    unsubscribeSecond()
    unsubscribeSecond() // unsubscribing twice is harmless
    renameBoard(doc, 'Once more')
    expect(second).toHaveBeenCalledTimes(2)
    view.destroy()
  })

  it('lets a subscriber unsubscribe while being notified without skipping the others', () => {
    const { doc } = boardWith([])
    const view = createBoardView(doc)
    const calls: string[] = []
    const unsubscribeA = view.subscribe(() => {
      calls.push('a')
      unsubscribeA()
    })
    view.subscribe(() => calls.push('b'))
    renameBoard(doc, 'Renamed')
    renameBoard(doc, 'Again')
    expect(calls).toEqual(['a', 'b', 'b'])
    view.destroy()
  })

  it('destroy stops observing and drops every subscriber', () => {
    const { doc } = boardWith([])
    const view = createBoardView(doc)
    const listener = vi.fn()
    view.subscribe(listener)
    view.destroy()
    renameBoard(doc, 'Renamed')
    addProposal(doc, input)
    expect(listener).not.toHaveBeenCalled()
  })

  it('works on a doc whose board has not arrived yet', () => {
    const doc = newReplica()
    const view = createBoardView(doc)
    expect(view.getSnapshot().meta.access).toBe('not-initialised')
    const listener = vi.fn()
    view.subscribe(listener)
    const { doc: source } = boardWith(['One'])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
    expect(listener).toHaveBeenCalled()
    expect(view.getSnapshot()).toEqual(readBoard(source))
    view.destroy()
  })
})
