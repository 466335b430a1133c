import type * as Y from 'yjs'
import type { MapSnapshot } from '../model/map'
import { createCachedView, type CachedView } from './cachedView'
import { observeMap, readMap } from './map'

/** The stakeholder map as a cached view (see CachedView). */
export type MapView = CachedView<MapSnapshot>

export const createMapView = (doc: Y.Doc): MapView => createCachedView(doc, readMap, observeMap)
