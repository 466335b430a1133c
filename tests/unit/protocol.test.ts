import { describe, expect, it } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import {
  CLOSE_MALFORMED_MESSAGE,
  CLOSE_MESSAGE_TOO_LARGE,
  CLOSE_NORMAL,
  CLOSE_SERVICE_RESTART,
  CLOSE_UNKNOWN_MESSAGE_TYPE,
  isPermanentCloseCode,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_PATH_PREFIX,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from '../../shared/src'

describe('protocol constants', () => {
  it('message types are the y-websocket ones', () => {
    // y-websocket numbers them messageSync 0, messageAwareness 1, messageAuth 2, messageQueryAwareness 3.
    expect([MESSAGE_SYNC, MESSAGE_AWARENESS, MESSAGE_AUTH, MESSAGE_QUERY_AWARENESS]).toEqual([0, 1, 2, 3])
    expect(SYNC_STEP_1).toBe(syncProtocol.messageYjsSyncStep1)
    expect(SYNC_STEP_2).toBe(syncProtocol.messageYjsSyncStep2)
    expect(SYNC_UPDATE).toBe(syncProtocol.messageYjsUpdate)
    expect(SYNC_PATH_PREFIX).toBe('/sync/')
  })

  it('close codes 4400-4499 are permanent, the others are not', () => {
    expect([CLOSE_NORMAL, CLOSE_SERVICE_RESTART]).toEqual([1000, 1012])
    expect([CLOSE_MALFORMED_MESSAGE, CLOSE_UNKNOWN_MESSAGE_TYPE, CLOSE_MESSAGE_TOO_LARGE]).toEqual([4400, 4401, 4413])
    for (const code of [CLOSE_MALFORMED_MESSAGE, CLOSE_UNKNOWN_MESSAGE_TYPE, CLOSE_MESSAGE_TOO_LARGE, 4499]) {
      expect(isPermanentCloseCode(code)).toBe(true)
    }
    for (const code of [CLOSE_NORMAL, CLOSE_SERVICE_RESTART, 1006, 4000, 4399, 4500]) {
      expect(isPermanentCloseCode(code)).toBe(false)
    }
  })
})
