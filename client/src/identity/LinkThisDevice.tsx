import { useState, type FormEvent } from 'react'
import { deviceCode, joinMember, type DeviceIdentity } from './deviceIdentity'

/**
 * The new device's half of linking (SPEC [I2]): it shows its device code (a public key) to give to
 * a device that founded the member, then takes the certificate code that device makes. From then
 * on this device signs as that member, and boards count the person once.
 */
export const LinkThisDevice = ({
  identity,
  onJoined,
}: {
  identity: DeviceIdentity
  onJoined: (identity: DeviceIdentity) => void
}) => {
  const [joinCode, setJoinCode] = useState('')
  const [message, setMessage] = useState<string | null>(null)

  const join = async (event: FormEvent) => {
    event.preventDefault()
    try {
      onJoined(await joinMember(joinCode))
      setMessage('This device now signs as that member.')
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <form className="stack compact" onSubmit={(e) => void join(e)} aria-label="Use this device as an existing member">
      <p>
        On your other device, open <strong>Profile and devices</strong> and give it this device code:{' '}
        <code data-testid="device-code">{deviceCode(identity)}</code>
      </p>
      <label>
        Then paste the certificate code it makes
        <input name="certificateCode" value={joinCode} onChange={(e) => setJoinCode(e.target.value)} />
      </label>
      <button type="submit">Join as that member</button>
      {message !== null && <p role="status">{message}</p>}
    </form>
  )
}
