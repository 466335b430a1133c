import { useState, type FormEvent } from 'react'
import { PeerboardError, type MemberId } from '../../../shared/src'
import { PROFILE_COLORS, randomProfileColor, saveProfile, type LocalProfile } from './localProfile'

export const ProfileForm = ({
  profile,
  memberId,
  onSaved,
}: {
  profile: LocalProfile | null
  memberId: MemberId
  onSaved: (profile: LocalProfile) => void
}) => {
  const [name, setName] = useState(profile?.name ?? '')
  const [color, setColor] = useState<string>(() => profile?.color ?? randomProfileColor())
  const [error, setError] = useState<string | null>(null)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    try {
      onSaved(saveProfile({ name, color }, memberId))
      setError(null)
    } catch (caught) {
      if (!(caught instanceof PeerboardError)) throw caught
      setError(caught.message)
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Your profile">
      <label>
        Your name
        <input name="displayName" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
      </label>
      <fieldset className="colors">
        <legend>Your colour</legend>
        {PROFILE_COLORS.map((c) => (
          <label key={c.value} className="swatch" style={{ background: c.value }} title={c.name}>
            <input
              type="radio"
              name="color"
              value={c.value}
              checked={color === c.value}
              onChange={() => setColor(c.value)}
            />
            <span className="visually-hidden">{c.name}</span>
          </label>
        ))}
      </fieldset>
      {error !== null && <p role="alert" className="error">{error}</p>}
      <button type="submit">{profile === null ? 'Continue' : 'Save'}</button>
    </form>
  )
}
