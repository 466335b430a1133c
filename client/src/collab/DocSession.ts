import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import { MESSAGE_SAVED, MESSAGE_SAVED_SUBSCRIBE, SEED_ORIGIN } from '../../../shared/src'
import { isNetworkOnline, observeNetwork } from './network'
import { NetworkAwareProvider } from './NetworkAwareProvider'
import { relaySyncUrl } from './relayUrl'

/**
 * Where a document stands with the relay:
 * - `saved`: the relay has durably stored everything this device has (SPEC [D2]);
 * - `synced`: connected and everything was sent, not yet acknowledged as stored ("sent");
 * - `connecting`: a connection is being made or the first sync is under way;
 * - `offline`: the device is offline or the relay cannot be reached (retrying);
 * - `unsent`: this device has changes the relay has not been sent yet (offline or reconnecting).
 */
export type SyncState = 'saved' | 'synced' | 'connecting' | 'offline' | 'unsent'

export interface DocSessionOptions {
  /**
   * Load nothing until something first asks the provider to connect. A Lexical editor binding
   * only renders content that arrives after it is bound (it never reads what a doc already holds),
   * and it connects the provider right after binding; deferring the load makes every byte of the
   * stored copy arrive as an update the editor sees.
   */
  readonly deferUntilConnect?: boolean
  /** Runs once, when the session starts loading (after the binding, for a deferred session). */
  readonly onStart?: (doc: Y.Doc) => void
  /** The board's access token, sent to the relay (token mode). */
  readonly token?: string | null
  /** A read-only link: no BroadcastChannel to other tabs. */
  readonly readOnly?: boolean
}

const clockOf = (stateVector: Map<number, number>, clientId: number): number => stateVector.get(clientId) ?? 0

/**
 * One Y.Doc as this device keeps it: stored in IndexedDB (so it opens with no network) and synced
 * through the relay. Only client/src/collab creates these.
 */
export class DocSession {
  readonly room: string
  readonly doc: Y.Doc
  readonly provider: NetworkAwareProvider
  #persistence: IndexeddbPersistence | null = null
  readonly #loaded: { promise: Promise<void>; resolve: () => void }
  readonly #onStart: ((doc: Y.Doc) => void) | undefined
  #unsent = false
  /** The relay's stored clock for this device's own edits, from its last SAVED message. */
  #savedClock = -1
  #state: SyncState = 'connecting'
  readonly #listeners = new Set<() => void>()
  readonly #stopObservingNetwork: () => void

  constructor(room: string, options: DocSessionOptions = {}) {
    this.room = room
    this.#unsent = readUnsentMark(room)
    this.#onStart = options.onStart
    let resolveLoaded = (): void => undefined
    const promise = new Promise<void>((resolve) => (resolveLoaded = resolve))
    this.#loaded = { promise, resolve: resolveLoaded }
    this.doc = new Y.Doc()
    this.provider = new NetworkAwareProvider(relaySyncUrl(), room, this.doc, () => this.#start(), {
      token: options.token ?? null,
      readOnly: options.readOnly === true,
    })
    // SAVED acknowledgements: asked for on every connection, read by our own handler.
    this.provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => this.#onSaved(decoder)
    this.doc.on('update', this.#onUpdate)
    this.provider.on('status', this.#onStatus)
    this.provider.on('sync', this.#onSync)
    this.#stopObservingNetwork = observeNetwork(this.#refresh)
    if (options.deferUntilConnect !== true) this.provider.connect()
    this.#refresh()
  }

  /** Resolves once the copy stored on this device is loaded into `doc`. */
  get whenLoaded(): Promise<void> {
    return this.#loaded.promise
  }

  #start(): void {
    if (this.#persistence !== null) return
    this.#persistence = new IndexeddbPersistence(`peerboard:${this.room}`, this.doc)
    this.#onStart?.(this.doc)
    void this.#persistence.whenSynced.then(() => this.#loaded.resolve())
  }

  #onStatus = ({ status }: { status: string }): void => {
    if (status === 'connected') {
      this.#savedClock = -1
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SAVED_SUBSCRIBE)
      this.provider.ws?.send(encoding.toUint8Array(encoder))
    }
    this.#refresh()
  }

  #onSaved = (decoder: decoding.Decoder): void => {
    const stored = Y.decodeStateVector(decoding.readVarUint8Array(decoder))
    this.#savedClock = clockOf(stored, this.doc.clientID)
    this.#refresh()
  }

  #onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider || origin === this.#persistence || origin === SEED_ORIGIN) return
    if (!(this.provider.wsconnected && this.provider.synced) && !this.#unsent) {
      this.#unsent = true
      writeUnsentMark(this.room, true)
    }
    this.#refresh()
  }

  #onSync = (synced: boolean): void => {
    // The relay answers our state vector only after we answered its own: by the time the first
    // sync completes, everything we had was handed to the socket.
    if (synced && this.#unsent) {
      this.#unsent = false
      writeUnsentMark(this.room, false)
    }
    this.#refresh()
  }

  #refresh = (): void => {
    const provider = this.provider
    let state: SyncState
    if (provider.wsconnected && provider.synced) {
      const localClock = clockOf(Y.decodeStateVector(Y.encodeStateVector(this.doc)), this.doc.clientID)
      state = this.#savedClock >= localClock ? 'saved' : 'synced'
    } else if (!isNetworkOnline()) state = 'offline'
    else if (provider.wsconnected) state = 'connecting'
    else if (provider.wsUnsuccessfulReconnects > 0) state = 'offline'
    else state = 'connecting'
    if (this.#unsent && state !== 'synced' && state !== 'saved') state = 'unsent'
    if (state === this.#state) return
    this.#state = state
    for (const listener of [...this.#listeners]) listener()
  }

  get syncState(): SyncState {
    return this.#state
  }

  /** Calls `onChange` whenever `syncState` changes; returns the unsubscribe. */
  observeSyncState(onChange: () => void): () => void {
    this.#listeners.add(onChange)
    return () => this.#listeners.delete(onChange)
  }

  destroy(): void {
    this.#stopObservingNetwork()
    this.#listeners.clear()
    this.doc.off('update', this.#onUpdate)
    this.provider.destroy()
    void this.#persistence?.destroy()
    this.doc.destroy()
  }
}

/**
 * "Changes not yet sent" survives a reload (edits made offline are in IndexedDB, but whether the
 * relay has them is only known after the next sync).
 */
const unsentKey = (room: string): string => `peerboard.unsent.${room}`
const readUnsentMark = (room: string): boolean => {
  try {
    return localStorage.getItem(unsentKey(room)) === '1'
  } catch {
    return false
  }
}
const writeUnsentMark = (room: string, unsent: boolean): void => {
  try {
    if (unsent) localStorage.setItem(unsentKey(room), '1')
    else localStorage.removeItem(unsentKey(room))
  } catch {
    // Storage unavailable (private mode quotas): the in-memory flag still works for this page.
  }
}
