/** The trust layer: signed entries on per-device chains, and who counts as a member (SPEC E, M). */
export * from './entryFormat'
export * from './entryData'
export * from './verifyEnvelope'
export * from './EntryGraph'
export * from './joinProof'
export * from './trustRules'
export * from './writeEntry'
export * from './entriesDoc'
