import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'
import {
  isSymmetricRelationKind,
  type Actor,
  type ActorId,
  type ActorKind,
  type ActorPosition,
  type MapSnapshot,
} from '../../../shared/src'
import { layoutActors, NODE_R } from './layout'
import { NodeShape } from './NodeShape'

interface Props {
  readonly snapshot: MapSnapshot
  readonly selected: ActorId | null
  readonly readOnly: boolean
  readonly onSelect: (id: ActorId | null) => void
  /** Called once when a drag ends (or per arrow-key step), never on every pointer move. */
  readonly onMove: (id: ActorId, position: ActorPosition) => void
}

/** Where (0, 0) of the drawing sits on screen, and how much it is magnified. */
interface Camera {
  readonly x: number
  readonly y: number
  readonly zoom: number
}

type Gesture =
  | { readonly kind: 'pan'; readonly pointerId: number; readonly startX: number; readonly startY: number; readonly from: Camera; moved: boolean }
  | {
      readonly kind: 'drag'
      readonly pointerId: number
      readonly id: ActorId
      readonly startX: number
      readonly startY: number
      readonly from: ActorPosition
      moved: boolean
      /** Where the node is now; the drop writes this (state may lag a pointer event behind). */
      at: ActorPosition
    }

const MIN_ZOOM = 0.25
const MAX_ZOOM = 4
/** Screen pixels a pointer must travel before a press becomes a drag. */
const DRAG_THRESHOLD = 4
/** Drawing units an arrow key moves the focused actor. */
const KEY_STEP = 20

const clampZoom = (zoom: number): number => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom))

const KIND_LABEL: Record<ActorKind, string> = {
  person: 'person',
  group: 'group',
  organisation: 'organisation',
  'non-human': 'non-human',
}

const initialOf = (name: string): string => [...name.trim()][0]?.toUpperCase() ?? '?'

/**
 * The stakeholder map as an SVG drawing: actors as nodes (shape by kind), relations as labelled
 * edges (arrows for directed kinds). Drag the background to pan, wheel or the buttons to zoom,
 * drag a node to move it (written once, on drop), click or Enter to select, arrow keys to nudge.
 */
export const MapCanvas = ({ snapshot, selected, readOnly, onSelect, onMove }: Props) => {
  const svgRef = useRef<SVGSVGElement>(null)
  const gesture = useRef<Gesture | null>(null)
  const [camera, setCamera] = useState<Camera>({ x: 0, y: 0, zoom: 1 })
  const [dragging, setDragging] = useState<{ readonly id: ActorId; readonly position: ActorPosition } | null>(null)

  const laidOut = useMemo(() => layoutActors(snapshot), [snapshot])
  const positionOf = (id: ActorId): ActorPosition =>
    dragging?.id === id ? dragging.position : (laidOut.get(id) ?? { x: 0, y: 0 })
  const names = useMemo(() => new Map(snapshot.actors.map((a) => [a.id, a.name])), [snapshot])

  const centre = () => {
    const svg = svgRef.current
    if (svg === null) return
    const rect = svg.getBoundingClientRect()
    setCamera({ x: rect.width / 2, y: rect.height / 2, zoom: 1 })
  }
  useLayoutEffect(centre, [])

  const zoomAt = (factor: number, px?: number, py?: number) => {
    const rect = svgRef.current?.getBoundingClientRect()
    const x = px ?? (rect === undefined ? 0 : rect.width / 2)
    const y = py ?? (rect === undefined ? 0 : rect.height / 2)
    setCamera((c) => {
      const zoom = clampZoom(c.zoom * factor)
      const k = zoom / c.zoom
      return { zoom, x: x - (x - c.x) * k, y: y - (y - c.y) * k }
    })
  }

  // React's wheel listener is passive; this one must be able to stop the page from scrolling.
  useEffect(() => {
    const svg = svgRef.current
    if (svg === null) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const rect = svg.getBoundingClientRect()
      const factor = Math.exp(-e.deltaY * 0.0015)
      setCamera((c) => {
        const zoom = clampZoom(c.zoom * factor)
        const k = zoom / c.zoom
        const px = e.clientX - rect.left
        const py = e.clientY - rect.top
        return { zoom, x: px - (px - c.x) * k, y: py - (py - c.y) * k }
      })
    }
    svg.addEventListener('wheel', onWheel, { passive: false })
    return () => svg.removeEventListener('wheel', onWheel)
  }, [])

  const capture = (pointerId: number) => {
    try {
      svgRef.current?.setPointerCapture(pointerId)
    } catch {
      // The pointer may already be gone (a synthetic or cancelled one); the gesture still works without capture.
    }
  }

  const onBackgroundDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0 || gesture.current !== null) return
    gesture.current = { kind: 'pan', pointerId: e.pointerId, startX: e.clientX, startY: e.clientY, from: camera, moved: false }
    capture(e.pointerId)
  }

  const onNodeDown = (e: PointerEvent<SVGGElement>, actor: Actor) => {
    if (e.button !== 0) return
    e.stopPropagation()
    onSelect(actor.id)
    if (readOnly) return
    gesture.current = {
      kind: 'drag',
      pointerId: e.pointerId,
      id: actor.id,
      startX: e.clientX,
      startY: e.clientY,
      from: positionOf(actor.id),
      moved: false,
      at: positionOf(actor.id),
    }
    capture(e.pointerId)
  }

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const g = gesture.current
    if (g === null || g.pointerId !== e.pointerId) return
    const dx = e.clientX - g.startX
    const dy = e.clientY - g.startY
    if (!g.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return
    g.moved = true
    if (g.kind === 'pan') setCamera({ ...g.from, x: g.from.x + dx, y: g.from.y + dy })
    else {
      g.at = { x: g.from.x + dx / camera.zoom, y: g.from.y + dy / camera.zoom }
      setDragging({ id: g.id, position: g.at })
    }
  }

  const endGesture = (e: PointerEvent<SVGSVGElement>, commit: boolean) => {
    const g = gesture.current
    if (g === null || g.pointerId !== e.pointerId) return
    gesture.current = null
    if (svgRef.current?.hasPointerCapture(e.pointerId) === true) svgRef.current.releasePointerCapture(e.pointerId)
    if (g.kind === 'pan') {
      if (commit && !g.moved) onSelect(null)
      return
    }
    if (commit && g.moved) onMove(g.id, { x: Math.round(g.at.x), y: Math.round(g.at.y) })
    setDragging(null)
  }

  const onNodeKey = (e: KeyboardEvent<SVGGElement>, actor: Actor) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      onSelect(actor.id)
      return
    }
    const step: Record<string, readonly [number, number]> = {
      ArrowLeft: [-KEY_STEP, 0],
      ArrowRight: [KEY_STEP, 0],
      ArrowUp: [0, -KEY_STEP],
      ArrowDown: [0, KEY_STEP],
    }
    const delta = step[e.key]
    if (delta === undefined || readOnly) return
    e.preventDefault()
    const at = positionOf(actor.id)
    onMove(actor.id, { x: Math.round(at.x + delta[0]), y: Math.round(at.y + delta[1]) })
  }

  return (
    <div className="map-canvas-wrap">
      <svg
        ref={svgRef}
        className="map-canvas"
        data-testid="map-canvas"
        role="group"
        aria-label="Stakeholder map drawing"
        onPointerDown={onBackgroundDown}
        onPointerMove={onPointerMove}
        onPointerUp={(e) => endGesture(e, true)}
        onPointerCancel={(e) => endGesture(e, false)}
      >
        <defs>
          <marker
            id="map-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" className="map-arrow-head" />
          </marker>
        </defs>
        <g transform={`translate(${camera.x} ${camera.y}) scale(${camera.zoom})`}>
          {snapshot.relations.map((relation) => {
            const a = positionOf(relation.from)
            const b = positionOf(relation.to)
            const length = Math.hypot(b.x - a.x, b.y - a.y) || 1
            const ux = (b.x - a.x) / length
            const uy = (b.y - a.y) / length
            const directed = !isSymmetricRelationKind(relation.kind)
            const gap = NODE_R + 4
            const label = `${names.get(relation.from) ?? '?'} ${relation.kind} ${names.get(relation.to) ?? '?'}`
            return (
              <g
                key={relation.id}
                className={`map-edge${relation.touchesArchived ? ' archived' : ''}`}
                data-testid="map-edge"
                data-kind={relation.kind}
                role="img"
                aria-label={label}
              >
                <title>{relation.note === '' ? label : `${label}: ${relation.note}`}</title>
                <line
                  x1={a.x + ux * gap}
                  y1={a.y + uy * gap}
                  x2={b.x - ux * gap}
                  y2={b.y - uy * gap}
                  markerEnd={directed ? 'url(#map-arrow)' : undefined}
                  strokeDasharray={relation.kind === 'in-tension-with' ? '6 4' : undefined}
                />
                <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 6} textAnchor="middle" className="map-edge-label">
                  {relation.kind}
                </text>
              </g>
            )
          })}
          {snapshot.actors.map((actor) => {
            const at = positionOf(actor.id)
            const isSelected = actor.id === selected
            return (
              <g
                key={actor.id}
                transform={`translate(${at.x} ${at.y})`}
                className={`map-node kind-${actor.kind}${actor.archived ? ' archived' : ''}${isSelected ? ' selected' : ''}${dragging?.id === actor.id ? ' dragging' : ''}`}
                data-testid="map-node"
                data-actor-name={actor.name}
                role="button"
                tabIndex={0}
                aria-pressed={isSelected}
                aria-label={`${actor.name}, ${KIND_LABEL[actor.kind]}${actor.archived ? ', archived' : ''}`}
                onPointerDown={(e) => onNodeDown(e, actor)}
                onKeyDown={(e) => onNodeKey(e, actor)}
              >
                <NodeShape kind={actor.kind} />
                <text className="map-node-initial" textAnchor="middle" dy="0.35em" aria-hidden="true">
                  {initialOf(actor.name)}
                </text>
                <text className="map-node-name" textAnchor="middle" y={NODE_R + 16} aria-hidden="true">
                  {actor.name}
                </text>
                <text className="map-node-kind" textAnchor="middle" y={NODE_R + 30} aria-hidden="true">
                  {actor.archived ? `${KIND_LABEL[actor.kind]} · archived` : KIND_LABEL[actor.kind]}
                </text>
              </g>
            )
          })}
        </g>
      </svg>
      {snapshot.actors.length === 0 && <p className="map-empty muted">No actors yet.</p>}
      <div className="map-zoom" role="group" aria-label="Zoom">
        <button type="button" aria-label="Zoom in" onClick={() => zoomAt(1.25)}>
          +
        </button>
        <button type="button" aria-label="Zoom out" onClick={() => zoomAt(0.8)}>
          −
        </button>
        <button type="button" className="secondary" onClick={centre}>
          Reset view
        </button>
      </div>
    </div>
  )
}
