import type { RelayConfig } from '../config'
import { describeError, type Logger } from '../log'
import type { DocStore } from '../storage/DocStore'
import { Room, type RoomPeer } from './Room'

/**
 * The rooms in memory. A room is loaded from storage when its first socket arrives and flushed
 * and unloaded as soon as its last socket leaves, so idle rooms cost nothing.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Room>()
  readonly #store: DocStore
  readonly #config: RelayConfig
  readonly #log: Logger

  constructor(store: DocStore, config: RelayConfig, log: Logger) {
    this.#store = store
    this.#config = config
    this.#log = log
  }

  get size(): number {
    return this.#rooms.size
  }

  acquire(name: string): Room {
    let room = this.#rooms.get(name)
    if (room === undefined) {
      const started = performance.now()
      room = new Room(name, this.#store, this.#config, this.#log)
      this.#rooms.set(name, room)
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
    try {
      room.close()
      this.#log.debug('room unloaded', { room: room.name })
    } catch (error) {
      this.#log.error('room flush failed', { room: room.name, error: describeError(error) })
    }
  }
}
