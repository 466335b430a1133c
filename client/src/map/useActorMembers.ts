import { useEffect, useState, useSyncExternalStore } from 'react'
import {
  createCachedView,
  observeActorMembers,
  readActorMembers,
  type ActorId,
  type CachedView,
  type MemberId,
} from '../../../shared/src'

type Links = ReadonlyMap<ActorId, MemberId>
/** The board doc, named through the read it feeds (components and hooks do not import yjs). */
type BoardDoc = Parameters<typeof readActorMembers>[0]

const NONE: Links = new Map()
const noView = (): (() => void) => () => undefined

/** Which board member each actor of the map is, live (SPEC [C11]); empty before the view exists. */
export const useActorMembers = (doc: BoardDoc | null): Links => {
  const [view, setView] = useState<CachedView<Links> | null>(null)
  useEffect(() => {
    if (doc === null) return
    const created = createCachedView(doc, readActorMembers, observeActorMembers)
    setView(created)
    return () => {
      created.destroy()
      setView(null)
    }
  }, [doc])
  return useSyncExternalStore(view?.subscribe ?? noView, () => view?.getSnapshot() ?? NONE)
}
