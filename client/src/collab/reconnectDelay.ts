/** The longest a provider waits between two attempts to reach the relay, before jitter. */
export const MAX_RECONNECT_DELAY_MS = 5000

/**
 * How long to wait before reconnection attempt `attempt` (1 for the first after a close): the
 * y-websocket backoff (100 ms × 2^attempt, capped) spread by "equal jitter" over half to one and
 * a half times that, so that the clients of a relay that restarted or closed them all at once do
 * not all come back in the same instant. `random` is in [0, 1).
 */
export const reconnectDelay = (attempt: number, random: number): number => {
  const base = Math.min(100 * 2 ** Math.max(1, attempt), MAX_RECONNECT_DELAY_MS)
  return Math.round(base / 2 + random * base)
}
