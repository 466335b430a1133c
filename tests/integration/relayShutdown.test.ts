import { afterEach, describe, expect, it } from 'vitest'
import { tempDataDir } from '../helpers/relayProcess'
import { createPool, freshRoom, storedRows, waitForText, waitSynced } from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'

const SERVICE_RESTART = 1012

/** [Y4] Shutdown flushes every room, closes sockets with 1012 and exits 0. */
describe('relay shutdown', () => {
  const pool = createPool()
  afterEach(() => pool.clear())

  it('[Y4] SIGTERM with clients connected: exit 0, clients see 1012, the data is there after restart', async () => {
    const dataDir = tempDataDir()
    const relay = await pool.relay({ dataDir })
    const room = freshRoom('y4-sigterm')
    const a = pool.client(relay, room)
    const b = pool.client(relay, room)
    await Promise.all([waitSynced(a), waitSynced(b)])
    for (let i = 0; i < 10; i++) a.text.insert(a.text.length, `${i}.`)
    b.text.insert(0, 'B:')
    await waitFor('A and B to converge', () => a.text.toString() === b.text.toString() && a.text.length === 22)
    const expected = a.text.toString()
    const raw = await pool.rawSocket(relay, room)
    const rawOtherRoom = await pool.rawSocket(relay, freshRoom('y4-sigterm-other'))

    expect(await relay.stop('SIGTERM')).toBe(0)
    expect((await raw.waitClosed()).code).toBe(SERVICE_RESTART)
    expect((await rawOtherRoom.waitClosed()).code).toBe(SERVICE_RESTART)
    await waitFor('the providers to see the close', () => a.closeCodes.length > 0 && b.closeCodes.length > 0)
    expect(a.closeCodes[0]).toBe(SERVICE_RESTART)
    expect(b.closeCodes[0]).toBe(SERVICE_RESTART)
    // The shutdown ran to its end (every room flushed, storage closed) before the exit.
    expect(relay.output()).toContain('"msg":"stopped"')
    // Flushed: the room's log is one snapshot.
    expect(storedRows(dataDir, room)).toHaveLength(1)

    const restarted = await pool.relay({ dataDir })
    const c = pool.client(restarted, room)
    await waitSynced(c)
    expect(c.text.toString()).toBe(expected)
  })

  it('[Y4] SIGINT exits 0 the same way', async () => {
    const relay = await pool.relay()
    const raw = await pool.rawSocket(relay, freshRoom('y4-sigint'))
    expect(await relay.stop('SIGINT')).toBe(0)
    expect((await raw.waitClosed()).code).toBe(SERVICE_RESTART)
    expect(relay.output()).toContain('"msg":"stopped"')
  })

  it('[Y4] SIGTERM with no client connected completes the shutdown and exits 0', async () => {
    // Regression: the shutdown waited on an unref'd timer, so with nothing else keeping the event
    // loop alive the process ended before flushing and closing storage.
    const relay = await pool.relay()
    expect(await relay.stop('SIGTERM')).toBe(0)
    expect(relay.output()).toContain('"msg":"stopped"')
  })

  it('[Y4] SIGTERM sent the moment the relay announces itself is handled (exit 0, not killed)', async () => {
    // Regression: "Peerboard is running" was printed before the signal handlers were installed,
    // so a supervisor reacting to that line at once could kill the relay (about 1 in 10 on a
    // loaded two-core machine).
    for (let i = 0; i < 5; i++) {
      const relay = await pool.relay()
      expect(await relay.stop('SIGTERM'), `round ${i}`).toBe(0)
      expect(relay.output(), `round ${i}`).toContain('"msg":"stopped"')
    }
  })

  it('[Y4] providers reconnect after a 1012 and their offline edits reach a fresh client', async () => {
    const dataDir = tempDataDir()
    const relay = await pool.relay({ dataDir })
    const room = freshRoom('y4-reconnect')
    const a = pool.client(relay, room)
    await waitSynced(a)
    a.text.insert(0, 'before restart. ')
    const watcher = pool.client(relay, room)
    await waitForText(watcher, 'before restart. ')
    watcher.destroy()

    expect(await relay.stop('SIGTERM')).toBe(0)
    await waitFor('A to notice', () => !a.provider.wsconnected)
    expect(a.provider.shouldConnect).toBe(true) // 1012 is not permanent: it keeps trying
    a.text.insert(a.text.length, 'while the relay was down.')

    // Same port, so the provider's reconnect loop finds it.
    const restarted = await pool.relay({ dataDir, port: relay.port })
    await waitSynced(a, 20_000)
    const c = pool.client(restarted, room)
    await waitForText(c, 'before restart. while the relay was down.', 20_000)
  })
})
