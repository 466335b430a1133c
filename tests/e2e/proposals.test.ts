import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { waitFor } from '../helpers/wait'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { META, newBoardId, ROOT_META, SCHEMA_VERSION } from '../../shared/src'
import { addProposal, createBoard, invitationLink, openAs, type Person } from './app'

const titles = (person: Person): Promise<string[]> =>
  person.page.getByTestId('proposal-list').locator('.proposal-title').allInnerTexts()

/** The proposals list and home page, driven by two people in separate browser contexts. */
describe('proposals list and home page', () => {
  let relay: RelayProcess
  let browser: Browser
  let ada: Person
  let ben: Person
  let boardUrl: string

  beforeAll(async () => {
    relay = await startRelayProcess()
    browser = await launchChromium()
    ada = await openAs(browser, relay.url, 'Ada')
    await createBoard(ada, 'Housing Group')
    await addProposal(ada, 'First')
    await addProposal(ada, 'Second')
    await addProposal(ada, 'Third')
    // Ben pastes the invitation link Ada shared into the home page.
    boardUrl = await invitationLink(ada)
    ben = await openAs(browser, relay.url, 'Ben')
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('opens a board from a pasted link and lists it under boards on this device', async () => {
    await ben.page.getByLabel('Board link').fill(boardUrl)
    await ben.page.getByRole('button', { name: 'Open' }).click()
    await ben.page.getByTestId('board-name').getByText('Housing Group').waitFor()
    await expect.poll(() => titles(ben), { timeout: 20_000 }).toEqual(['First', 'Second', 'Third'])
    await ben.page.getByRole('link', { name: 'Peerboard' }).click()
    await ben.page.getByTestId('recent-boards').getByText('Housing Group').click()
    await ben.page.getByTestId('board-name').getByText('Housing Group').waitFor()
  })

  it('a rename, a status change and a reorder by one person show for the other', async () => {
    await ada.page.getByTestId('proposal-list').getByText('Second').click()
    const title = ada.page.getByLabel('Proposal title', { exact: true })
    await title.fill('Second, renamed')
    await title.press('Enter')
    await ada.page.getByLabel('Status').selectOption('open')
    await ada.page.getByRole('button', { name: 'Move “Third” up' }).click()
    await expect.poll(() => titles(ada)).toEqual(['First', 'Third', 'Second, renamed'])
    await expect.poll(() => titles(ben), { timeout: 20_000 }).toEqual(['First', 'Third', 'Second, renamed'])
    await waitFor('Ben to see the status', async () =>
      (await ben.page.getByTestId('proposal-list').locator('li', { hasText: 'Second, renamed' }).innerText()).includes(
        'open',
      ),
    )
  })

  it('an empty title is refused with a message and nothing is added', async () => {
    await ben.page.getByLabel('New proposal title').fill('   ')
    await ben.page.getByRole('button', { name: 'Add proposal' }).click()
    await ben.page.getByRole('alert').getByText('Title cannot be empty.').waitFor()
    expect(await titles(ben)).toEqual(['First', 'Third', 'Second, renamed'])
  })

  it('[S2] a board a newer version wrote to says so and stays editable', async () => {
    const boardId = newBoardId()
    const doc = new Y.Doc()
    doc.transact(() => {
      doc.getMap(ROOT_META).set(META.schemaVersion, SCHEMA_VERSION + 1)
      doc.getMap(ROOT_META).set(META.name, 'Board from the future')
      doc.getMap(ROOT_META).set(META.createdAt, Date.now())
    })
    const provider = new WebsocketProvider(relay.wsUrl, boardId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    try {
      await waitFor('the future board to reach the relay', () => provider.synced)
      await ben.page.goto(`${relay.url}/b/${boardId}`)
      await ben.page.getByTestId('board-name').getByText('Board from the future').waitFor({ timeout: 20_000 })
      const banner = ben.page.getByTestId('newer-version-banner')
      await banner.waitFor()
      expect(await banner.innerText()).toContain('newer version of Peerboard')
      expect(await ben.page.getByRole('button', { name: 'Add proposal' }).isDisabled()).toBe(false)
    } finally {
      provider.destroy()
      doc.destroy()
    }
  })
})
