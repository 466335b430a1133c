import { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { isNetworkOnline, observeNetwork } from './network'
import { reconnectDelay } from './reconnectDelay'

/**
 * The unmodified y-websocket provider, told about the device's network state: while the device
 * is offline it stays disconnected (no retry loop against a dead network), and it reconnects as
 * soon as the device is back online — if something wants it connected.
 *
 * Reconnecting after a close the relay allows to retry (docs/PROTOCOL.md) waits a jittered
 * backoff (`reconnectDelay`) instead of y-websocket's fixed one, so that the clients of a relay
 * that restarted, or that closed many sockets at once, come back spread out.
 */
export class NetworkAwareProvider extends WebsocketProvider {
  #wanted = false
  #stopObserving: () => void
  #retryTimer: ReturnType<typeof setTimeout> | undefined

  readonly #beforeConnect: () => void

  /** `beforeConnect` runs on every `connect()` call, first; it must be idempotent. */
  constructor(
    serverUrl: string,
    room: string,
    doc: Y.Doc,
    beforeConnect: () => void,
    options: { readonly token: string | null; readonly readOnly: boolean },
  ) {
    // A read-only tab never talks to other tabs over BroadcastChannel, so nothing it has locally
    // can reach a writer's tab (SPEC [A4] on the device side).
    super(serverUrl, room, doc, {
      connect: false,
      disableBc: options.readOnly,
      params: options.token === null ? {} : { token: options.token },
    })
    this.#beforeConnect = beforeConnect
    this.#stopObserving = observeNetwork((online) => {
      if (!online) super.disconnect()
      else if (this.#wanted) super.connect()
    })
    this.on('connection-close', this.#onConnectionClose)
  }

  /**
   * Emitted before y-websocket schedules its own retry: that retry is turned into a no-op (it only
   * connects while `shouldConnect` is set) and ours, jittered, takes its place. A close with a
   * permanent code (4400-4499) is not retried at all.
   */
  #onConnectionClose = (event: CloseEvent | null): void => {
    if (!this.shouldConnect) return
    if (event !== null && !this.shouldReconnect(event, this)) return
    this.shouldConnect = false
    clearTimeout(this.#retryTimer)
    this.#retryTimer = setTimeout(
      () => {
        if (this.#wanted && isNetworkOnline()) super.connect()
      },
      reconnectDelay(this.wsUnsuccessfulReconnects + 1, Math.random()),
    )
  }

  override connect(): void {
    this.#beforeConnect()
    this.#wanted = true
    if (isNetworkOnline()) super.connect()
  }

  override disconnect(): void {
    this.#wanted = false
    clearTimeout(this.#retryTimer)
    super.disconnect()
  }

  override destroy(): void {
    clearTimeout(this.#retryTimer)
    this.#stopObserving()
    super.destroy()
  }
}
