import * as Y from 'yjs'

/**
 * A proposal body is its own Y.Doc (room `<boardId>.p.<proposalId>`), bound to a Lexical editor
 * by @lexical/yjs through the top-level XmlText named `root`. The structure under it belongs to
 * Lexical's binding; shared knows only the root key and the empty-body seed below.
 */
export const PROPOSAL_BODY_ROOT = 'root'

/**
 * The client id that wrote the seed. A real replica's random 32-bit client id equals it with
 * probability 2^-32; the seed is two items at clocks 0-1.
 */
export const SEED_CLIENT_ID = 1

/**
 * The empty body: one paragraph, written once by client SEED_CLIENT_ID. Every replica applies
 * these exact bytes before binding an editor (SPEC [B1]). Yjs identifies items by
 * (client, clock), so however many devices apply the seed, offline or not, it merges into one
 * paragraph instead of one per device. The bytes are frozen: changing them would split replicas.
 */
export const EMPTY_BODY_SEED: Uint8Array = Uint8Array.from([
  1, 2, 1, 0, 7, 1, 4, 114, 111, 111, 116, 6, 40, 0, 1, 0, 6, 95, 95, 116, 121, 112, 101, 1, 119, 9,
  112, 97, 114, 97, 103, 114, 97, 112, 104, 0,
])

/** Builds the seed's update from scratch (used to check the frozen bytes). */
export const buildEmptyBodySeed = (): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = SEED_CLIENT_ID
  const yParagraph = new Y.XmlText()
  yParagraph.setAttribute('__type', 'paragraph')
  doc.get(PROPOSAL_BODY_ROOT, Y.XmlText).insertEmbed(0, yParagraph)
  return Y.encodeStateAsUpdate(doc)
}
