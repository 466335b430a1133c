import type * as Y from 'yjs'
import { ROOT_MEMBERS, ROOT_META, ROOT_PROPOSALS } from './keys'

/** Top-level shared types. They exist in every replica without anyone creating them (SPEC [S1]). */
export const yMetaOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_META)
export const yProposalsOf = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(ROOT_PROPOSALS)
export const yMembersOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_MEMBERS)
