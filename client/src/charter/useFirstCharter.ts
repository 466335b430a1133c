import { useEffect } from 'react'
import type * as Y from 'yjs'
import { DEFAULT_CHARTER, readMemberRecords, writeFirstCharter, type DecisionsSnapshot } from '../../../shared/src'
import type { DeviceIdentity } from '../identity/deviceIdentity'

/**
 * The board creator's device writes the first charter (SPEC [H1]) once the creator's member record
 * is on the board: the default rules, "not yet ratified" until the board ratifies or amends them.
 */
export const useFirstCharter = (
  doc: Y.Doc | null,
  snapshot: DecisionsSnapshot | null,
  identity: DeviceIdentity,
  writable: boolean,
): void => {
  useEffect(() => {
    if (doc === null || snapshot === null || !writable) return
    if (snapshot.creator !== identity.memberId || snapshot.charter.inForce !== null) return
    if (!readMemberRecords(doc).has(identity.memberId)) return
    try {
      writeFirstCharter(doc, identity.signer, { by: identity.memberId, content: DEFAULT_CHARTER, adoptedAt: Date.now() })
    } catch (error) {
      console.warn('Could not write the first charter:', error)
    }
  }, [doc, snapshot, identity, writable])
}
