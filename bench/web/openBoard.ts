import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import { readBoard, readThreads } from '../../shared/src'

/**
 * The W5 board-open page. The benchmark calls these from Playwright, each in a fresh page:
 * - benchSeed(name): stores /board.bin in IndexedDB as y-indexeddb does (one row), and reads it back;
 * - benchOpen(name): opens it from IndexedDB into a new Y.Doc and reads the board and its threads;
 * - benchFloor(): Y.applyUpdate of /board.bin (fetched before the clock starts) into a new Y.Doc.
 */
declare global {
  interface Window {
    benchSeed(name: string): Promise<number>
    benchOpen(name: string): Promise<{ loadMs: number; readMs: number; proposals: number; threads: number }>
    benchFloor(): Promise<{ ms: number; proposals: number }>
  }
}

const fetchState = async (): Promise<Uint8Array> => new Uint8Array(await (await fetch('/board.bin')).arrayBuffer())

window.benchSeed = async (name) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, await fetchState())
  const persistence = new IndexeddbPersistence(name, doc)
  await persistence.whenSynced
  await persistence.destroy()
  // Read it back: IndexedDB orders this read after the write, so the row is committed before the
  // page goes away (closing a page aborts a transaction still in flight).
  const check = new Y.Doc()
  const reader = new IndexeddbPersistence(name, check)
  await reader.whenSynced
  await reader.destroy()
  return readBoard(check).proposals.length
}

window.benchOpen = async (name) => {
  const started = performance.now()
  const doc = new Y.Doc()
  const persistence = new IndexeddbPersistence(name, doc)
  await persistence.whenSynced
  const loaded = performance.now()
  const board = readBoard(doc)
  const threads = readThreads(doc)
  const read = performance.now()
  await persistence.destroy()
  return { loadMs: loaded - started, readMs: read - loaded, proposals: board.proposals.length, threads: threads.length }
}

window.benchFloor = async () => {
  const state = await fetchState()
  const started = performance.now()
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const ms = performance.now() - started
  return { ms, proposals: readBoard(doc).proposals.length }
}
