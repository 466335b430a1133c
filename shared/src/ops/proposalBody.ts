import * as Y from 'yjs'
import { EMPTY_BODY_SEED } from '../schema/proposalBody'

/** Transaction origin of the seed, so sync-status tracking does not count it as a local edit. */
export const SEED_ORIGIN: unique symbol = Symbol('peerboard/seed')

/**
 * Gives a proposal body its one empty paragraph if it has none yet (SPEC [B1]). Safe to call on
 * every replica, any number of times, before or after sync: the seed has a fixed identity.
 */
export const seedProposalBody = (doc: Y.Doc): void => {
  Y.applyUpdate(doc, EMPTY_BODY_SEED, SEED_ORIGIN)
}
