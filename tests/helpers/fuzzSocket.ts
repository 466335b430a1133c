import { WebSocket } from 'ws'

/**
 * A raw socket for sending many fuzzed frames fast and telling, for each, whether the relay took
 * it or closed the socket over it.
 *
 * After every frame the sender sends a "ping": a SyncStep1, which the relay answers with a
 * SyncStep2 (`0 · 1 · ...`), in order. The relay sends SyncStep2 only as such an answer (updates
 * it relays are `0 · 2`, its greeting is `0 · 0`), so counting SyncStep2 frames counts answers. A
 * frame that is itself a SyncStep1 (`0 · 0 · ...`) is answered too. When the socket closes, the
 * answers that came before the close say which frame it closed over: the relay handles a socket's
 * frames one at a time, in order, and sends nothing after its close frame.
 */
export class FuzzSocket {
  readonly ws: WebSocket
  /** SyncStep2 frames received. */
  answers = 0
  closed: { code: number; reason: string } | null = null
  #wake: (() => void) | null = null

  private constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary && data.byteLength >= 2 && data[0] === 0 && data[1] === 1) {
        this.answers++
        this.#wake?.()
      }
    })
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() }
      this.#wake?.()
    })
    ws.on('error', () => {})
  }

  static async open(url: string): Promise<FuzzSocket> {
    const ws = new WebSocket(url)
    const socket = new FuzzSocket(ws)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
      ws.once('close', (code: number) => reject(new Error(`socket closed (${code}) before it opened`)))
    })
    return socket
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame)
  }

  /** Resolves once `count` answers arrived ('answered') or the socket closed ('closed'). */
  async waitAnswers(count: number, timeoutMs: number): Promise<'answered' | 'closed'> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (this.answers >= count) return 'answered'
      if (this.closed !== null) return 'closed'
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no answer and no close within ${timeoutMs} ms (${this.answers}/${count} answers)`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.#wake = null
    }
  }

  terminate(): void {
    this.ws.terminate()
  }
}

/** Whether the relay answers this frame with a SyncStep2 when it takes it (a SyncStep1). */
export const isSyncStep1 = (frame: Uint8Array): boolean => frame.byteLength >= 2 && frame[0] === 0 && frame[1] === 0
