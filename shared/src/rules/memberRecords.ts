import { encodeUtf8 } from 'lib0/string'
import { sha256 } from '@noble/hashes/sha2.js'
import type { MemberId } from '../model/ids'
import { isMemberId } from '../model/ids'
import { fromBase64url, toBase64url } from './base64url'
import { canonicalBytes, canonicalJson } from './canonical'
import { SIGNATURE_DOMAINS, signFor, verifyFor, type Signer } from './signatures'

/**
 * Member records (SPEC [I1]-[I5]). A member is founded by one device key; the member id is derived
 * from that key, so nobody else can claim it. The founder certifies further devices (a signed
 * statement "this key is also <member>"), and any certified device, or the founder, signs the
 * member's record: name, colour, devices, and its own sequence number. Records are stored as the
 * exact canonical bytes that were signed.
 */

export interface DeviceCertificate {
  /** The device's public key, base64url. */
  readonly key: string
  readonly addedAt: number
  /** The founder's signature over canonical {member, key, addedAt}, base64url. */
  readonly cert: string
}

export interface MemberBody {
  readonly v: 1
  readonly member: MemberId
  readonly name: string
  readonly color: string
  /** The founding device's public key, base64url. */
  readonly founder: string
  readonly devices: readonly DeviceCertificate[]
  /** The member's own sequence number: a higher one replaces a lower one (SPEC [I3]). */
  readonly seq: number
  readonly updatedAt: number
}

/** What is stored: the signed bytes verbatim (as a string), the signing key and the signature. */
export interface MemberEnvelope {
  readonly body: string
  readonly signer: string
  readonly sig: string
}

/** The member id a founding key gives: the first 128 bits of its SHA-256, base64url. */
export const memberIdForKey = (founderKey: Uint8Array): MemberId =>
  toBase64url(sha256(founderKey).slice(0, 16)) as MemberId

const certBody = (member: MemberId, key: string, addedAt: number) => canonicalBytes({ member, key, addedAt })

/** The founder's certificate that `deviceKey` also belongs to `member`. */
export const certifyDevice = (
  founder: Signer,
  member: MemberId,
  deviceKey: Uint8Array,
  addedAt: number,
): DeviceCertificate => {
  const key = toBase64url(deviceKey)
  return { key, addedAt, cert: toBase64url(signFor(founder, SIGNATURE_DOMAINS.device, certBody(member, key, addedAt))) }
}

/** Signs a member body with a device key; the caller has validated the body. */
export const signMemberBody = (signer: Signer, body: MemberBody): MemberEnvelope => {
  const text = canonicalJson({
    v: body.v,
    member: body.member,
    name: body.name,
    color: body.color,
    founder: body.founder,
    devices: body.devices.map((d) => ({ key: d.key, addedAt: d.addedAt, cert: d.cert })),
    seq: body.seq,
    updatedAt: body.updatedAt,
  })
  const bytes = encodeUtf8(text)
  return {
    body: text,
    signer: toBase64url(signer.publicKey),
    sig: toBase64url(signFor(signer, SIGNATURE_DOMAINS.member, bytes)),
  }
}

export type MemberVerdict =
  | { readonly ok: true; readonly body: MemberBody }
  | { readonly ok: false; readonly reason: string }

const COLOR = /^#[0-9a-fA-F]{6}$/

const parseBody = (text: string): MemberBody | null => {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  const b = raw as Partial<Record<keyof MemberBody, unknown>> | null
  if (b === null || typeof b !== 'object') return null
  if (b.v !== 1 || !isMemberId(b.member) || typeof b.name !== 'string' || typeof b.color !== 'string') return null
  if (typeof b.founder !== 'string' || !Array.isArray(b.devices)) return null
  if (!Number.isSafeInteger(b.seq) || !Number.isSafeInteger(b.updatedAt)) return null
  const devices: DeviceCertificate[] = []
  for (const d of b.devices as unknown[]) {
    const c = d as Partial<DeviceCertificate> | null
    if (c === null || typeof c !== 'object' || typeof c.key !== 'string' || typeof c.cert !== 'string') return null
    if (typeof c.addedAt !== 'number' || !Number.isSafeInteger(c.addedAt)) return null
    devices.push({ key: c.key, addedAt: c.addedAt, cert: c.cert })
  }
  return {
    v: 1,
    member: b.member,
    name: b.name,
    color: b.color,
    founder: b.founder,
    devices,
    seq: b.seq as number,
    updatedAt: b.updatedAt as number,
  }
}

/**
 * Checks an envelope (SPEC [I2]): the body is canonical, the member id is the founder's, every
 * device certificate is the founder's signature, the signer is the founder or a certified device,
 * and the signature is over the stored bytes. Anything else is unverified, with the reason.
 */
export const verifyMemberEnvelope = (envelope: MemberEnvelope, expectedMember?: string): MemberVerdict => {
  const body = parseBody(envelope.body)
  if (body === null) return { ok: false, reason: 'record is not a member record' }
  if (expectedMember !== undefined && body.member !== expectedMember) {
    return { ok: false, reason: 'record is stored under another member' }
  }
  if (!COLOR.test(body.color) || body.name.trim() === '' || body.name.length > 60) {
    return { ok: false, reason: 'record has an invalid name or colour' }
  }
  const founderKey = fromBase64url(body.founder)
  if (founderKey === null || founderKey.length !== 32) return { ok: false, reason: 'founder key is malformed' }
  if (memberIdForKey(founderKey) !== body.member) return { ok: false, reason: 'member id does not match its founder key' }
  const bytes = encodeUtf8(envelope.body)
  if (canonicalJson(JSON.parse(envelope.body) as never) !== envelope.body) {
    return { ok: false, reason: 'record is not in canonical form' }
  }
  const authorised = new Set([body.founder])
  for (const device of body.devices) {
    const key = fromBase64url(device.key)
    const cert = fromBase64url(device.cert)
    if (
      key === null ||
      key.length !== 32 ||
      cert === null ||
      !verifyFor(founderKey, SIGNATURE_DOMAINS.device, certBody(body.member, device.key, device.addedAt), cert)
    ) {
      return { ok: false, reason: 'a device certificate does not verify' }
    }
    authorised.add(device.key)
  }
  if (!authorised.has(envelope.signer)) return { ok: false, reason: 'signed by a key that is not one of the member’s devices' }
  const signerKey = fromBase64url(envelope.signer)
  const sig = fromBase64url(envelope.sig)
  if (signerKey === null || sig === null || !verifyFor(signerKey, SIGNATURE_DOMAINS.member, bytes, sig)) {
    return { ok: false, reason: 'signature does not verify' }
  }
  return { ok: true, body }
}

/** Which member a device key belongs to, by the board's verified member records (null: unknown). */
export type Keyring = (deviceKey: string) => MemberId | null

/**
 * A keyring over members as the board lists them: each member's device keys, its founding key
 * first (as readMembers gives them). A founding key belongs to its member (the member id derives
 * from it). Any other key belongs to the one member that lists it; a key listed by two members
 * (a founder can certify any public key) belongs to nobody, the same on every device, so an entry
 * is never credited to whoever happens to be read first. Every domain asks this one function
 * (ledger entries SPEC [G6], decision records SPEC [C14]).
 */
export const keyringFromMembers = (
  members: Iterable<{ readonly id: MemberId; readonly devices: readonly string[] }>,
): Keyring => {
  const founders = new Map<string, MemberId>()
  const claims = new Map<string, Set<MemberId>>()
  for (const member of members) {
    const [founder] = member.devices
    if (founder !== undefined) founders.set(founder, member.id)
    for (const key of member.devices) {
      const set = claims.get(key) ?? new Set<MemberId>()
      set.add(member.id)
      claims.set(key, set)
    }
  }
  return (key) => {
    const founder = founders.get(key)
    if (founder !== undefined) return founder
    const claimed = claims.get(key)
    return claimed !== undefined && claimed.size === 1 ? ([...claimed][0] as MemberId) : null
  }
}

/**
 * Other members whose name is the same as `name` (ignoring case and spacing): on a board, the sign
 * that someone joined twice from two devices instead of linking the second one (SPEC [I6]).
 */
export const othersNamed = <M extends { readonly id: MemberId; readonly name: string }>(
  members: Iterable<M>,
  me: MemberId,
  name: string,
): M[] => {
  const key = (text: string): string => text.trim().replace(/\s+/g, ' ').toLocaleLowerCase()
  const wanted = key(name)
  return wanted === '' ? [] : [...members].filter((m) => m.id !== me && key(m.name) === wanted)
}
