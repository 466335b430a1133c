/**
 * Asks the browser to keep this site's storage (IndexedDB holds every board on this device);
 * without it the browser may evict the data under storage pressure. Returns whether storage is
 * persistent; asking twice is harmless.
 */
export const requestPersistentStorage = async (): Promise<boolean> => {
  if (typeof navigator === 'undefined' || navigator.storage?.persist === undefined) return false
  try {
    if (await navigator.storage.persisted()) return true
    return await navigator.storage.persist()
  } catch {
    return false
  }
}
