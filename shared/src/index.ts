/** The one public entry of shared: the board model, its operations, reads, rules and protocol facts. */
export * from './model'
export * from './ops'
export * from './protocol'
export * from './read'
export * from './rules'
export * from './schema'
export * from './trust'
