import type { Browser, Locator } from 'playwright-core'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  entryIdOf,
  ledgerIdForBoard,
  ledgerRoom,
  memberIdForKey,
  ROOT_LEDGER_ENTRIES,
  secretKeySigner,
  signEntry,
  toBase64url,
  type BoardId,
  type EntryEnvelope,
  type EntryId,
} from '../../shared/src'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { waitFor } from '../helpers/wait'
import { createBoard, joinAs, openAs, type Person } from './app'

/** A shared ledger kept by two members in separate browser contexts (SPEC [G]). */

const ledger = (person: Person): Locator => person.page.getByTestId('ledger')

const entryWith = (person: Person, text: string): Locator =>
  ledger(person).getByTestId('ledger-entries').locator('li.ledger-entry:not([data-status="invalid"])', { hasText: text })

const balanceOf = (person: Person, name: string): Locator =>
  ledger(person).getByTestId('ledger-balances').locator('tbody tr', { hasText: name }).locator('td[data-unit="EUR"]')

const poolOf = (person: Person): Locator => ledger(person).getByTestId('ledger-pool').locator('td[data-unit="EUR"]')

const expectText = async (locator: Locator, text: string, what: string): Promise<void> => {
  await waitFor(what, async () => (await locator.innerText()).includes(text), 20_000)
}

const recordEntry = async (
  person: Person,
  entry: { type: string; amount: string; member?: string; memo: string },
): Promise<void> => {
  const form = ledger(person).getByRole('form', { name: 'Add an entry' })
  await form.getByLabel('Entry type').selectOption(entry.type)
  await form.getByLabel('Amount').fill(entry.amount)
  if (entry.member !== undefined) await form.getByLabel('Member').selectOption({ label: entry.member })
  await form.getByLabel('Memo').fill(entry.memo)
  await form.getByRole('button', { name: 'Record entry' }).click()
}

const openLedgerTab = async (person: Person): Promise<void> => {
  await person.page.getByRole('navigation', { name: 'Board sections' }).getByRole('link', { name: 'Ledger' }).click()
  await ledger(person).waitFor({ timeout: 20_000 })
}

const ledgerSync = (person: Person): Promise<string | null> =>
  ledger(person).getByTestId('ledger-sync').getAttribute('data-state')

describe('a shared ledger in two browsers', () => {
  let relay: RelayProcess
  let browser: Browser
  let ada: Person
  let ben: Person
  let boardId: BoardId

  beforeAll(async () => {
    relay = await startRelayProcess()
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('[G6] A pays B while B is offline: pending on both sides until B countersigns, then equal balances', async () => {
    ada = await openAs(browser, relay.url, 'Ada Lovelace')
    const boardUrl = await createBoard(ada, 'Tool Library')
    boardId = new URL(boardUrl).pathname.split('/')[2] as BoardId
    ben = await joinAs(browser, ada, 'Ben Okri')
    await ben.page.getByTestId('board-name').getByText('Tool Library').waitFor({ timeout: 20_000 })
    await ada.page.getByTestId('members').getByText('Ben Okri').waitFor({ timeout: 20_000 })

    await openLedgerTab(ada)
    const units = ledger(ada).getByRole('form', { name: 'Add a unit' })
    await units.getByLabel('Unit code').fill('EUR')
    await units.getByLabel('Unit name').fill('Euro')
    await units.getByLabel('Decimals').selectOption('2')
    await units.getByRole('button', { name: 'Add unit' }).click()
    await ledger(ada).getByTestId('ledger-units').getByText('EUR').waitFor()
    await recordEntry(ada, { type: 'contribution', amount: '50', memo: 'Membership fee' })
    await expectText(poolOf(ada), '50.00 EUR', 'the pool to hold 50.00 EUR on Ada’s side')

    // A transfer beyond Ada's means is refused by her own device (SPEC [G10]), nothing written.
    await recordEntry(ada, { type: 'transfer', amount: '60', member: 'Ben Okri', memo: 'Too much' })
    await ledger(ada).getByRole('alert').getByText('beyond your credit limit').waitFor()

    await openLedgerTab(ben)
    await expectText(poolOf(ben), '50.00 EUR', 'the pool to reach Ben')
    await ben.context.setOffline(true)
    await waitFor('Ben’s ledger to be offline', async () => (await ledgerSync(ben)) === 'offline', 20_000)

    await recordEntry(ada, { type: 'transfer', amount: '12.5', member: 'Ben Okri', memo: 'Drill bits' })
    const adaSide = entryWith(ada, 'Drill bits')
    await adaSide.waitFor()
    expect(await adaSide.getAttribute('data-status')).toBe('pending')
    expect(await adaSide.innerText()).toContain('waiting for Ben Okri')
    expect(await balanceOf(ada, 'Ben Okri').innerText()).toBe('0.00 EUR')
    await waitFor('Ada’s ledger to reach the relay', async () => (await ledgerSync(ada)) === 'saved', 20_000)
    expect(await entryWith(ben, 'Drill bits').count()).toBe(0)

    await ben.context.setOffline(false)
    const inbox = ledger(ben).getByTestId('ledger-inbox').locator('li.ledger-entry', { hasText: 'Drill bits' })
    await inbox.waitFor({ timeout: 20_000 })
    expect(await inbox.getAttribute('data-status')).toBe('pending')
    expect(await entryWith(ben, 'Drill bits').getAttribute('data-status')).toBe('pending')
    await inbox.getByRole('button', { name: 'Countersign' }).click()

    for (const person of [ada, ben]) {
      await waitFor(
        `${person.name} to see the transfer verified`,
        async () => (await entryWith(person, 'Drill bits').getAttribute('data-status')) === 'confirmed',
        20_000,
      )
      await expectText(balanceOf(person, 'Ada Lovelace'), '37.50 EUR', `${person.name}: Ada at 37.50`)
      await expectText(balanceOf(person, 'Ben Okri'), '12.50 EUR', `${person.name}: Ben at 12.50`)
      expect(await poolOf(person).innerText()).toBe('50.00 EUR')
    }
    expect(await ledger(ben).getByTestId('ledger-inbox').locator('li.ledger-entry').count()).toBe(0)
  })

  it('[G4] a modified entry injected through the relay is rejected in every context; balances stay', async () => {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(relay.wsUrl, ledgerRoom(boardId, ledgerIdForBoard(boardId)), doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    try {
      const yEntries = doc.getMap<EntryEnvelope>(ROOT_LEDGER_ENTRIES)
      const genuine = await waitFor(
        'the transfer in the relay’s copy',
        () => [...yEntries.entries()].find(([, e]) => e.body.includes('"memo":"Drill bits"')) ?? null,
        20_000,
      )
      if (genuine === null) throw new Error('no transfer')
      const [id, envelope] = genuine
      // Mallory copies the signed transfer, makes it 1000.00 EUR and stores it under its new hash.
      const forgedBody = envelope.body.replace('"amount":1250', '"amount":100000').replace('Drill bits', 'Drill bits, forged')
      expect(forgedBody).not.toBe(envelope.body)
      yEntries.set(entryIdOf(forgedBody), { ...envelope, body: forgedBody })

      for (const person of [ada, ben]) {
        const rejected = ledger(person).getByTestId('ledger-rejected').locator('li.ledger-entry', { hasText: 'forged' })
        await rejected.waitFor({ timeout: 20_000 })
        expect(await rejected.getAttribute('data-status')).toBe('invalid')
        expect(await rejected.innerText()).toContain('rejected: signature does not verify')
        expect(await balanceOf(person, 'Ada Lovelace').innerText()).toBe('37.50 EUR')
        expect(await balanceOf(person, 'Ben Okri').innerText()).toBe('12.50 EUR')
        expect(await poolOf(person).innerText()).toBe('50.00 EUR')
      }

      // Overwriting the genuine entry under its own id: a device that sees it puts the verified one
      // back and says so. Whichever device heals first may spare the other from ever seeing the
      // forgery, so at least one of them flags it, and both end with the genuine entry.
      yEntries.set(id, { ...envelope, body: forgedBody })
      await waitFor('the relay’s copy to be restored', () => yEntries.get(id)?.body === envelope.body, 20_000)
      await waitFor(
        'a device to say it restored the entry',
        async () => (await Promise.all([ada, ben].map((p) => ledger(p).getByTestId('ledger-restored').count()))).some((n) => n > 0),
        20_000,
      )
      for (const person of [ada, ben]) {
        await waitFor(
          `${person.name} to show the genuine transfer verified again`,
          async () => (await entryWith(person, 'Drill bits').first().getAttribute('data-status')) === 'confirmed',
          20_000,
        )
        await expectText(balanceOf(person, 'Ben Okri'), '12.50 EUR', `${person.name}: Ben still at 12.50`)
      }

      // A tampered export is refused as a whole on import, with the line and the reason (SPEC [G16]).
      const tampered = [
        JSON.stringify({ id, body: envelope.body, signer: envelope.signer, sig: envelope.sig, consents: [], declines: [] }),
        JSON.stringify({ id, body: forgedBody, signer: envelope.signer, sig: envelope.sig, consents: [], declines: [] }),
      ].join('\n')
      const entriesBefore = yEntries.size
      await ledger(ben)
        .getByLabel('Import entries (CSV or JSON Lines)')
        .setInputFiles({ name: 'tampered.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(tampered) })
      const problems = ledger(ben).getByTestId('import-problems')
      await problems.waitFor({ timeout: 20_000 })
      expect(await problems.innerText()).toBe('Line 2: id does not match the entry’s bytes')
      expect(await ledger(ben).getByTestId('import-outcome').innerText()).toContain('Nothing was imported')
      expect(yEntries.size).toBe(entriesBefore)
    } finally {
      provider.destroy()
      doc.destroy()
    }
  })

  it('[G18] a burst of signed entries, forgeries among them, is checked by WebCrypto with the same verdicts', async () => {
    for (const person of [ada, ben]) {
      // Chromium's WebCrypto has Ed25519, so the burst below goes through the native pass.
      const native = await person.page.evaluate(async () => {
        try {
          await crypto.subtle.importKey('raw', new Uint8Array(32).fill(9), { name: 'Ed25519' }, false, ['verify'])
          return true
        } catch {
          return false
        }
      })
      expect(native).toBe(true)
    }
    const doc = new Y.Doc()
    const ledgerId = ledgerIdForBoard(boardId)
    const provider = new WebsocketProvider(relay.wsUrl, ledgerRoom(boardId, ledgerId), doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    try {
      await waitFor('the relay’s copy of the ledger', () => provider.synced, 20_000)
      // A device no member lists signs 40 contributions; 3 of them are then altered.
      const signer = secretKeySigner(new Uint8Array(32).fill(77))
      const author = toBase64url(signer.publicKey)
      let prev: EntryId | null = null
      const burst: [string, EntryEnvelope][] = []
      for (let seq = 1; seq <= 40; seq++) {
        const { id, envelope } = signEntry(signer, {
          v: 1,
          ledger: ledgerId,
          type: 'contribution',
          unit: 'EUR',
          amount: 100 * seq,
          from: memberIdForKey(signer.publicKey),
          to: null,
          refs: [],
          author,
          seq,
          prev,
          createdAt: Date.now(),
          memo: `Outsider shift ${seq}`,
        })
        prev = id
        const altered = seq % 13 === 0
        const body = altered ? envelope.body.replace(`Outsider shift ${seq}`, `Outsider shift ${seq}, altered`) : envelope.body
        burst.push([altered ? entryIdOf(body) : id, { ...envelope, body }])
      }
      doc.transact(() => {
        for (const [id, envelope] of burst) doc.getMap<EntryEnvelope>(ROOT_LEDGER_ENTRIES).set(id, envelope)
      })
      for (const person of [ada, ben]) {
        const outsider = ledger(person)
          .getByTestId('ledger-entries')
          .locator('li.ledger-entry:not([data-status="invalid"])', { hasText: 'Outsider shift' })
        await waitFor(`${person.name} to list the 37 genuine entries`, async () => (await outsider.count()) === 37, 30_000)
        const statuses = await outsider.evaluateAll((items) => items.map((item) => item.getAttribute('data-status')))
        expect(new Set(statuses)).toEqual(new Set(['unknown-device']))
        const altered = ledger(person).getByTestId('ledger-rejected').locator('li.ledger-entry', { hasText: 'altered' })
        await waitFor(`${person.name} to reject the 3 altered ones`, async () => (await altered.count()) === 3, 30_000)
        for (const text of await altered.allInnerTexts()) expect(text).toContain('rejected: signature does not verify')
        expect(await balanceOf(person, 'Ada Lovelace').innerText()).toBe('37.50 EUR')
        expect(await poolOf(person).innerText()).toBe('50.00 EUR')
      }

      // Reopened, Ada's device takes what its verified store holds as checked ([G12]) and still
      // rejects the altered entries, which never went into the store.
      await ada.page.reload()
      await ledger(ada).waitFor({ timeout: 20_000 })
      const outsider = ledger(ada)
        .getByTestId('ledger-entries')
        .locator('li.ledger-entry:not([data-status="invalid"])', { hasText: 'Outsider shift' })
      await waitFor('the reopened ledger to list the 37 genuine entries', async () => (await outsider.count()) === 37, 30_000)
      const altered = ledger(ada).getByTestId('ledger-rejected').locator('li.ledger-entry', { hasText: 'altered' })
      await waitFor('the reopened ledger to reject the 3 altered ones', async () => (await altered.count()) === 3, 30_000)
      await expectText(balanceOf(ada, 'Ada Lovelace'), '37.50 EUR', 'Ada still at 37.50 after reopening')
      expect(await poolOf(ada).innerText()).toBe('50.00 EUR')
    } finally {
      provider.destroy()
      doc.destroy()
    }
  })

  it('[G7] [G9] a declined request never counts; a transfer reversed by both parties counts 0 on both sides', async () => {
    await recordEntry(ben, { type: 'request', amount: '5', member: 'Ada Lovelace', memo: 'Bike repair' })
    const request = ledger(ada).getByTestId('ledger-inbox').locator('li.ledger-entry', { hasText: 'Bike repair' })
    await request.waitFor({ timeout: 20_000 })
    await request.getByRole('button', { name: 'Decline' }).click()
    for (const person of [ada, ben]) {
      await waitFor(
        `${person.name} to see the request declined`,
        async () => (await entryWith(person, 'Bike repair').getAttribute('data-status')) === 'declined',
        20_000,
      )
    }

    await entryWith(ada, 'Drill bits').first().getByRole('button', { name: 'Reverse' }).click()
    const reversal = ledger(ben).getByTestId('ledger-inbox').locator('li.ledger-entry', { hasText: 'Reversal of' })
    await reversal.waitFor({ timeout: 20_000 })
    await reversal.getByRole('button', { name: 'Countersign' }).click()
    for (const person of [ada, ben]) {
      await waitFor(
        `${person.name} to see the transfer reversed`,
        async () => (await entryWith(person, 'Drill bits').first().getAttribute('data-status')) === 'reversed',
        20_000,
      )
      await expectText(balanceOf(person, 'Ada Lovelace'), '50.00 EUR', `${person.name}: Ada back at 50.00`)
      await expectText(balanceOf(person, 'Ben Okri'), '0.00 EUR', `${person.name}: Ben back at 0.00`)
      expect(await entryWith(person, 'Drill bits').first().getByRole('button', { name: 'Reverse' }).count()).toBe(0)
    }
  })
})
