import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { createBoard, joinAs, openAs } from './app'

/** Threads about the whole board, shown when no proposal is open (SPEC [T1]). */
describe('board-wide discussion', () => {
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

  it('[T1] a thread about the board started by A is read by B, with the author’s name', async () => {
    const ada = await openAs(browser, relay.url, 'Ada Lovelace')
    await createBoard(ada, 'Garden')
    const adaDialogue = ada.page.getByTestId('dialogue')
    await adaDialogue.getByRole('heading', { name: 'Board discussion' }).waitFor()
    await adaDialogue.getByRole('textbox', { name: 'New thread title' }).fill('Welcome')
    await adaDialogue.getByRole('button', { name: 'Start thread' }).click()
    const form = adaDialogue.getByRole('form', { name: 'New message' })
    await form.getByRole('textbox', { name: 'New message' }).fill('Hello all, this is our board.')
    await form.getByRole('button', { name: 'Post' }).click()

    const ben = await joinAs(browser, ada, 'Ben Okafor')
    const benDialogue = ben.page.getByTestId('dialogue')
    await benDialogue.getByRole('button', { name: /Welcome/ }).click({ timeout: 20_000 })
    await benDialogue.getByText('Hello all, this is our board.').waitFor({ timeout: 20_000 })
    await benDialogue.getByTestId('message-author').getByText('Ada Lovelace').waitFor()
  })
})
