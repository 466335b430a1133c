import { once } from 'node:events'
import { rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runRelayCli } from '../helpers/relayCli'
import { tempDataDir } from '../helpers/relayProcess'

/** [Y5] Configuration from the environment and flags (flags win); a bad value exits 2 with one line. */
describe('relay configuration', () => {
  const servers: Server[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))))
  })

  /** A port something else is listening on. */
  const busyPort = async (): Promise<number> => {
    const server = createServer()
    servers.push(server)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    return (server.address() as AddressInfo).port
  }

  const badSettings: { name: string; args: string[]; env: Record<string, string>; names: string }[] = [
    { name: 'PORT=abc', args: [], env: { PORT: 'abc' }, names: 'PORT' },
    { name: 'PORT=70000', args: [], env: { PORT: '70000' }, names: 'PORT' },
    { name: 'PORT=-1', args: [], env: { PORT: '-1' }, names: 'PORT' },
    { name: 'PORT=1.5', args: [], env: { PORT: '1.5' }, names: 'PORT' },
    { name: 'LOG_LEVEL=loud', args: [], env: { LOG_LEVEL: 'loud' }, names: 'LOG_LEVEL' },
    { name: 'COMPACT_AFTER_UPDATES=0', args: [], env: { COMPACT_AFTER_UPDATES: '0' }, names: 'COMPACT_AFTER_UPDATES' },
    { name: 'MAX_MESSAGE_BYTES=10', args: [], env: { MAX_MESSAGE_BYTES: '10' }, names: 'MAX_MESSAGE_BYTES' },
    { name: 'HOST with a space', args: [], env: { HOST: 'local host' }, names: 'HOST' },
    { name: 'the unknown flag --nope', args: ['--nope'], env: {}, names: '--nope' },
    { name: '--port abc', args: ['--port', 'abc'], env: {}, names: '--port' },
    { name: '--port=70000', args: ['--port=70000'], env: {}, names: '--port' },
    { name: '--port without a value', args: ['--port'], env: {}, names: '--port' },
    { name: '--log-level=loud', args: ['--log-level=loud'], env: {}, names: '--log-level' },
  ]

  it.each(badSettings)('[Y5] $name: exit 2 and one stderr line naming the setting', async ({ args, env, names }) => {
    const run = await runRelayCli(args, env)
    expect(run.listeningPort).toBeNull()
    expect(run.code).toBe(2)
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '')
    expect(lines, run.stderr).toHaveLength(1)
    expect(lines[0]).toContain(names)
    expect(run.stdout).toBe('')
  })

  it('[Y5] a port that is already taken: exit 2 and one line', async () => {
    const port = await busyPort()
    const run = await runRelayCli([], { PORT: String(port) })
    expect(run.code).toBe(2)
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '')
    expect(lines, run.stderr).toHaveLength(1)
    expect(lines[0]).toContain(String(port))
  })

  it('[Y5] a DATA_DIR that cannot hold the database: exit 2 and one line naming DATA_DIR', async () => {
    const parent = tempDataDir()
    const notADirectory = join(parent, 'a-file')
    writeFileSync(notADirectory, 'not a directory')
    const run = await runRelayCli([], { PORT: '0', DATA_DIR: notADirectory })
    rmSync(parent, { recursive: true, force: true })
    expect(run.code).toBe(2)
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '')
    expect(lines, run.stderr).toHaveLength(1)
    expect(lines[0]).toContain('DATA_DIR')
  })

  it('[Y5] flags win over the environment', async () => {
    // If the environment's PORT won, the relay would fail on the taken port; the flag picks a free one.
    const port = await busyPort()
    const run = await runRelayCli(['--port', '0'], { PORT: String(port), HOST: '127.0.0.1' })
    expect(run.stderr).toBe('')
    expect(run.listeningPort).not.toBeNull()
    expect(run.listeningPort).not.toBe(port)
    expect(run.code).toBe(0)

    const withEquals = await runRelayCli([`--port=0`, '--log-level=debug'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
    })
    expect(withEquals.listeningPort).not.toBeNull()
    expect(withEquals.code).toBe(0)
    // The flag's level (debug) is in force: info lines are printed.
    expect(withEquals.stdout).toContain('"level":"info"')
  })

  it('[Y5] the environment is read when no flag is given', async () => {
    const quiet = await runRelayCli([], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error' })
    expect(quiet.code).toBe(0)
    expect(quiet.listeningPort).not.toBeNull()
    // LOG_LEVEL=error: no info log lines, only the announcement.
    expect(quiet.stdout).not.toContain('"level":"info"')
  })
})
