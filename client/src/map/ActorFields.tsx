import { ACTOR_KINDS, type ActorKind } from '../../../shared/src'

/** What the add and edit forms hold for an actor, as typed. */
export interface ActorDraft {
  readonly name: string
  readonly kind: ActorKind
  readonly description: string
  /** Comma- or line-separated, as typed. */
  readonly interests: string
}

export const emptyDraft: ActorDraft = { name: '', kind: 'person', description: '', interests: '' }

/** The name, kind, description and interests fields shared by the add and edit forms. */
export const ActorFields = ({ draft, onChange }: { draft: ActorDraft; onChange: (draft: ActorDraft) => void }) => (
  <>
    <label>
      Name
      <input name="name" value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} />
    </label>
    <label>
      Kind{' '}
      <select
        name="kind"
        value={draft.kind}
        onChange={(e) => onChange({ ...draft, kind: e.target.value as ActorKind })}
      >
        {ACTOR_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {kind}
          </option>
        ))}
      </select>
    </label>
    <label>
      Description
      <textarea
        name="description"
        rows={2}
        value={draft.description}
        onChange={(e) => onChange({ ...draft, description: e.target.value })}
      />
    </label>
    <label>
      Interests <span className="muted">(comma or one per line)</span>
      <textarea
        name="interests"
        rows={2}
        value={draft.interests}
        onChange={(e) => onChange({ ...draft, interests: e.target.value })}
      />
    </label>
  </>
)
