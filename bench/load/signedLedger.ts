import {
  memberIdForKey,
  signEntry,
  toBase64url,
  type EntryEnvelope,
  type EntryId,
  type LedgerId,
  type MemberId,
  type Signer,
} from '../../shared/src'
import { nodeSigner } from './nodeSigner'

/** A member's only device, for benchmark ledgers. */
export interface BenchDevice {
  readonly signer: Signer
  readonly key: string
  readonly member: MemberId
}

/** `count` devices, each its own member; device i's secret key is 32 bytes of `firstByte + i`. */
export const benchDevices = (count: number, firstByte: number): BenchDevice[] =>
  Array.from({ length: count }, (_, i) => {
    const signer = nodeSigner(new Uint8Array(32).fill(firstByte + i))
    return { signer, key: toBase64url(signer.publicKey), member: memberIdForKey(signer.publicKey) }
  })

/** Where each device's chain stands, by device key. */
export type ChainHeads = Map<string, { seq: number; prev: EntryId | null }>

/**
 * Signs `count` contributions to `ledger`, the devices taking turns, each continuing its chain
 * from `heads` (updated); entry i of the run is number `offset + i` (amount, time and memo).
 */
export const signContributions = (
  ledger: LedgerId,
  devices: readonly BenchDevice[],
  heads: ChainHeads,
  count: number,
  offset = 0,
): [EntryId, EntryEnvelope][] => {
  const out: [EntryId, EntryEnvelope][] = []
  for (let i = 0; i < count; i++) {
    const device = devices[i % devices.length] as BenchDevice
    const head = heads.get(device.key) ?? { seq: 0, prev: null }
    const n = offset + i
    const { id, envelope } = signEntry(device.signer, {
      v: 1,
      ledger,
      type: 'contribution',
      unit: 'hours',
      amount: 1 + (n % 7),
      from: device.member,
      to: null,
      refs: [],
      author: device.key,
      seq: head.seq + 1,
      prev: head.prev,
      createdAt: 1_700_000_000_000 + n,
      memo: `Shift ${n} at the tool library`,
    })
    heads.set(device.key, { seq: head.seq + 1, prev: id })
    out.push([id, envelope])
  }
  return out
}
