import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  createAccessPool,
  freshId,
  mintWithCli,
  nowSeconds,
  OTHER_SECRET,
  postShare,
  readClaims,
  runTokenCli,
  signPayload,
  signToken,
  syncUrl,
  TEST_SECRET,
  tokenFor,
  upgradeStatus,
} from '../helpers/accessTokens'
import { metricValue } from '../helpers/metricsText'
import { tempDataDir, type RelayProcess } from '../helpers/relayProcess'
import {
  getHealth,
  messageType,
  readSyncFrame,
  storedDoc,
  storedRows,
  waitForText,
  waitSynced,
  type RawSocket,
} from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'
import { behind, QUERY_AWARENESS, textUpdate, updateFrame } from '../helpers/wireFrames'

const ALLOWED_ORIGIN = 'https://board.example.org'

/** Waits until no room is loaded and no socket is open (earlier tests' sockets may still be closing). */
const waitIdle = async (relay: RelayProcess): Promise<void> => {
  await waitFor('an idle relay', async () => {
    const health = await getHealth(relay)
    return health.rooms === 0 && health.connections === 0
  })
}

/** Sends query-awareness and waits for its answer: everything sent before it has been handled. */
const roundTrip = async (socket: RawSocket): Promise<void> => {
  const answered = socket.frames.filter((f) => messageType(f) === 1).length
  socket.send(QUERY_AWARENESS)
  await waitFor('the answer to query-awareness', () => socket.frames.filter((f) => messageType(f) === 1).length > answered)
}

/** [A1]-[A7] Token mode: who may open a socket, what a read-only socket may do, how links are shared. */
describe('relay access (token mode)', () => {
  const relays = createAccessPool()
  const pool = createAccessPool()
  let relay: RelayProcess
  let board: string
  /** Minted by the relay's own CLI: `token --board <board> --scope rw|ro --ttl 1h`. */
  let rwToken: string
  let roToken: string
  /** The relay with ALLOWED_ORIGINS ([A5]); its logs are checked too ([A6]). */
  let guarded: RelayProcess | undefined
  /** Every token a test used, so that [A6] can check none reached the logs. */
  const usedTokens = new Set<string>()
  const use = (token: string): string => {
    usedTokens.add(token)
    return token
  }
  /** A fresh room of the board: a proposal body room (covered by the board's token, SPEC [A2]). */
  const boardRoom = (): string => `${board}.p.${freshId()}`

  beforeAll(async () => {
    relay = await relays.relay({ env: { RELAY_SECRET: TEST_SECRET, LOG_LEVEL: 'debug' } })
    board = freshId()
    ;[rwToken, roToken] = await Promise.all([mintWithCli(board, 'rw'), mintWithCli(board, 'ro')])
    use(rwToken)
    use(roToken)
  })
  afterEach(() => pool.clear())
  afterAll(() => relays.clear())

  it('[A1] [A2] a read-write token minted with the CLI lets two providers sync in the board room', async () => {
    expect(await getHealth(relay)).toMatchObject({ status: 'ok', access: 'token' })
    const a = pool.tokenClient(relay, board, rwToken)
    const b = pool.tokenClient(relay, board, rwToken)
    await Promise.all([waitSynced(a), waitSynced(b)])
    a.text.insert(0, 'written with a CLI token')
    await waitForText(b, 'written with a CLI token')
    b.text.insert(b.text.length, '; and back')
    await waitForText(a, 'written with a CLI token; and back')
    expect(storedDoc(relay.dataDir, board).getText('text').toString()).toBe('written with a CLI token; and back')
    expect(a.closeCodes).toEqual([])
  })

  it('[A2] a token for board X also admits X.p.<proposalId> (and room kinds the relay does not know)', async () => {
    const proposalRoom = `${board}.p.${freshId()}`
    const a = pool.tokenClient(relay, proposalRoom, rwToken)
    const b = pool.tokenClient(relay, proposalRoom, rwToken)
    await Promise.all([waitSynced(a), waitSynced(b)])
    a.text.insert(0, 'proposal body')
    await waitForText(b, 'proposal body')
    expect(storedDoc(relay.dataDir, proposalRoom).getText('text').toString()).toBe('proposal body')
    expect(await upgradeStatus(syncUrl(relay, `${board}.x.${freshId()}`, rwToken))).toBe('open')
  })

  const refused: { name: string; token: () => string | null; room?: () => string }[] = [
    { name: 'a missing token', token: () => null },
    { name: 'an empty token', token: () => '' },
    { name: 'a token signed with another secret (forged)', token: () => tokenFor(board, 'rw', 3600, OTHER_SECRET) },
    {
      name: 'a read-only token whose payload was changed to rw (forged: the mac no longer matches)',
      token: () => {
        const [prefix, , mac] = tokenFor(board, 'ro').split('.')
        const [, payload] = tokenFor(board, 'rw').split('.')
        return `${prefix}.${payload}.${mac}`
      },
    },
    { name: 'a token whose mac is cut short', token: () => tokenFor(board, 'rw').slice(0, -4) },
    { name: 'a token whose mac is garbage', token: () => `${tokenFor(board, 'rw').split('.').slice(0, 2).join('.')}.AAAA` },
    { name: 'an expired token', token: () => signToken(TEST_SECRET, { b: board, s: 'rw', e: nowSeconds() - 60 }) },
    { name: 'a token expiring this second', token: () => signToken(TEST_SECRET, { b: board, s: 'rw', e: nowSeconds() }) },
    { name: 'garbage', token: () => 'not-a-token' },
    { name: 'a token with another version prefix', token: () => tokenFor(board, 'rw').replace(/^pb1\./, 'pb2.') },
    { name: 'a token with four parts', token: () => `${tokenFor(board, 'rw')}.x` },
    { name: 'an over-long token', token: () => `pb1.${'A'.repeat(600)}.${'B'.repeat(43)}` },
    { name: 'a signed payload that is not JSON (malformed)', token: () => signPayload(TEST_SECRET, 'not json') },
    {
      name: 'a signed payload with an unknown scope (malformed)',
      token: () => signToken(TEST_SECRET, { b: board, s: 'admin', e: nowSeconds() + 3600 }),
    },
    {
      name: 'a signed payload whose board is not a board id (malformed)',
      token: () => signToken(TEST_SECRET, { b: 'short', s: 'rw', e: nowSeconds() + 3600 }),
    },
    {
      name: 'a signed payload whose expiry is a string (malformed)',
      token: () => signToken(TEST_SECRET, { b: board, s: 'rw', e: String(nowSeconds() + 3600) }),
    },
    { name: "another board's token", token: () => tokenFor(freshId(), 'rw') },
    {
      name: "another board's token on a proposal room of this board",
      token: () => tokenFor(freshId(), 'rw'),
      room: () => `${board}.p.${freshId()}`,
    },
    {
      name: "this board's token on a board whose id merely starts with it",
      token: () => tokenFor(board, 'rw'),
      room: () => `${board}A`,
    },
  ]

  it.each(refused)('[A3] $name is refused with HTTP 401 at the upgrade, and no room is loaded', async ({ token, room }) => {
    await waitIdle(relay)
    const given = token()
    if (given !== null && given !== '') use(given)
    const status = await upgradeStatus(syncUrl(relay, room?.() ?? board, given))
    expect(status).toBe(401)
    expect(await getHealth(relay)).toMatchObject({ rooms: 0, connections: 0 })
  })

  it('[A3] a provider with an expired token never syncs and never loads a room', async () => {
    await waitIdle(relay)
    const expired = use(signToken(TEST_SECRET, { b: board, s: 'rw', e: nowSeconds() - 1 }))
    const client = pool.tokenClient(relay, board, expired)
    // y-websocket keeps retrying a refused upgrade; let it try a few times.
    await waitFor('a few refused attempts', () => client.closeCodes.length >= 3)
    expect(client.provider.synced).toBe(false)
    expect(await getHealth(relay)).toMatchObject({ rooms: 0, connections: 0 })
  })

  it('[A4] a read-only provider gets everything, but nothing it writes is applied or stored', async () => {
    const room = boardRoom()
    const writer = pool.tokenClient(relay, room, rwToken)
    await waitSynced(writer)
    writer.text.insert(0, 'from the writer')
    await waitFor('the write to be stored', () => storedDoc(relay.dataDir, room).getText('text').toString() === 'from the writer')

    // A read-only provider that already holds an edit of its own: its SyncStep2 carries it.
    const offline = new Y.Doc()
    offline.getText('text').insert(0, '[offline ro edit]')
    const ignoredBefore = await metricValue(relay, 'peerboard_rejections_total', 'reason="read_only_write"')
    const reader = pool.tokenClient(relay, room, roToken, offline)
    // SyncStep1 is answered: it receives the room's content (merged with its own).
    await waitFor('the reader to receive the room', () => reader.text.toString().includes('from the writer'))
    const rowsBefore = storedRows(relay.dataDir, room)

    // Now it writes while connected; wait until the relay has handled (and ignored) both writes.
    reader.text.insert(reader.text.length, '[live ro edit]')
    await waitFor('the relay to ignore both read-only writes', async () => {
      const ignored = await metricValue(relay, 'peerboard_rejections_total', 'reason="read_only_write"')
      return ignored >= ignoredBefore + 2
    })
    expect(storedRows(relay.dataDir, room)).toEqual(rowsBefore)
    expect(storedDoc(relay.dataDir, room).getText('text').toString()).toBe('from the writer')

    // The writer keeps writing, and the read-only provider keeps receiving. (Where ' and more'
    // lands relative to the reader's own local edit depends on client ids: compare state vectors.)
    writer.text.insert(writer.text.length, ' and more')
    await waitFor('the reader to receive the later write', () => {
      const have = Y.decodeStateVector(Y.encodeStateVector(reader.doc))
      return behind(have, Y.decodeStateVector(Y.encodeStateVector(writer.doc))).length === 0
    })
    expect(reader.text.toString()).toContain(' and more')
    expect(reader.closeCodes).toEqual([])

    // A fresh read-write client sees only what the writer wrote.
    const fresh = pool.tokenClient(relay, room, rwToken)
    await waitSynced(fresh)
    expect(fresh.text.toString()).toBe('from the writer and more')
    expect(writer.text.toString()).toBe('from the writer and more')
  })

  it('[A4] a read-only raw socket: its Update and SyncStep2 leave the stored rows byte-for-byte unchanged', async () => {
    const room = boardRoom()
    const writer = pool.tokenClient(relay, room, rwToken)
    await waitSynced(writer)
    writer.text.insert(0, 'stored')
    await waitFor('the write to be stored', () => storedRows(relay.dataDir, room).length > 0)
    const rowsBefore = storedRows(relay.dataDir, room)

    const reader = await pool.tokenSocket(relay, room, roToken)
    reader.send(updateFrame(textUpdate('[raw ro update]')))
    // A SyncStep2 (type 0, subtype 1) with a real update.
    const step2 = updateFrame(textUpdate('[raw ro step2]'))
    step2[1] = 1
    reader.send(step2)
    await roundTrip(reader) // handled in order: both writes were seen and dropped
    expect(reader.closed()).toBeNull()
    expect(storedRows(relay.dataDir, room)).toEqual(rowsBefore)

    // It is still kept up to date.
    writer.text.insert(writer.text.length, '!')
    await waitFor('the read-only socket to get the writer\'s update', () =>
      reader.frames.some((f) => messageType(f) === 0 && readSyncFrame(f).syncType === 2),
    )
    expect(writer.text.toString()).toBe('stored!')
  })

  it("[A4] a read-only provider's awareness is relayed to the others", async () => {
    const room = boardRoom()
    const writer = pool.tokenClient(relay, room, rwToken)
    const reader = pool.tokenClient(relay, room, roToken)
    await Promise.all([waitSynced(writer), waitSynced(reader)])
    reader.provider.awareness.setLocalStateField('user', { name: 'Reader' })
    await waitFor("the reader's presence at the writer", () => {
      const state = writer.provider.awareness.getStates().get(reader.doc.clientID) as { user?: { name?: string } } | undefined
      return state?.user?.name === 'Reader'
    })
  })

  describe('[A5] ALLOWED_ORIGINS', () => {
    let origins: RelayProcess
    beforeAll(async () => {
      origins = await relays.relay({ env: { RELAY_SECRET: TEST_SECRET, ALLOWED_ORIGINS: ALLOWED_ORIGIN } })
      guarded = origins
    })

    it.each([
      ['a foreign origin', 'https://evil.example'],
      ['a look-alike origin', 'https://board.example.org.evil.example'],
      ['the allowed host over another scheme', 'http://board.example.org'],
      ['the opaque origin "null"', 'null'],
    ])('[A5] %s is refused with HTTP 403 even with a valid token, and no room is loaded', async (_name, origin) => {
      await waitIdle(origins)
      const status = await upgradeStatus(syncUrl(origins, board, rwToken), { origin })
      expect(status).toBe(403)
      expect(await getHealth(origins)).toMatchObject({ rooms: 0, connections: 0 })
    })

    it('[A5] the allowed origin and no origin at all both work; the token is still required', async () => {
      const room = boardRoom()
      const browser = await pool.tokenSocket(origins, room, rwToken, { origin: ALLOWED_ORIGIN })
      const script = await pool.tokenSocket(origins, room, rwToken)
      // Both are greeted and in the same room: an update from one reaches the other.
      await waitFor('both greetings', () => browser.frames.length > 0 && script.frames.length > 0)
      browser.send(updateFrame(textUpdate('from the browser')))
      await waitFor('the update to reach the script', () =>
        script.frames.some((f) => messageType(f) === 0 && readSyncFrame(f).syncType === 2),
      )
      expect(await upgradeStatus(syncUrl(origins, room, null), { origin: ALLOWED_ORIGIN })).toBe(401)
      expect(storedDoc(origins.dataDir, room).getText('text').toString()).toBe('from the browser')
    })
  })

  describe('[A7] POST /api/share', () => {
    it('[A7] a read-write caller gets a read-only token for its board, no later than its own, that reads but cannot write', async () => {
      const caller = readClaims(rwToken)
      const answer = await postShare(relay, rwToken, { board, scope: 'ro', ttlSeconds: 600 })
      expect(answer.status).toBe(200)
      const shared = use(String(answer.json?.token))
      const claims = readClaims(shared)
      expect(claims.b).toBe(board)
      expect(claims.s).toBe('ro')
      expect(claims.e).toBeLessThanOrEqual(caller.e)
      expect(claims.e).toBeLessThanOrEqual(nowSeconds() + 600)
      expect(claims.e).toBeGreaterThan(nowSeconds())
      expect(answer.json?.exp).toBe(claims.e)

      const room = boardRoom()
      const writer = pool.tokenClient(relay, room, rwToken)
      await waitSynced(writer)
      writer.text.insert(0, 'shared read-only')
      await waitFor('the write to be stored', () => storedRows(relay.dataDir, room).length > 0)
      const rowsBefore = storedRows(relay.dataDir, room)
      const reader = pool.tokenClient(relay, room, shared)
      await waitForText(reader, 'shared read-only')
      const socket = await pool.tokenSocket(relay, room, shared)
      socket.send(updateFrame(textUpdate('[should not be kept]')))
      await roundTrip(socket)
      expect(storedRows(relay.dataDir, room)).toEqual(rowsBefore)
    })

    it('[A7] a read-write token shared for longer than the caller has left expires with the caller, and writes', async () => {
      const caller = readClaims(rwToken)
      const answer = await postShare(relay, rwToken, { board, scope: 'rw', ttlSeconds: 30 * 86_400 })
      expect(answer.status).toBe(200)
      const shared = use(String(answer.json?.token))
      const claims = readClaims(shared)
      expect(claims).toMatchObject({ b: board, s: 'rw' })
      expect(claims.e).toBe(caller.e)

      const room = boardRoom()
      const invitee = pool.tokenClient(relay, room, shared)
      const member = pool.tokenClient(relay, room, rwToken)
      await Promise.all([waitSynced(invitee), waitSynced(member)])
      invitee.text.insert(0, 'written by the invitee')
      await waitForText(member, 'written by the invitee')
      expect(storedDoc(relay.dataDir, room).getText('text').toString()).toBe('written by the invitee')
    })

    it('[A7] a read-only caller gets 401', async () => {
      const answer = await postShare(relay, roToken, { board, scope: 'ro', ttlSeconds: 600 })
      expect(answer.status).toBe(401)
      expect(answer.json?.token).toBeUndefined()
    })

    it('[A7] a caller asking for another board gets 401', async () => {
      expect((await postShare(relay, rwToken, { board: freshId(), scope: 'ro', ttlSeconds: 600 })).status).toBe(401)
      // ... and so does another board's token asking for this one.
      const other = use(tokenFor(freshId(), 'rw'))
      expect((await postShare(relay, other, { board, scope: 'ro', ttlSeconds: 600 })).status).toBe(401)
    })

    it.each([
      ['no Authorization header', () => null],
      ['a forged bearer token', () => tokenFor(board, 'rw', 3600, OTHER_SECRET)],
      ['an expired bearer token', () => signToken(TEST_SECRET, { b: board, s: 'rw', e: nowSeconds() - 5 })],
      ['a garbage bearer token', () => 'garbage'],
    ])('[A7] %s gets 401', async (_name, bearer) => {
      const token = bearer()
      if (token !== null) use(token)
      const answer = await postShare(relay, token, { board, scope: 'ro', ttlSeconds: 600 })
      expect(answer.status).toBe(401)
      expect(answer.json?.token).toBeUndefined()
    })

    it.each([
      ['a body that is not JSON', () => 'board='],
      ['an empty body', () => ''],
      ['a JSON array', () => '[]'],
      ['a JSON string', () => '"share please"'],
      ['an empty object', () => ({})],
      ['no scope', () => ({ board, ttlSeconds: 600 })],
      ['an unknown scope', () => ({ board, scope: 'admin', ttlSeconds: 600 })],
      ['no ttlSeconds', () => ({ board, scope: 'ro' })],
      ['a ttl of 0', () => ({ board, scope: 'ro', ttlSeconds: 0 })],
      ['a negative ttl', () => ({ board, scope: 'ro', ttlSeconds: -60 })],
      ['a fractional ttl', () => ({ board, scope: 'ro', ttlSeconds: 1.5 })],
      ['a ttl given as a string', () => ({ board, scope: 'ro', ttlSeconds: '600' })],
      ['a ttl of more than a year', () => ({ board, scope: 'ro', ttlSeconds: 367 * 86_400 })],
      ['a board that is not a board id', () => ({ board: 'short', scope: 'ro', ttlSeconds: 600 })],
      ['a body larger than 4 KiB', () => ({ board, scope: 'ro', ttlSeconds: 600, pad: 'x'.repeat(8192) })],
    ])('[A7] %s gets 400', async (_name, body) => {
      const answer = await postShare(relay, rwToken, body())
      expect(answer.status).toBe(400)
      expect(answer.json?.token).toBeUndefined()
    })

    it('[A7] in open mode the endpoint answers 404', async () => {
      const open = await pool.relay()
      expect(await getHealth(open)).toMatchObject({ access: 'open' })
      const answer = await postShare(open, rwToken, { board, scope: 'ro', ttlSeconds: 600 })
      expect(answer.status).toBe(404)
      expect((await postShare(open, null, {})).status).toBe(404)
    })
  })

  it('[A6] no token, nor any part of one, nor a query string ever reaches the logs (LOG_LEVEL=debug)', async () => {
    // One more round of accepted and refused connections, so that every log path has run.
    const room = boardRoom()
    const client = pool.tokenClient(relay, room, rwToken)
    await waitSynced(client)
    client.text.insert(0, 'logged?')
    const expired = use(signToken(TEST_SECRET, { b: board, s: 'rw', e: nowSeconds() - 1 }))
    expect(await upgradeStatus(syncUrl(relay, room, expired))).toBe(401)
    const socket = await pool.tokenSocket(relay, room, rwToken)
    socket.send([9]) // closed as an unknown type: a warn line about this socket
    await socket.waitClosed()
    client.destroy()
    await waitIdle(relay)
    await waitFor('the relay to have logged the room unloading', () => relay.output().includes(`"room":"${room}"`) && relay.output().includes('"msg":"room unloaded"'))

    const output = relay.output() + (guarded?.output() ?? '')
    // The logs did record these connections (so the check below is not vacuous).
    expect(output).toContain('"msg":"upgrade refused"')
    expect(output).toContain('"msg":"room loaded"')
    expect(output).toContain('"msg":"closing socket"')
    expect(usedTokens.size).toBeGreaterThan(20)
    for (const token of usedTokens) {
      expect(output.includes(token), `token ${token.slice(0, 12)}… in the logs`).toBe(false)
      for (const part of token.split('.').filter((p) => p.length >= 16)) {
        expect(output.includes(part), `a part of token ${token.slice(0, 12)}… in the logs`).toBe(false)
      }
    }
    expect(output).not.toContain('token=')
  })
})

/** The token subcommand: `npm run relay -- token --board <id> --scope rw|ro --ttl <duration>`. */
describe('relay token CLI', () => {
  it('[A2] prints one token on stdout for the board, scope and ttl asked, signed with the secret', async () => {
    const board = freshId()
    const before = nowSeconds()
    const run = await runTokenCli(['--board', board, '--scope', 'ro', '--ttl', '1h'])
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n').filter((line) => line !== '')
    expect(lines).toHaveLength(1)
    const token = lines[0] as string
    expect(token).toMatch(/^pb1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    const claims = readClaims(token)
    expect(claims.b).toBe(board)
    expect(claims.s).toBe('ro')
    expect(claims.e).toBeGreaterThanOrEqual(before + 3600)
    expect(claims.e).toBeLessThanOrEqual(nowSeconds() + 3600)
    // Re-signing its payload with the secret gives the same token: the mac is the SPEC's HMAC.
    expect(signPayload(TEST_SECRET, Buffer.from(token.split('.')[1] as string, 'base64url').toString())).toBe(token)
    expect(run.stderr).toContain(board)
  })

  it('[A2] without --board it mints a token for a new board; RELAY_SECRET_FILE works like RELAY_SECRET', async () => {
    const dir = tempDataDir()
    const file = join(dir, 'secret')
    writeFileSync(file, `${TEST_SECRET}\n`)
    const run = await runTokenCli([], { RELAY_SECRET_FILE: file })
    rmSync(dir, { recursive: true, force: true })
    expect(run.code).toBe(0)
    const token = run.stdout.trim()
    const claims = readClaims(token)
    expect(claims.b).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(claims.s).toBe('rw')
    expect(signPayload(TEST_SECRET, Buffer.from(token.split('.')[1] as string, 'base64url').toString())).toBe(token)
  })

  const board = 'AbCdEfGhIjKlMnOpQr_-12'
  it.each([
    { name: 'no secret configured', args: ['--board', board], env: {}, names: 'RELAY_SECRET' },
    { name: 'a secret shorter than 32 characters', args: ['--board', board], env: { RELAY_SECRET: 'short' }, names: 'RELAY_SECRET' },
    { name: 'an invalid --board', args: ['--board', 'nope'], env: { RELAY_SECRET: TEST_SECRET }, names: '--board' },
    { name: 'an invalid --scope', args: ['--board', board, '--scope', 'admin'], env: { RELAY_SECRET: TEST_SECRET }, names: '--scope' },
    { name: 'an invalid --ttl', args: ['--board', board, '--ttl', '1y'], env: { RELAY_SECRET: TEST_SECRET }, names: '--ttl' },
    { name: 'a --ttl of 0', args: ['--board', board, '--ttl', '0'], env: { RELAY_SECRET: TEST_SECRET }, names: '--ttl' },
    { name: 'an option without its value', args: ['--board'], env: { RELAY_SECRET: TEST_SECRET }, names: '--board' },
    { name: 'an unknown option', args: ['--nope', 'x'], env: { RELAY_SECRET: TEST_SECRET }, names: '--nope' },
  ])('[A2] $name: exit 2, one stderr line naming it, nothing on stdout', async ({ args, env, names }) => {
    const run = await runTokenCli(args, env)
    expect(run.code).toBe(2)
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '')
    expect(lines, run.stderr).toHaveLength(1)
    expect(lines[0]).toContain(names)
    expect(run.stdout).toBe('')
  })
})
