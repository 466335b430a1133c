import type * as WebCrypto from 'lib0/webcrypto'

/**
 * Seeded ids for simulations. Shared draws every id from lib0/webcrypto's getRandomValues; a test
 * replaces that module with `seededWebcrypto(actual)` and sets `idSource.random` for the length of a
 * run, so that one seed decides everything, ids included, and a failing seed replays exactly:
 *
 *   vi.mock('lib0/webcrypto', async (importOriginal) =>
 *     (await import('../helpers/seededIds')).seededWebcrypto(await importOriginal()))
 */
export const idSource: { random: (() => number) | null } = { random: null }

export const seededWebcrypto = (actual: typeof WebCrypto): typeof WebCrypto => ({
  ...actual,
  getRandomValues: <T extends ArrayBufferView>(array: T): T => {
    const random = idSource.random
    if (random === null) return actual.getRandomValues(array as never) as T
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256)
    return array
  },
})
