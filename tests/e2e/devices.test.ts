import type { Browser } from 'playwright-core'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addProposal, deriveTrust, memberIdForKey, newSecretKey, ROOT_SIGNED_ENTRIES, publishMember, secretKeySigner, trustStoreFromDoc, type BoardId } from '../../shared/src'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { waitFor } from '../helpers/wait'
import { createBoard, joinAs, openAs } from './app'

/** A plain y-websocket client on a board's room: what any device, or an attacker, can run. */
const rawClient = (wsUrl: string, room: string): { doc: Y.Doc; provider: WebsocketProvider } => {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  return { doc, provider }
}

/**
 * One person on two devices: the second is linked through a certificate from the first, and joins
 * each founded board through a device invitation the first signs for its key (SPEC [I2], [J12]).
 */
describe('a second device for the same member', () => {
  let relay: RelayProcess
  let browser: Browser

  beforeAll(async () => {
    relay = await startRelayProcess()
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('[I2] [J12] the laptop joins with the phone’s certificate and both sign as one member', async () => {
    const phone = await openAs(browser, relay.url, 'Ada Lovelace', 'Purple')
    const laptop = await openAs(browser, relay.url, 'Ada on laptop', 'Purple')
    await laptop.page.getByRole('button', { name: 'Profile and devices' }).click()
    const code = (await laptop.page.getByTestId('device-code').innerText()).trim()

    await phone.page.getByRole('button', { name: 'Profile and devices' }).click()
    await phone.page.getByLabel('Add another device: paste its device code').fill(code)
    await phone.page.getByRole('button', { name: 'Make a certificate' }).click()
    const certificate = await phone.page.getByTestId('certificate-code').inputValue()

    await laptop.page.getByLabel('Then paste the certificate code it makes').fill(certificate)
    await laptop.page.getByRole('button', { name: 'Join as that member' }).click()
    await laptop.page.getByText('This device now signs as that member.').waitFor()

    await phone.page.getByRole('button', { name: 'Close' }).click()
    const boardUrl = await createBoard(phone, 'Two devices')
    await laptop.page.goto(boardUrl)
    await laptop.page.getByTestId('board-name').getByText('Two devices').waitFor({ timeout: 20_000 })

    const boardId = new URL(boardUrl).pathname.split('/')[2] ?? ''
    const { doc, provider } = rawClient(relay.wsUrl, boardId)
    try {
      // Read from the signed entries alone, as any device would.
      const member = await waitFor('one member bound to two devices', () => {
        const { members } = deriveTrust(trustStoreFromDoc(doc, boardId as BoardId))
        const [only] = members
        return members.length === 1 && only !== undefined && only.devices.length === 2 ? only : null
      }, 20_000)
      expect(member?.profile.name).toBe('Ada Lovelace')
      expect(member?.devices.every((d) => d.revokedBy === null)).toBe(true)
      await laptop.page.getByTestId('members').getByText('2 devices').waitFor({ timeout: 20_000 })
    } finally {
      provider.destroy()
      doc.destroy()
    }
  })

  it('[I6] a new device links at first run: the board lists the person once, with two devices', async () => {
    const phone = await openAs(browser, relay.url, 'Grace Hopper', 'Purple')
    const boardUrl = await createBoard(phone, 'Linked at first run')
    await phone.page.getByTestId('members').getByText('Grace Hopper').waitFor({ timeout: 20_000 })

    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } })
    const laptop = await context.newPage()
    await laptop.goto(boardUrl)
    await laptop.getByRole('button', { name: 'Link this device instead' }).click()
    const code = (await laptop.getByTestId('device-code').innerText()).trim()

    await phone.page.goto(relay.url)
    await phone.page.getByRole('button', { name: 'Profile and devices' }).click()
    await phone.page.getByLabel('Add another device: paste its device code').fill(code)
    await phone.page.getByRole('button', { name: 'Make a certificate' }).click()
    const certificate = await phone.page.getByTestId('certificate-code').inputValue()

    await laptop.getByLabel('Then paste the certificate code it makes').fill(certificate)
    await laptop.getByRole('button', { name: 'Join as that member' }).click()
    await laptop.getByText('This device is linked to your membership.').waitFor()
    await laptop.getByLabel('Your name').fill('Grace Hopper')
    await laptop.getByRole('button', { name: 'Continue' }).click()
    await laptop.getByTestId('board-name').getByText('Linked at first run').waitFor({ timeout: 20_000 })
    // Until one of Grace's member devices opens the board, the laptop waits to be invited by key.
    await laptop.getByTestId('not-a-member-banner').getByText('linked to your membership').waitFor({ timeout: 20_000 })
    await phone.page.goto(boardUrl)

    const members = laptop.getByTestId('members')
    await members.getByText('2 devices').waitFor({ timeout: 20_000 })
    expect(await members.locator('li').count()).toBe(1)
    expect(await laptop.getByTestId('same-name-warning').count()).toBe(0)
    await context.close()
  })

  it('[I6] joining a board as someone new under a member’s name shows a warning that points to linking', async () => {
    const first = await openAs(browser, relay.url, 'Katherine Johnson')
    await createBoard(first, 'Same name')
    await first.page.getByTestId('members').getByText('Katherine Johnson').waitFor({ timeout: 20_000 })
    const second = await joinAs(browser, first, 'katherine  johnson')
    const warning = second.page.getByTestId('same-name-warning')
    await warning.waitFor({ timeout: 20_000 })
    expect(await warning.innerText()).toContain('link this device')
  })

  it('[J11] member records written by a plain Yjs client add nobody to a founded board', async () => {
    const ada = await openAs(browser, relay.url, 'Ada Lovelace')
    const boardUrl = await createBoard(ada, 'Forgery check')
    await ada.page.getByTestId('members').getByText('Ada Lovelace').waitFor({ timeout: 20_000 })
    const boardId = new URL(boardUrl).pathname.split('/')[2] ?? ''
    const { doc, provider } = rawClient(relay.wsUrl, boardId)
    try {
      await waitFor('the board to sync', () => provider.synced)
      // Mallory signs a perfectly valid member record for herself: on a legacy board, that made her a member.
      const mallory = secretKeySigner(newSecretKey())
      // In the same update, a proposal: once Ada sees it, she has the record too.
      doc.transact(() => {
        publishMember(doc, mallory, { founderKey: mallory.publicKey, name: 'Mallory', color: '#000000', devices: [], updatedAt: Date.now() })
        addProposal(doc, { title: 'Written with the record', author: memberIdForKey(mallory.publicKey), authorName: 'Mallory', createdAt: Date.now() })
      })
      await ada.page.getByTestId('proposal-list').getByText('Written with the record').waitFor({ timeout: 20_000 })
      const members = ada.page.getByTestId('members')
      expect(await members.getByText('Mallory').count()).toBe(0)
      expect(await members.locator('ul').first().locator('li').count()).toBe(1)
    } finally {
      provider.destroy()
      doc.destroy()
    }
  })


  it('[E8] entries a plain Yjs client deletes are put back by a member’s device, which says so', async () => {
    const ada = await openAs(browser, relay.url, 'Ada Lovelace')
    await createBoard(ada, 'Deletion check')
    const ben = await joinAs(browser, ada, 'Ben Okafor')
    await ada.page.getByTestId('members').getByText('Ben Okafor').waitFor({ timeout: 20_000 })
    const boardId = new URL(ada.page.url()).pathname.split('/')[2] ?? ''
    const { doc, provider } = rawClient(relay.wsUrl, boardId)
    try {
      await waitFor('the board to sync', () => provider.synced)
      const yEntries = doc.getMap(ROOT_SIGNED_ENTRIES)
      const count = yEntries.size
      expect(count).toBeGreaterThanOrEqual(3)
      doc.transact(() => {
        for (const key of [...yEntries.keys()]) yEntries.delete(key)
      })
      await ada.page.getByTestId('restored-banner').waitFor({ timeout: 20_000 })
      await waitFor('the entries to be back on the relay', () => (yEntries.size === count ? true : null), 20_000)
      for (const person of [ada, ben]) {
        const members = person.page.getByTestId('members').locator('ul').first().locator('li')
        await expect.poll(() => members.count(), { timeout: 20_000 }).toBe(2)
      }
    } finally {
      provider.destroy()
      doc.destroy()
      await ben.context.close()
    }
  })
})
