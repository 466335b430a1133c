import { floorServer } from './floor'
import { hocuspocusServer } from './hocuspocus'
import { peerboardRelay } from './peerboard'
import type { ServerUnderTest } from './ServerUnderTest'
import { yWebsocketServer } from './yWebsocketServer'

/** Every server under test, Peerboard first, the floor last. */
export const SERVERS: readonly ServerUnderTest[] = [peerboardRelay, yWebsocketServer, hocuspocusServer, floorServer]
