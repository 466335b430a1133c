/** Polls `check` until it returns true (or a truthy value), failing with `what` after `timeoutMs`. */
export const waitFor = async <T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value
      last = value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`)
    }
    await new Promise((r) => setTimeout(r, 25))
  }
}
