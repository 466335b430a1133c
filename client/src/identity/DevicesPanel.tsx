import { useState, type FormEvent } from 'react'
import { toBase64url } from '../../../shared/src'
import { certifyDeviceCode, type DeviceIdentity } from './deviceIdentity'
import { LinkThisDevice } from './LinkThisDevice'

/**
 * Using Peerboard as the same person on a second device (SPEC [I2]): the new device shows its code
 * (its public key); a device that founded the member turns that into a certificate code; the new
 * device enters it and from then on signs as that member. No secret key ever leaves a device.
 */
export const DevicesPanel = ({
  identity,
  onJoined,
}: {
  identity: DeviceIdentity
  onJoined: (identity: DeviceIdentity) => void
}) => {
  const [incoming, setIncoming] = useState('')
  const [certificate, setCertificate] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const isFounder = toBase64url(identity.founderKey) === toBase64url(identity.signer.publicKey)

  const certify = (event: FormEvent) => {
    event.preventDefault()
    try {
      setCertificate(certifyDeviceCode(identity, incoming))
      setMessage(null)
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <section aria-labelledby="devices-heading" className="devices" data-testid="devices">
      <h2 id="devices-heading">Your devices</h2>
      <p className="muted">
        Member id <code>{identity.memberId}</code>
        {isFounder ? ' (founded on this device)' : ' (this device joined it)'}.
      </p>
      {isFounder && (
        <form className="stack compact" onSubmit={certify} aria-label="Add another device">
          <label>
            Add another device: paste its device code
            <input name="deviceCode" value={incoming} onChange={(e) => setIncoming(e.target.value)} />
          </label>
          <button type="submit">Make a certificate</button>
          {certificate !== null && (
            <label>
              Certificate code for that device
              <input readOnly value={certificate} data-testid="certificate-code" onFocus={(e) => e.currentTarget.select()} />
            </label>
          )}
        </form>
      )}
      <h3>Already a member on another device?</h3>
      <LinkThisDevice identity={identity} onJoined={onJoined} />
      {message !== null && <p role="status">{message}</p>}
    </section>
  )
}
