import type { Browser } from 'playwright-core'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { deriveTrust, trustStoreFromDoc, type BoardId } from '../../shared/src'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { waitFor } from '../helpers/wait'
import {
  addProposal,
  createBoard,
  editor,
  editorText,
  expectEditorToContain,
  joinAs,
  openAs,
  typeAtEnd,
  waitForSyncState,
  type Person,
} from './app'

/**
 * Two people in two separate browser contexts co-edit one proposal through the real relay,
 * with the built client it serves.
 */
describe('co-editing a proposal in two browsers', () => {
  let relay: RelayProcess
  let browser: Browser
  let ada: Person
  let ben: Person
  let proposalUrl: string

  beforeAll(async () => {
    relay = await startRelayProcess()
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('A types, B sees the text and A’s cursor; B types, A sees it', async () => {
    ada = await openAs(browser, relay.url, 'Ada Lovelace')
    await createBoard(ada, 'Riverside Garden Co-op')
    proposalUrl = await addProposal(ada, 'Compost rota')
    await typeAtEnd(ada, 'Everyone turns the compost once a month.')
    await waitForSyncState(ada, 'saved')

    ben = await joinAs(browser, ada, 'Ben Okafor')
    await expectEditorToContain(ben, 'Everyone turns the compost once a month.')
    await expect.poll(() => ben.page.getByTestId('board-name').innerText()).toBe('Riverside Garden Co-op')

    // Ada's caret, labelled with her name, is drawn in Ben's editor.
    await editor(ada).click()
    await ada.page.keyboard.press('Control+End')
    await ben.page.locator('.editor-shell span', { hasText: 'Ada Lovelace' }).first().waitFor({ timeout: 20_000 })
    // ... and both see each other as present.
    await ben.page.getByTestId('presence').getByText('Ada Lovelace').waitFor()
    await ada.page.getByTestId('presence').getByText('Ben Okafor').waitFor()

    await typeAtEnd(ben, ' Ben brings the bins.')
    await expectEditorToContain(ada, 'Everyone turns the compost once a month.', 'Ben brings the bins.')
  })

  it('[J4] [J11] the founder and the person she invited are members by signed entries that verify on another device', async () => {
    const boardId = new URL(proposalUrl).pathname.split('/')[2] ?? ''
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(relay.wsUrl, boardId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    try {
      const view = await waitFor('both members', () => {
        const trust = deriveTrust(trustStoreFromDoc(doc, boardId as BoardId))
        return trust.members.length === 2 ? trust : null
      })
      expect(view?.members.map((m) => m.profile.name)).toEqual(['Ada Lovelace', 'Ben Okafor'])
      expect(view?.members[1]?.admittedBy).toBe(view?.founder)
      expect(view?.flags).toEqual([])
    } finally {
      provider.destroy()
      doc.destroy()
    }
  })

  it('A goes offline, both edit, A comes back: both show the merged text', async () => {
    await ada.context.setOffline(true)
    await waitForSyncState(ada, 'offline')
    await typeAtEnd(ada, ' [Ada, offline]')
    await waitForSyncState(ada, 'unsent')
    await typeAtEnd(ben, ' [Ben, online]')
    // Ada does not receive Ben's edit while offline.
    await new Promise((r) => setTimeout(r, 500))
    expect(await editorText(ada)).not.toContain('[Ben, online]')

    await ada.context.setOffline(false)
    await waitForSyncState(ada, 'saved')
    await expectEditorToContain(ada, '[Ada, offline]', '[Ben, online]')
    await expectEditorToContain(ben, '[Ada, offline]', '[Ben, online]')
    expect(await editorText(ada)).toBe(await editorText(ben))
  })

  it('with the relay stopped, a reload still shows the board and the text', async () => {
    const before = await editorText(ada)
    await relay.stop()
    await ada.page.reload()
    await ada.page.getByTestId('board-name').getByText('Riverside Garden Co-op').waitFor()
    await ada.page.getByTestId('proposal-list').getByText('Compost rota').waitFor()
    await expectEditorToContain(ada, '[Ada, offline]', '[Ben, online]')
    expect(await editorText(ada)).toBe(before)
    await waitFor('the badge to say offline', async () =>
      ['offline', 'connecting'].includes((await ada.page.getByTestId('sync-status').getAttribute('data-state')) ?? ''),
    )
    // And it stays editable with no relay at all.
    await typeAtEnd(ada, ' Still editable.')
    await expectEditorToContain(ada, 'Still editable.')
    await waitForSyncState(ada, 'unsent')
  })
})
