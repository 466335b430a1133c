import type { ActorKind } from '../../../shared/src'
import { NODE_R } from './layout'

/** One shape per kind: a circle for a person, a rounded box for a group, a square for an organisation, a hexagon for a non-human interest. */
export const NodeShape = ({ kind }: { kind: ActorKind }) => {
  const r = NODE_R
  switch (kind) {
    case 'person':
      return <circle className="map-shape" r={r} />
    case 'group':
      return <rect className="map-shape" x={-r * 1.2} y={-r} width={r * 2.4} height={r * 2} rx={r * 0.7} />
    case 'organisation':
      return <rect className="map-shape" x={-r} y={-r} width={r * 2} height={r * 2} rx={3} />
    case 'non-human': {
      const points = Array.from({ length: 6 }, (_, i) => {
        const a = (Math.PI / 3) * i
        return `${(r * 1.1 * Math.cos(a)).toFixed(1)},${(r * 1.1 * Math.sin(a)).toFixed(1)}`
      }).join(' ')
      return <polygon className="map-shape" points={points} />
    }
  }
}
