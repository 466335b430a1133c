import type { Browser } from 'playwright-core'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readMembersWithProblems, ROOT_MEMBERS, type MemberEnvelope } from '../../shared/src'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { waitFor } from '../helpers/wait'
import { createBoard, openAs } from './app'

/** One person on two devices: the second joins through a certificate from the first. */
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

  it('[I2] the laptop joins with the phone’s certificate and both sign as one member', async () => {
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
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(relay.wsUrl, boardId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    try {
      const member = await waitFor('one member signed from two devices', () => {
        const { members, unverified } = readMembersWithProblems(doc)
        const [only] = [...members.values()]
        return members.size === 1 && unverified.length === 0 && only !== undefined && only.devices.length === 2
          ? only
          : null
      }, 20_000)
      // The laptop's record (seq 2) is the current one: it carries the phone's certificate.
      expect(member?.name).toBe('Ada on laptop')
      expect(member?.seq).toBe(2)
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

    const members = laptop.getByTestId('members')
    await members.getByText('2 devices').waitFor({ timeout: 20_000 })
    expect(await members.locator('li').count()).toBe(1)
    expect(await laptop.getByTestId('same-name-warning').count()).toBe(0)
    await context.close()
  })

  it('[I6] joining a board as someone new under a member’s name shows a warning that points to linking', async () => {
    const first = await openAs(browser, relay.url, 'Katherine Johnson')
    const boardUrl = await createBoard(first, 'Same name')
    await first.page.getByTestId('members').getByText('Katherine Johnson').waitFor({ timeout: 20_000 })
    const second = await openAs(browser, boardUrl, 'katherine  johnson')
    const warning = second.page.getByTestId('same-name-warning')
    await warning.waitFor({ timeout: 20_000 })
    expect(await warning.innerText()).toContain('link this device')
  })

  it('[I4] a forged member record is shown as unverified and never as a member', async () => {
    const ada = await openAs(browser, relay.url, 'Ada Lovelace')
    const boardUrl = await createBoard(ada, 'Forgery check')
    await ada.page.getByTestId('members').getByText('Ada Lovelace').waitFor({ timeout: 20_000 })
    const boardId = new URL(boardUrl).pathname.split('/')[2] ?? ''
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(relay.wsUrl, boardId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    try {
      const yMembers = doc.getMap<MemberEnvelope>(ROOT_MEMBERS)
      const entry = await waitFor('Ada’s record', () => [...yMembers.entries()][0] ?? null, 20_000)
      if (entry === null) throw new Error('no member record')
      const [key, genuine] = entry
      const [member] = key.split('/')
      // Mallory copies Ada's signed record, changes the name, and stores it under another key.
      const forged = { ...genuine, body: genuine.body.replace('"Ada Lovelace"', '"Mallory"') }
      yMembers.set(`${member}/${'M'.repeat(43)}`, forged)
      const unverified = ada.page.getByTestId('unverified-members')
      await unverified.getByText('Mallory').waitFor({ timeout: 20_000 })
      expect(await unverified.innerText()).toContain('unverified')
      expect(await ada.page.getByTestId('members').locator('li', { hasText: 'Ada Lovelace' }).count()).toBe(1)
    } finally {
      provider.destroy()
      doc.destroy()
    }
  })
})
