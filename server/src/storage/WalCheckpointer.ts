import { Worker } from 'node:worker_threads'

/** How long after a write the worker checkpoints (at most one checkpoint at a time). */
const CHECKPOINT_AFTER_MS = 1000
/** How long `close` waits for the worker to close its connection. */
const CLOSE_TIMEOUT_MS = 5_000

const WORKER_FILE = new URL('./checkpointWorker.mjs', import.meta.url)

export interface CheckpointerEvents {
  /** The worker has the database open and checkpoints from now on. */
  ready(): void
  /** The worker could not start or failed: it checkpoints no more. */
  failed(reason: string): void
}

/**
 * Checkpoints the write-ahead log from a worker thread, on its own connection, so that the
 * checkpoint's disk syncs never hold up the event loop.
 *
 * By SQLite's default, the commit that finds the WAL past 1000 pages checkpoints it on the thread
 * that committed: it copies the pages into the database and syncs both files. In benchmark W4 that
 * was every 0.4 s of a flood, 3.5 to 9 ms each, with every room waiting. Here the worker runs a PASSIVE checkpoint (which never blocks the writer) a
 * second after writes; the store keeps its own on-commit checkpoint only as a bound on the WAL
 * (SqliteDocStore). Durability does not change: a commit is in the WAL before `append` returns
 * either way, and the checkpoint syncs as the store's own would.
 */
export class WalCheckpointer {
  readonly #events: CheckpointerEvents
  #worker: Worker | null = null
  #ready = false
  #running = false
  #dirty = false
  #timer: NodeJS.Timeout | null = null
  #closing = false
  /** Set to 1 by the worker once its connection is closed. */
  readonly #closed = new Int32Array(new SharedArrayBuffer(4))

  /** `workerFile` is for tests (a worker that fails). */
  constructor(file: string, events: CheckpointerEvents, workerFile = WORKER_FILE) {
    this.#events = events
    try {
      // No preloads (`--import`) from the relay's command line: the worker is plain JavaScript.
      const worker = new Worker(workerFile, { workerData: { file, closed: this.#closed }, execArgv: [] })
      // It does not keep the process alive: a store that is closed stops it.
      worker.unref()
      worker.on('message', (message: string) => this.#message(message))
      worker.on('error', (error) => this.#fail(worker, error instanceof Error ? error.message : String(error)))
      worker.on('exit', (code) => this.#fail(worker, `it exited with code ${code}`))
      this.#worker = worker
    } catch (error) {
      events.failed(error instanceof Error ? error.message : String(error))
    }
  }

  /** Says that something was committed: a checkpoint follows, at most a second later. */
  wrote(): void {
    this.#dirty = true
    this.#schedule()
  }

  /** Stops the worker once its checkpoint (if any) is over; returns when its connection is closed. */
  close(): void {
    if (this.#closing) return
    this.#closing = true
    if (this.#timer !== null) clearTimeout(this.#timer)
    const worker = this.#worker
    this.#worker = null
    if (worker === null) return
    worker.postMessage('close')
    // Without going back to the event loop: the store's own connection closes right after.
    Atomics.wait(this.#closed, 0, 0, CLOSE_TIMEOUT_MS)
    void worker.terminate()
  }

  #schedule(): void {
    if (!this.#ready || this.#running || this.#timer !== null || this.#worker === null) return
    this.#timer = setTimeout(this.#checkpoint, CHECKPOINT_AFTER_MS)
    this.#timer.unref()
  }

  #checkpoint = (): void => {
    this.#timer = null
    if (!this.#dirty || this.#worker === null) return
    this.#dirty = false
    this.#running = true
    this.#worker.postMessage('checkpoint')
  }

  #message(message: string): void {
    if (message === 'ready') {
      this.#ready = true
      this.#events.ready()
    } else if (message === 'done') {
      this.#running = false
    }
    if (this.#dirty) this.#schedule()
  }

  #fail(worker: Worker, reason: string): void {
    if (this.#worker !== worker || this.#closing) return
    this.#worker = null
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#events.failed(reason)
  }
}
