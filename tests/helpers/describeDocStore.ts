import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DamagedRoomError, type DocStore } from '../../server/src/storage/DocStore'
import { seededRandom } from './prng'

/** How the suite damages what a store keeps, below the store (as a failing disk would). */
export interface StoreDamage {
  /**
   * Changes some of the stored copy of `bytes` (a row written by `append` or `replace`) in the
   * store's data under `dir`. No store is open on `dir` when it is called.
   */
  damageStored(dir: string, bytes: Uint8Array): void
}

/**
 * The acceptance suite every DocStore must pass (see server/src/storage/DocStore.ts). It talks to
 * the store only through the interface. `makeStore(dir)` opens a store whose data lives under
 * `dir` (an empty temp directory per test); calling it again with the same `dir` after `close()`
 * must reopen the same data. With `damage`, it also checks that damaged rows are never served as
 * if whole (SPEC [D5]).
 */
export const describeDocStore = (name: string, makeStore: (dir: string) => DocStore, damage?: StoreDamage): void => {
  describe(`[Y2] DocStore acceptance: ${name}`, () => {
    const open: { store: DocStore; closed: boolean }[] = []
    const dirs: string[] = []

    /** A store on `dir` (a fresh temp dir by default); closed after the test unless the test did. */
    const storeIn = (dir = tempDir()): { store: DocStore; dir: string; close(): void } => {
      const entry = { store: makeStore(dir), closed: false }
      open.push(entry)
      return {
        store: entry.store,
        dir,
        close: () => {
          entry.closed = true
          entry.store.close()
        },
      }
    }

    const tempDir = (): string => {
      const dir = mkdtempSync(join(tmpdir(), 'peerboard-docstore-'))
      dirs.push(dir)
      return dir
    }

    afterEach(() => {
      for (const entry of open.splice(0)) if (!entry.closed) entry.store.close()
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    })

    const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values)
    const sum = (updates: Uint8Array[]): number => updates.reduce((total, u) => total + u.byteLength, 0)
    /** Loaded updates as plain arrays, for equality that ignores Buffer vs Uint8Array. */
    const plain = (updates: Uint8Array[]): number[][] => updates.map((u) => [...u])

    it('a room never written loads as an empty log', () => {
      const { store } = storeIn()
      expect(store.load('never-written')).toEqual({ updates: [], bytes: 0, damaged: [] })
    })

    it('append then load returns every update, oldest first, with their total size', () => {
      const { store } = storeIn()
      const written = [bytes(1), bytes(2, 3), bytes(4, 5, 6), bytes(7)]
      for (const update of written) store.append('room', update)
      const log = store.load('room')
      expect(plain(log.updates)).toEqual(plain(written))
      expect(log.bytes).toBe(sum(written))
      expect(log.damaged).toEqual([])
      for (const update of log.updates) expect(update).toBeInstanceOf(Uint8Array)
    })

    it('keeps the order of many appends', () => {
      const { store } = storeIn()
      const written = Array.from({ length: 1000 }, (_, i) => bytes(i & 0xff, i >> 8, 7))
      for (const update of written) store.append('many', update)
      const log = store.load('many')
      expect(log.updates).toHaveLength(1000)
      expect(plain(log.updates)).toEqual(plain(written))
      expect(log.bytes).toBe(3000)
    })

    it('binary data comes back byte for byte (every byte value, NULs, large blobs)', () => {
      const { store } = storeIn()
      const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i)
      const nuls = new Uint8Array(64)
      const large = new Uint8Array(2 * 1024 * 1024)
      for (let i = 0; i < large.length; i++) large[i] = (i * 7919 + (i >> 11)) & 0xff
      store.append('binary', everyByte)
      store.append('binary', nuls)
      store.append('binary', large)
      const log = store.load('binary')
      expect(log.updates).toHaveLength(3)
      expect(Buffer.from(log.updates[0] as Uint8Array).equals(Buffer.from(everyByte))).toBe(true)
      expect(Buffer.from(log.updates[1] as Uint8Array).equals(Buffer.from(nuls))).toBe(true)
      expect(Buffer.from(log.updates[2] as Uint8Array).equals(Buffer.from(large))).toBe(true)
      expect(log.bytes).toBe(256 + 64 + large.byteLength)
    })

    it('stores exactly the bytes of a view into a larger buffer, and of a Buffer', () => {
      const { store } = storeIn()
      const backing = Uint8Array.from({ length: 32 }, (_, i) => i)
      store.append('views', backing.subarray(10, 14))
      store.append('views', Buffer.from([200, 201]))
      const log = store.load('views')
      expect(plain(log.updates)).toEqual([
        [10, 11, 12, 13],
        [200, 201],
      ])
      expect(log.bytes).toBe(6)
    })

    it('keeps its own copies: changing a written or a loaded array changes nothing stored', () => {
      const { store } = storeIn()
      const update = bytes(1, 2, 3)
      store.append('copies', update)
      update[0] = 99
      const first = store.load('copies')
      expect(plain(first.updates)).toEqual([[1, 2, 3]])
      ;(first.updates[0] as Uint8Array)[1] = 99
      store.append('copies', bytes(4))
      // A later load is unaffected, and so is the earlier result by the later append.
      expect(plain(store.load('copies').updates)).toEqual([[1, 2, 3], [4]])
      expect(first.updates).toHaveLength(1)
    })

    it('rooms are isolated, including names that share prefixes or look like patterns', () => {
      const { store } = storeIn()
      const rooms = ['a', 'A', 'ab', 'a.p.b', 'a_', 'a%', 'x'.repeat(100)]
      rooms.forEach((room, i) => store.append(room, bytes(i)))
      rooms.forEach((room, i) => {
        expect(plain(store.load(room).updates), room).toEqual([[i]])
      })
      store.replace('a', bytes(42, 42))
      rooms.slice(1).forEach((room, i) => {
        expect(plain(store.load(room).updates), room).toEqual([[i + 1]])
      })
      expect(plain(store.load('a').updates)).toEqual([[42, 42]])
    })

    it('replace turns the whole log into one snapshot, and later appends follow it', () => {
      const { store } = storeIn()
      for (let i = 0; i < 5; i++) store.append('compact', bytes(i))
      store.replace('compact', bytes(9, 9, 9))
      expect(store.load('compact')).toMatchObject({ bytes: 3 })
      expect(plain(store.load('compact').updates)).toEqual([[9, 9, 9]])
      store.append('compact', bytes(10))
      store.append('compact', bytes(11))
      expect(plain(store.load('compact').updates)).toEqual([[9, 9, 9], [10], [11]])
      store.replace('compact', bytes(8))
      expect(plain(store.load('compact').updates)).toEqual([[8]])
    })

    it('replace on a room never written creates its log', () => {
      const { store } = storeIn()
      store.replace('fresh', bytes(1, 2))
      expect(store.load('fresh')).toMatchObject({ bytes: 2 })
      expect(plain(store.load('fresh').updates)).toEqual([[1, 2]])
    })

    it('reopening on the same location keeps every room as it was', () => {
      const first = storeIn()
      first.store.append('kept', bytes(1))
      first.store.append('kept', bytes(2))
      first.store.append('compacted', bytes(3))
      first.store.append('compacted', bytes(4))
      first.store.replace('compacted', bytes(5, 6))
      first.close()

      const second = storeIn(first.dir)
      expect(plain(second.store.load('kept').updates)).toEqual([[1], [2]])
      expect(plain(second.store.load('compacted').updates)).toEqual([[5, 6]])
      second.store.append('kept', bytes(7))
      second.close()

      const third = storeIn(first.dir)
      expect(plain(third.store.load('kept').updates)).toEqual([[1], [2], [7]])
      expect(third.store.load('kept').bytes).toBe(3)
    })

    it('round-trips real Yjs updates: the loaded log and its snapshot rebuild the same document', () => {
      const { store, dir, close } = storeIn()
      const doc = new Y.Doc()
      doc.on('update', (update: Uint8Array) => store.append('yjs', update))
      const text = doc.getText('text')
      for (let i = 0; i < 200; i++) {
        if (i % 7 === 6) text.delete(0, 1)
        else text.insert(text.length, String.fromCodePoint(0x41 + (i % 26), 0x1f600 + (i % 10)))
        if (i % 50 === 0) doc.getMap('meta').set(`k${i}`, { i, bytes: bytes(i, 0, 255) })
      }
      const rebuilt = new Y.Doc()
      for (const update of store.load('yjs').updates) Y.applyUpdate(rebuilt, update)
      expect(rebuilt.getText('text').toString()).toBe(text.toString())
      expect(rebuilt.getMap('meta').toJSON()).toEqual(doc.getMap('meta').toJSON())

      store.replace('yjs', Y.encodeStateAsUpdate(rebuilt))
      close()
      const reopened = storeIn(dir)
      const fromSnapshot = new Y.Doc()
      const log = reopened.store.load('yjs')
      expect(log.updates).toHaveLength(1)
      for (const update of log.updates) Y.applyUpdate(fromSnapshot, update)
      expect(fromSnapshot.getText('text').toString()).toBe(text.toString())
      expect(Y.encodeStateVector(fromSnapshot)).toEqual(Y.encodeStateVector(doc))
    })

    if (damage === undefined) return

    /** Bytes no other row shares (so the damage lands on exactly this one). */
    const distinct = (seed: number, length = 256): Uint8Array => {
      const random = seededRandom(seed)
      return Uint8Array.from({ length }, () => Math.floor(random() * 256))
    }

    /** A closed store's data under a fresh dir holding `fill`'s rows, then `damaged` damaged. */
    const damagedStore = (fill: (store: DocStore) => void, damaged: Uint8Array): ReturnType<typeof storeIn> => {
      const first = storeIn()
      fill(first.store)
      first.close()
      damage.damageStored(first.dir, damaged)
      return storeIn(first.dir)
    }

    it('[D5] a damaged update is left out of the log and listed in damaged; the rest loads', () => {
      const [snapshot, good, bad, later] = [distinct(1), distinct(2), distinct(3), distinct(4)]
      const { store } = damagedStore((s) => {
        s.replace('room', snapshot)
        s.append('room', good)
        s.append('room', bad)
        s.append('room', later)
      }, bad)
      const log = store.load('room')
      expect(plain(log.updates)).toEqual(plain([snapshot, good, later]))
      expect(log.bytes).toBe(sum([snapshot, good, later]))
      expect(log.damaged).toHaveLength(1)
      expect(log.damaged[0]).toMatchObject({ kind: 'update' })
      expect(typeof log.damaged[0]?.rowId).toBe('number')
      expect(log.damaged[0]?.reason).not.toBe('')
      // Loading again reports it again: nothing was dropped behind the caller's back.
      expect(store.load('room').damaged).toEqual(log.damaged)
    })

    it('[D5] a damaged snapshot: load throws a DamagedRoomError naming the room, never an empty or partial log', () => {
      const [snapshot, after] = [distinct(5), distinct(6)]
      const { store } = damagedStore((s) => {
        s.replace('big room', snapshot)
        s.append('big room', after)
      }, snapshot)
      let thrown: unknown = null
      try {
        store.load('big room')
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(DamagedRoomError)
      const error = thrown as DamagedRoomError
      expect(error.room).toBe('big room')
      expect(error.message).toContain('big room')
      expect(error.damaged.map((row) => row.kind)).toEqual(['snapshot'])
    })

    it('[D5] a room whose every row is damaged is refused, not served empty', () => {
      const only = distinct(7)
      const { store } = damagedStore((s) => s.append('single', only), only)
      expect(() => store.load('single')).toThrow(DamagedRoomError)
    })

    it('[D5] damage in one room leaves the others whole', () => {
      const [mine, theirs] = [distinct(8), distinct(9)]
      const { store } = damagedStore((s) => {
        s.replace('mine', mine)
        s.replace('theirs', theirs)
        s.append('theirs', bytes(1, 2, 3))
      }, mine)
      expect(() => store.load('mine')).toThrow(DamagedRoomError)
      const log = store.load('theirs')
      expect(plain(log.updates)).toEqual(plain([theirs, bytes(1, 2, 3)]))
      expect(log).toMatchObject({ bytes: 259, damaged: [] })
    })

    it('[D5] replace after damage: the log is the new snapshot alone, new writes are whole, and it survives a reopen', () => {
      const [snapshot, bad] = [distinct(10), distinct(11)]
      const { store, dir, close } = damagedStore((s) => {
        s.replace('room', snapshot)
        s.append('room', bad)
      }, bad)
      expect(store.load('room').damaged).toHaveLength(1)
      store.replace('room', bytes(7, 7))
      store.append('room', bytes(8))
      expect(store.load('room')).toMatchObject({ bytes: 3, damaged: [] })
      close()
      const reopened = storeIn(dir)
      expect(plain(reopened.store.load('room').updates)).toEqual([[7, 7], [8]])
      expect(reopened.store.load('room').damaged).toEqual([])
    })
  })
}
