import { foundNewBoard, type BoardId } from '../../../shared/src'
import type * as Y from 'yjs'
import { saveTrust } from '../collab/trustStorage'
import type { DeviceIdentity } from '../identity/deviceIdentity'
import type { LocalProfile } from '../profile/localProfile'

/**
 * Founds a board on this device (SPEC [J1]): its genesis, signed by this device with the person's
 * name and colour, written to the fresh doc, and kept in this device's verified store as the
 * genesis it trusts for the board.
 */
export const foundBoardOnDevice = (
  doc: Y.Doc,
  boardId: BoardId,
  name: string,
  identity: DeviceIdentity,
  profile: LocalProfile,
): Promise<void> => {
  // Signing and writing happen now (a bad name throws here); keeping the genesis on the device follows.
  const { genesis } = foundNewBoard(doc, identity.signer, {
    board: boardId,
    name,
    founder: { name: profile.name, color: profile.color.toLowerCase() },
    at: Date.now(),
  })
  return saveTrust(boardId, [{ hash: genesis.hash, envelope: genesis.envelope }], genesis.hash)
}
