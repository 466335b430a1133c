// The WalCheckpointer's worker thread (WalCheckpointer.ts). Its own connection to the database
// runs a PASSIVE checkpoint for each "checkpoint" message and answers "done"; on "close" it closes
// the connection and sets `closed[0]` (shared memory), which the store waits for without going
// back to the event loop. Plain JavaScript: a worker thread loads no TypeScript.
import Database from 'better-sqlite3'
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'

// Background work: on Linux, where each thread has its own nice value, this one takes the CPU
// only when the event loop does not want it (a relay may well run on a single core).
if (process.platform === 'linux') {
  try {
    setPriority(19)
  } catch {
    // Not allowed here: it runs at the relay's priority.
  }
}

const { file, closed } = workerData
const port = parentPort
const db = new Database(file, { fileMustExist: true })
// Checkpoints sync the WAL before and the database after copying, as the store's own would.
db.pragma('synchronous = NORMAL')
if (port !== null) {
  port.on('message', (message) => {
    if (message === 'checkpoint') {
      db.pragma('wal_checkpoint(PASSIVE)')
      port.postMessage('done')
    } else if (message === 'close') {
      db.close()
      Atomics.store(closed, 0, 1)
      Atomics.notify(closed, 0)
      port.close()
    }
  })
  port.postMessage('ready')
}
