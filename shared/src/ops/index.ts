export * from './board'
export * from './guard'
export * from './proposals'
export * from './proposalBody'
