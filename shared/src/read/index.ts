export * from './board'
export * from './boardView'
export * from './observe'
export * from './proposals'
