import { ed25519 } from '@noble/curves/ed25519.js'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  canonicalJson,
  certifyDevice,
  fromBase64url,
  memberIdForKey,
  othersNamed,
  publishMember,
  readMembers,
  readMembersWithProblems,
  ROOT_MEMBERS,
  SCHEMA_VERSION,
  secretKeySigner,
  toBase64url,
  type MemberEnvelope,
  type MemberId,
} from '../../shared/src'
import { copyOf, expectRefused, newReplica, syncAll } from '../helpers/boards'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)?.map((b) => parseInt(b, 16)) ?? [])
const keyFrom = (n: number): Uint8Array => new Uint8Array(32).fill(n)

const founder = secretKeySigner(keyFrom(1))
const laptop = secretKeySigner(keyFrom(2))
const stranger = secretKeySigner(keyFrom(3))
const ada = memberIdForKey(founder.publicKey)

const publishAda = (doc: Y.Doc, name = 'Ada', updatedAt = 1_000) =>
  publishMember(doc, founder, { founderKey: founder.publicKey, name, color: '#6a4c93', devices: [], updatedAt })

const stored = (doc: Y.Doc): Map<string, MemberEnvelope> =>
  new Map(doc.getMap<MemberEnvelope>(ROOT_MEMBERS).entries())

describe('[I1] identity primitives', () => {
  it('[I1] Ed25519 known answer (RFC 8032, test 1)', () => {
    const signer = secretKeySigner(hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'))
    expect(toBase64url(signer.publicKey)).toBe(
      toBase64url(hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')),
    )
    expect(toBase64url(signer.sign(new Uint8Array(0)))).toBe(
      toBase64url(
        hex(
          'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
        ),
      ),
    )
  })

  it('[I1] canonical JSON is the same for reordered input and refuses non-integers', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 'é', y: -2 } })).toBe(
      canonicalJson({ c: { y: -2, z: 'é' }, a: [true, null, 'x'], b: 1 }),
    )
    expect(canonicalJson({ b: 1, a: 'x' })).toBe('{"a":"x","b":1}')
    expect(() => canonicalJson({ a: 1.5 })).toThrow(RangeError)
  })

  it('[I1] base64url round-trips and refuses non-canonical text', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255)
      expect(fromBase64url(toBase64url(bytes))).toEqual(bytes)
    }
    expect(fromBase64url('A')).toBeNull()
    expect(fromBase64url('AB')).toBeNull() // leftover bits set
    expect(fromBase64url('a+b/')).toBeNull()
  })

  it('[I1] the member id is the first 128 bits of the founder key’s SHA-256', () => {
    expect(ada).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(memberIdForKey(laptop.publicKey)).not.toBe(ada)
  })
})

describe('[I2] member records', () => {
  it('[I2] a published record verifies and lists the member with their devices', () => {
    const doc = newReplica()
    publishAda(doc)
    expect(readMembers(doc)).toEqual([
      { id: ada, name: 'Ada', color: '#6a4c93', devices: [toBase64url(founder.publicKey)], seq: 1, updatedAt: 1_000 },
    ])
    expect(readMembersWithProblems(doc).unverified).toEqual([])
  })

  it('[I2] a second device certified by the founder signs the member’s record', () => {
    const doc = newReplica()
    publishAda(doc)
    const cert = certifyDevice(founder, ada, laptop.publicKey, 2_000)
    publishMember(doc, laptop, {
      founderKey: founder.publicKey,
      name: 'Ada L.',
      color: '#6a4c93',
      devices: [cert],
      updatedAt: 2_000,
    })
    const [member] = readMembers(doc)
    expect(member?.name).toBe('Ada L.')
    expect(member?.seq).toBe(2)
    expect(member?.devices).toEqual([toBase64url(founder.publicKey), toBase64url(laptop.publicKey)])
  })

  it('[I2] an uncertified device cannot publish for a member', () => {
    const doc = newReplica()
    publishAda(doc)
    expectRefused(
      doc,
      () => publishMember(doc, stranger, { founderKey: founder.publicKey, name: 'Eve', color: '#000000', devices: [], updatedAt: 5 }),
      'invalid-input',
      'devices',
    )
  })
})

describe('[I4] a record that does not verify is unverified and never trusted', () => {
  const tampered = (mutate: (e: MemberEnvelope) => MemberEnvelope) => {
    const doc = newReplica()
    publishAda(doc)
    const [[key, envelope]] = [...stored(doc)] as [[string, MemberEnvelope]]
    const evil = newReplica()
    evil.getMap(ROOT_MEMBERS).set(key, mutate(envelope))
    return readMembersWithProblems(evil)
  }

  it('[I4] one changed byte of the body', () => {
    const result = tampered((e) => ({ ...e, body: e.body.replace('"Ada"', '"Eve"') }))
    expect(result.members.size).toBe(0)
    expect(result.unverified).toEqual([expect.objectContaining({ claimedName: 'Eve', reason: 'signature does not verify' })])
  })

  it('[I4] a signature from another key', () => {
    const result = tampered((e) => ({
      ...e,
      sig: toBase64url(ed25519.sign(new Uint8Array([1]), keyFrom(3))),
    }))
    expect(result.members.size).toBe(0)
    expect(result.unverified[0]?.reason).toBe('signature does not verify')
  })

  it('[I4] a record claiming someone else’s member id', () => {
    const evil = newReplica()
    publishMember(evil, stranger, { founderKey: stranger.publicKey, name: 'Eve', color: '#000000', devices: [], updatedAt: 1 })
    const [[, envelope]] = [...stored(evil)] as [[string, MemberEnvelope]]
    const forged = newReplica()
    forged.getMap(ROOT_MEMBERS).set(`${ada}/${envelope.signer}`, envelope)
    const result = readMembersWithProblems(forged)
    expect(result.members.size).toBe(0)
    expect(result.unverified[0]?.reason).toBe('record is stored under another member')
  })

  it('[I4] a device certificate not signed by the founder', () => {
    const doc = newReplica()
    const selfCert = certifyDevice(stranger, ada, stranger.publicKey, 1)
    const body = canonicalJson({
      v: 1,
      member: ada,
      name: 'Ada',
      color: '#6a4c93',
      founder: toBase64url(founder.publicKey),
      devices: [{ key: selfCert.key, addedAt: 1, cert: selfCert.cert }],
      seq: 9,
      updatedAt: 1,
    })
    const sig = stranger.sign(new Uint8Array([...new TextEncoder().encode('peerboard/member/v1'), 0, ...new TextEncoder().encode(body)]))
    doc.getMap(ROOT_MEMBERS).set(`${ada}/${selfCert.key}`, { body, signer: selfCert.key, sig: toBase64url(sig) })
    const result = readMembersWithProblems(doc)
    expect(result.members.size).toBe(0)
    expect(result.unverified[0]?.reason).toBe('a device certificate does not verify')
  })

  it('[I4] garbage values are reported, not thrown', () => {
    const doc = newReplica()
    doc.getMap(ROOT_MEMBERS).set('x/y', 42)
    doc.getMap(ROOT_MEMBERS).set(`${ada}/z`, { body: 'not json', signer: 'z', sig: 'z' })
    const result = readMembersWithProblems(doc)
    expect(result.members.size).toBe(0)
    expect(result.unverified.map((u) => u.reason)).toEqual(['record is not a member record', 'record is not a member record'])
  })
})

describe('[I3] the latest record by the member’s own sequence number counts', () => {
  it('[I3] a later publish replaces an earlier one; merging in any order gives the same member', () => {
    const a = newReplica()
    publishAda(a, 'Ada', 1)
    const b = copyOf(a)
    // Offline on two devices: the laptop renames with seq 2; the founder renames with seq 2 too.
    const cert = certifyDevice(founder, ada, laptop.publicKey, 2)
    publishMember(b, laptop, { founderKey: founder.publicKey, name: 'Ada (laptop)', color: '#6a4c93', devices: [cert], updatedAt: 2 })
    publishAda(a, 'Ada (phone)', 3)
    const c = copyOf(b)
    syncAll(a, b)
    syncAll(c, a)
    expect(readMembers(a)).toEqual(readMembers(b))
    expect(readMembers(c)).toEqual(readMembers(a))
    // Equal sequence numbers: the lower signer key wins, the same everywhere.
    const winner = [toBase64url(founder.publicKey), toBase64url(laptop.publicKey)].sort()[0]
    expect(readMembers(a)[0]?.name).toBe(winner === toBase64url(founder.publicKey) ? 'Ada (phone)' : 'Ada (laptop)')
    publishAda(a, 'Ada', 4)
    expect(readMembers(a)[0]).toMatchObject({ name: 'Ada', seq: 3 })
  })

  it('[S2] publishing on a board a newer version has written to still works', () => {
    const doc = newReplica()
    doc.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1)
    publishAda(doc)
    expect(readMembers(doc).map((m) => m.name)).toEqual(['Ada'])
  })
})

describe('[I6] one person, one member', () => {
  it('[I6] othersNamed finds other members with this name, ignoring case and spacing, never oneself', () => {
    const members = [
      { id: 'AAAAAAAAAAAAAAAAAAAAAA' as MemberId, name: 'Ada  Lovelace' },
      { id: 'BBBBBBBBBBBBBBBBBBBBBB' as MemberId, name: 'ada lovelace' },
      { id: 'CCCCCCCCCCCCCCCCCCCCCC' as MemberId, name: 'Ben' },
    ]
    expect(othersNamed(members, 'BBBBBBBBBBBBBBBBBBBBBB' as MemberId, ' Ada Lovelace ').map((m) => m.id)).toEqual([
      'AAAAAAAAAAAAAAAAAAAAAA',
    ])
    expect(othersNamed(members, 'CCCCCCCCCCCCCCCCCCCCCC' as MemberId, 'Ben')).toEqual([])
    expect(othersNamed(members, 'CCCCCCCCCCCCCCCCCCCCCC' as MemberId, '  ')).toEqual([])
  })
})
