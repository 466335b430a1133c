import type { RelayConfig } from '../config'
import { describeError, type Logger } from '../log'
import { DamagedRoomError, type DamagedRow, type DocStore } from '../storage/DocStore'
import type { RelayHealth } from './RelayHealth'
import type { RelayObserver } from './RelayObserver'
import { Room, type RoomPeer } from './Room'

/** Thrown by `acquire` when MAX_ROOMS rooms are in memory (SPEC [L4]). */
export class RoomCapacityError extends Error {
  override readonly name = 'RoomCapacityError'
}

/**
 * The rooms in memory. A room is loaded from storage when its first socket arrives and flushed
 * and unloaded as soon as its last socket leaves, so idle rooms cost nothing.
 *
 * Damage found in storage while a room loads is reported here (SPEC [D5]): one error line per
 * damaged row, the damaged-rows counter and a /healthz problem, each once per row however often
 * the room loads. A room whose snapshot is damaged is refused: `acquire` throws the
 * DamagedRoomError, and the socket is closed with a code the client retries.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Room>()
  readonly #store: DocStore
  readonly #config: RelayConfig
  readonly #observer: RelayObserver
  readonly #health: RelayHealth
  readonly #log: Logger
  /** `room\u0000rowId` of every damaged row reported so far. */
  readonly #reported = new Set<string>()

  constructor(store: DocStore, config: RelayConfig, observer: RelayObserver, health: RelayHealth, log: Logger) {
    // Rooms load themselves (and may reload); every load goes through the reporting store.
    this.#store = {
      load: (room) => {
        try {
          const log = store.load(room)
          if (log.damaged.length > 0) this.#reportDamage(room, log.damaged, false)
          return log
        } catch (error) {
          if (error instanceof DamagedRoomError) this.#reportDamage(room, error.damaged, true)
          throw error
        }
      },
      append: (room, update) => store.append(room, update),
      replace: (room, snapshot) => store.replace(room, snapshot),
      close: () => store.close(),
    }
    this.#config = config
    this.#observer = observer
    this.#health = health
    this.#log = log
  }

  get size(): number {
    return this.#rooms.size
  }

  /** The room, loaded if needed; throws RoomCapacityError, DamagedRoomError or a storage error. */
  acquire(name: string): Room {
    let room = this.#rooms.get(name)
    if (room === undefined) {
      if (this.#rooms.size >= this.#config.maxRooms) throw new RoomCapacityError('relay at room capacity')
      const started = performance.now()
      room = new Room(name, this.#store, this.#config, this.#observer, this.#log)
      this.#rooms.set(name, room)
      this.#observer.roomsInMemory(this.#rooms.size)
      this.#log.debug('room loaded', {
        room: name,
        storedUpdates: room.logSize.updates,
        ms: Math.round(performance.now() - started),
      })
    }
    return room
  }

  release(room: Room, peer: RoomPeer): void {
    if (room.removePeer(peer) && this.#rooms.get(room.name) === room) this.#unload(room)
  }

  closeAll(): void {
    for (const room of [...this.#rooms.values()]) this.#unload(room)
  }

  #reportDamage(room: string, damaged: readonly DamagedRow[], refused: boolean): void {
    const fresh = damaged.filter((row) => !this.#reported.has(`${room}\u0000${row.rowId}`))
    if (fresh.length === 0) return
    for (const row of fresh) {
      this.#reported.add(`${room}\u0000${row.rowId}`)
      const action = refused
        ? 'room refused until restored'
        : 'row left out; moved to quarantine at the next compaction'
      this.#log.error('stored row damaged', { room, rowId: row.rowId, kind: row.kind, reason: row.reason, action })
      // /healthz is public and a room name leads to its board: the room is named only in the log.
      this.#health.report(
        `stored row ${row.rowId} (${row.kind}) damaged: ${row.reason}; ${action} (the log names the room)`,
      )
    }
    this.#observer.storageDamaged(fresh.length)
  }

  #unload(room: Room): void {
    this.#rooms.delete(room.name)
    this.#observer.roomsInMemory(this.#rooms.size)
    try {
      room.close()
      this.#log.debug('room unloaded', { room: room.name })
    } catch (error) {
      this.#log.error('room flush failed', { room: room.name, error: describeError(error) })
    }
  }
}
