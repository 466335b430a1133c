import type { EntryBody, UnitView } from '../../../shared/src'
import { amountText, type LedgerNameOf } from './names'

/** One line saying what an entry states, for people. */
export const entryText = (body: EntryBody, units: readonly UnitView[], nameOf: LedgerNameOf): string => {
  const amount = amountText(units, body.unit, body.amount)
  switch (body.type) {
    case 'contribution':
      return `${nameOf(body.from)} contributed ${amount} to the pool`
    case 'usage':
      return `${nameOf(body.from)} used ${amount} from the pool`
    case 'transfer':
      return `${nameOf(body.from)} pays ${nameOf(body.to)} ${amount}`
    case 'pledge':
      return `${nameOf(body.from)} pledges ${amount}${body.to === null ? '' : ` to ${nameOf(body.to)}`}`
    case 'creditLine':
      return `${nameOf(body.from)} gives ${nameOf(body.to)} a credit line of ${amount}`
    case 'reversal':
      return `Reversal of ${nameOf(body.from)} → ${nameOf(body.to)} ${amount}`
  }
}
