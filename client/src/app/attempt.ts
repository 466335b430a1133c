import { PeerboardError } from '../../../shared/src'

/** Runs a shared op; returns the PeerboardError's message for people, or null when it wrote. */
export const attempt = (write: () => void): string | null => {
  try {
    write()
    return null
  } catch (error) {
    if (error instanceof PeerboardError) return error.message
    throw error
  }
}
