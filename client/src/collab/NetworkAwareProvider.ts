import { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { isNetworkOnline, observeNetwork } from './network'

/**
 * The unmodified y-websocket provider, told about the device's network state: while the device
 * is offline it stays disconnected (no retry loop against a dead network), and it reconnects as
 * soon as the device is back online — if something wants it connected.
 */
export class NetworkAwareProvider extends WebsocketProvider {
  #wanted = false
  #stopObserving: () => void

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
  }

  override connect(): void {
    this.#beforeConnect()
    this.#wanted = true
    if (isNetworkOnline()) super.connect()
  }

  override disconnect(): void {
    this.#wanted = false
    super.disconnect()
  }

  override destroy(): void {
    this.#stopObserving()
    super.destroy()
  }
}
