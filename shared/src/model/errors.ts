/** Why a write was refused. `field` names the input at fault, when there is one. */
export type PeerboardErrorCode =
  | 'invalid-input'
  | 'not-found'
  /** The caller may not do this (say, edit someone else's message). */
  | 'forbidden'

/**
 * The one error type shared ops throw. Nothing is written when it is thrown; the message is
 * meant for people and is shown as is in the UI.
 */
export class PeerboardError extends Error {
  override readonly name = 'PeerboardError'
  readonly code: PeerboardErrorCode
  readonly field: string | undefined

  constructor(code: PeerboardErrorCode, message: string, field?: string) {
    super(message)
    this.code = code
    this.field = field
  }
}

export const invalidInput = (field: string, message: string): PeerboardError =>
  new PeerboardError('invalid-input', message, field)
