import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { addProposal, createBoard, joinAs, localDateTimeIn, openAs, openPollClosingIn, pollResult, pollStatus, takeStance, type Person } from './app'

/**
 * A consent poll decided by three people in three browser contexts, one of them offline (SPEC [C9],
 * [C10]): the outcome is provisional until the offline stance syncs, then final and the same in all
 * three. Then the board ratifies its charter through a charter-amendment poll (SPEC [H3]).
 */

const CLOSE_IN_MS = 25_000

const status = pollStatus
const result = pollResult
const openConsentPoll = (person: Person): Promise<void> => openPollClosingIn(person, CLOSE_IN_MS)
const consent = (person: Person): Promise<void> => takeStance(person, 'Consent')

const membersShown = (person: Person) => person.page.getByTestId('members').locator('ul').first().locator('li').count()

describe('decisions in three browsers', () => {
  let relay: RelayProcess
  let browser: Browser
  let ada: Person
  let ben: Person
  let cat: Person


  beforeAll(async () => {
    relay = await startRelayProcess()
    browser = await launchChromium()
    ada = await openAs(browser, relay.url, 'Ada')
    await createBoard(ada, 'Tool library')
    await addProposal(ada, 'Buy a shared mower')
    ben = await joinAs(browser, ada, 'Ben')
    cat = await joinAs(browser, ada, 'Cat')
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('[C9][C10] a consent poll is provisional until the offline elector syncs, then final and the same everywhere', async () => {
    for (const person of [ada, ben, cat]) await expect.poll(() => membersShown(person), { timeout: 30_000 }).toBe(3)
    await openConsentPoll(ada)
    for (const person of [ben, cat]) await status(person).waitFor({ timeout: 20_000 })
    await cat.context.setOffline(true)
    await consent(cat)
    await consent(ada)
    await consent(ben)
    // After close, Ada and Ben have both stances of theirs but not Cat's: provisional, waiting for Cat.
    for (const person of [ada, ben]) {
      await expect.poll(() => status(person).innerText(), { timeout: CLOSE_IN_MS + 20_000 }).toBe('Provisional')
      await expect(person.page.getByTestId('pending-electors').first().innerText()).resolves.toContain('Cat')
    }
    await cat.context.setOffline(false)
    for (const person of [ada, ben, cat]) {
      await expect.poll(() => status(person).innerText(), { timeout: 30_000 }).toBe('Final')
      await expect.poll(() => result(person).innerText(), { timeout: 10_000 }).toBe('Passed')
    }
    const counts = await Promise.all(
      [ada, ben, cat].map((p) => p.page.getByTestId('decision-panel').getByTestId('tally-counts').first().innerText()),
    )
    expect(new Set(counts).size).toBe(1)
    expect(counts[0]).toContain('Consent: 3')
  })

  it('[C12] when the review date comes, every board shows "Review due" and one review thread opens', async () => {
    const panel = ada.page.getByTestId('decision-panel')
    await panel.getByText('Write the outcome').click()
    await panel.getByLabel('Outcome statement').fill('We buy a second-hand mower and keep it in the shed.')
    await panel.getByLabel('Review on').fill(await localDateTimeIn(ada, 4_000))
    await panel.getByRole('button', { name: 'Save outcome' }).click()
    for (const person of [ada, ben, cat]) {
      const item = person.page.getByTestId('proposal-list').locator('li', { hasText: 'Buy a shared mower' })
      await item.getByText('Review due').waitFor({ timeout: 30_000 })
      await person.page.getByText('Review: Buy a shared mower').first().waitFor({ timeout: 20_000 })
    }
    // Each device opened the thread on its own; they all wrote the same one.
    await ada.page.waitForTimeout(1_000)
    for (const person of [ada, ben, cat]) {
      await expect(person.page.locator('.thread-title', { hasText: 'Review: Buy a shared mower' }).count()).resolves.toBe(1)
      await expect(person.page.getByTestId('outcome').first().innerText()).resolves.toContain('second-hand mower')
    }
  })

  it('[H1][H3] the board ratifies its charter through a charter-amendment poll', async () => {
    await ada.page.getByRole('link', { name: 'Charter' }).click()
    await expect.poll(() => ada.page.getByTestId('charter-badge').innerText(), { timeout: 20_000 }).toBe('Not yet ratified')
    await ada.page.getByRole('button', { name: 'Propose ratification' }).click()
    await ada.page.getByTestId('decision-panel').waitFor({ timeout: 20_000 })
    const url = ada.page.url()
    await openConsentPoll(ada)
    await consent(ada)
    for (const person of [ben, cat]) {
      await person.page.goto(url)
      await status(person).waitFor({ timeout: 20_000 })
      await consent(person)
    }
    for (const person of [ada, ben, cat]) {
      await expect.poll(() => status(person).innerText(), { timeout: CLOSE_IN_MS + 30_000 }).toBe('Final')
    }
    for (const person of [ada, ben, cat]) {
      await person.page.getByRole('link', { name: 'Charter' }).click()
      await expect.poll(() => person.page.getByTestId('charter-badge').innerText(), { timeout: 20_000 }).toBe('Revision 1')
    }
  })
})
