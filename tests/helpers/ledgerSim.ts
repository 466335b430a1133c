import type * as Y from 'yjs'
import {
  countersignEntry,
  declineEntry,
  grantCreditLine,
  PeerboardError,
  readLedger,
  recordContribution,
  recordPledge,
  recordTransfer,
  recordUsage,
  reverseEntry,
  type EntryId,
  type Keyring,
} from '../../shared/src'
import { ANN, BEN, CAT, FULL_KEYRING, LEDGER, newLedgerDoc, writerFor, type TestMember } from './ledger'
import { pick, seededRandom } from './prng'

/**
 * One random ledger action by `device` on `doc`, drawn from `random`: record a contribution, usage,
 * transfer, pledge or credit line, countersign or decline something waiting for it, or reverse a
 * confirmed entry it is a party to. Refusals (credit limits, nothing to sign) are part of the game.
 * Returns whether it wrote.
 */
export const randomLedgerAction = (
  doc: Y.Doc,
  device: TestMember,
  others: readonly TestMember[],
  random: () => number,
  createdAt: number,
  keyring: Keyring = FULL_KEYRING,
): boolean => {
  const writer = writerFor(device, keyring)
  const unit = random() < 0.7 ? 'EUR' : 'hours'
  const amount = 1 + pick(random, 2_000)
  const other = others[pick(random, others.length)] as TestMember
  const view = () => readLedger(doc, LEDGER, keyring)
  try {
    const roll = random()
    if (roll < 0.2) recordContribution(doc, writer, { unit, amount, createdAt })
    else if (roll < 0.3) recordUsage(doc, writer, { unit, amount: 1 + pick(random, 300), createdAt })
    else if (roll < 0.5) recordTransfer(doc, writer, { to: other.id, unit, amount: 1 + pick(random, 500), createdAt })
    else if (roll < 0.55) grantCreditLine(doc, writer, { to: other.id, unit, amount, createdAt })
    else if (roll < 0.6) recordPledge(doc, writer, { unit, amount, refs: ['decision-1'], createdAt })
    else if (roll < 0.93) {
      const waiting = view().entries.filter((e) => e.status === 'pending' && e.waitingFor.includes(device.id))
      const target = waiting[pick(random, waiting.length)]
      if (target === undefined) return false
      if (roll < 0.85) countersignEntry(doc, writer, target.id as EntryId)
      else declineEntry(doc, writer, target.id as EntryId)
    } else {
      const mine = view().entries.filter(
        (e) => e.status === 'confirmed' && e.body?.type !== 'reversal' && e.parties.includes(device.id),
      )
      const target = mine[pick(random, mine.length)]
      if (target === undefined) return false
      reverseEntry(doc, writer, { target: target.id as EntryId, createdAt })
    }
    return true
  } catch (error) {
    if (error instanceof PeerboardError) return false
    throw error
  }
}

/** A ledger built on one doc by `steps` random actions of Ann, Ben and Cat, all drawn from `seed`. */
export const randomLedger = (seed: number, steps: number): Y.Doc => {
  const devices = [ANN, BEN, CAT] as const
  const random = seededRandom(seed)
  const doc = newLedgerDoc(1)
  for (let step = 0; step < steps; step++) {
    const device = devices[pick(random, devices.length)] as TestMember
    randomLedgerAction(
      doc,
      device,
      devices.filter((d) => d !== device),
      random,
      1_000 + step,
    )
  }
  return doc
}
