import type { RelayConfig } from '../config'
import { describeError, type Logger } from '../log'
import type { DocStore } from '../storage/DocStore'
import type { RelayObserver } from './RelayObserver'
import { Room, type RoomPeer } from './Room'

/** Thrown by `acquire` when MAX_ROOMS rooms are in memory (SPEC [L4]). */
export class RoomCapacityError extends Error {
  override readonly name = 'RoomCapacityError'
}

/**
 * The rooms in memory. A room is loaded from storage when its first socket arrives and flushed
 * and unloaded as soon as its last socket leaves, so idle rooms cost nothing.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Room>()
  readonly #store: DocStore
  readonly #config: RelayConfig
  readonly #observer: RelayObserver
  readonly #log: Logger

  constructor(store: DocStore, config: RelayConfig, observer: RelayObserver, log: Logger) {
    this.#store = store
    this.#config = config
    this.#observer = observer
    this.#log = log
  }

  get size(): number {
    return this.#rooms.size
  }

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
