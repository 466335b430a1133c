import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawUpgrade, tryUpgrade } from '../helpers/httpRequest'
import type { RelayProcess } from '../helpers/relayProcess'
import { createPool, getHealth } from '../helpers/syncClients'
import { waitFor } from '../helpers/wait'

const BOARD_ID = 'AbCdEfGhIjKlMnOpQr_-12'
const PROPOSAL_ID = 'zyXWvuTSrqPONmlKJih-_0'

/** [R1] The relay accepts dotted URL-safe room names of at most 100 characters, nothing else. */
describe('relay upgrade', () => {
  const pool = createPool()
  let relay: RelayProcess

  beforeAll(async () => {
    relay = await pool.relay()
  })
  afterAll(() => pool.clear())

  it.each([
    ['a board room', `/sync/${BOARD_ID}`],
    ['a proposal body room', `/sync/${BOARD_ID}.p.${PROPOSAL_ID}`],
    ['a room kind a newer client may add', `/sync/${BOARD_ID}.x.${PROPOSAL_ID}`],
    ['a 100-character name', `/sync/${'a'.repeat(100)}`],
    ['a name with a query string', `/sync/${BOARD_ID}?token=abc`],
  ])('[R1] %s is accepted', async (_name, path) => {
    expect(await tryUpgrade(`ws://127.0.0.1:${relay.port}${path}`)).toBe('open')
  })

  it.each([
    ['a name with an escaped space', '/sync/bad%20name'],
    ['a 101-character name', `/sync/${'a'.repeat(101)}`],
    ['a 200-character name', `/sync/${'a'.repeat(200)}`],
    ['an empty name', '/sync/'],
    ['a name with a slash', '/sync/a/b'],
    ['a name with a single dot', '/sync/a.b'],
    ['a name ending in a dot', `/sync/${BOARD_ID}.`],
    ['a name with an upper-case kind', `/sync/${BOARD_ID}.P.${PROPOSAL_ID}`],
    ['a name with an escaped slash', '/sync/a%2fb'],
    ['a name with non-ASCII letters', '/sync/r%C3%A4um'],
  ])('[R1] %s is refused with HTTP 400 before any WebSocket', async (_name, path) => {
    expect(await tryUpgrade(`ws://127.0.0.1:${relay.port}${path}`)).toBe(400)
  })

  it.each([
    ['the root', '/'],
    ['/healthz', '/healthz'],
    ['a path without the sync prefix', '/rooms/abc'],
    ['/sync without a slash', '/sync'],
    ['a look-alike prefix', '/syncing/abc'],
  ])('[R1] an upgrade to %s is refused with HTTP 404', async (_name, path) => {
    expect(await tryUpgrade(`ws://127.0.0.1:${relay.port}${path}`)).toBe(404)
  })

  it('[R1] upgrade paths sent verbatim (no client-side normalisation) are checked the same way', async () => {
    expect(await rawUpgrade(relay.port, `/sync/${BOARD_ID}`)).toBe(101)
    // The path is resolved as a URL first: these name no room (they resolve to / or /sync/).
    for (const path of ['/sync/..', '/sync/%2e%2e', '/sync/.', '/sync/x/..', '/sync/%2E']) {
      expect([400, 404], path).toContain(await rawUpgrade(relay.port, path))
    }
    expect(await rawUpgrade(relay.port, '/sync/a%00b')).toBe(400)
    // ... and this one resolves to /sync/<id>.
    expect(await rawUpgrade(relay.port, `/other/../sync/${BOARD_ID}`)).toBe(101)
  })

  it('[R1] refused upgrades leave no room or connection behind', async () => {
    // Sockets accepted by the tests above are closing; wait until they are gone.
    await waitFor('an idle relay', async () => {
      const health = await getHealth(relay)
      return health.rooms === 0 && health.connections === 0
    })
    expect(await tryUpgrade(`ws://127.0.0.1:${relay.port}/sync/bad%20name`)).toBe(400)
    expect(await tryUpgrade(`ws://127.0.0.1:${relay.port}/nowhere`)).toBe(404)
    expect(await getHealth(relay)).toMatchObject({ status: 'ok', rooms: 0, connections: 0 })
  })
})
