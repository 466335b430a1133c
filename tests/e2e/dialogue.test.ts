import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import type { Browser, Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { waitFor } from '../helpers/wait'
import { addProposal, createBoard, joinAs, openAs, waitForSyncState, type Person } from './app'

/** The dialogue about a proposal, driven by two people in separate browser contexts (SPEC [T]). */

const dialogue = (person: Person): Locator => person.page.getByTestId('dialogue')

/** The article of the message whose body contains `text` (not its replies). */
const messageWith = (person: Person, text: string): Locator =>
  dialogue(person).locator('li.message > article', { hasText: text })

const messageIdOf = async (person: Person, text: string): Promise<string> => {
  const article = messageWith(person, text)
  await article.waitFor({ timeout: 20_000 })
  const id = await article.evaluate((el) => el.parentElement?.getAttribute('data-message-id') ?? '')
  expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
  return id
}

const articleOf = (person: Person, id: string): Locator =>
  dialogue(person).locator(`li[data-message-id="${id}"] > article`)

const postInThread = async (person: Person, text: string, stance = 'information'): Promise<void> => {
  const form = dialogue(person).getByRole('form', { name: 'New message' })
  await form.getByRole('textbox', { name: 'New message' }).fill(text)
  await form.getByRole('combobox', { name: 'Stance' }).selectOption(stance)
  await form.getByRole('button', { name: 'Post' }).click()
}

const SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e-secret'
const repoRoot = resolve(import.meta.dirname, '..', '..')

/** The operator's first link for a new board on a relay in token mode (as in sharing.test.ts). */
const mintFirstLink = (relayUrl: string): string => {
  const token = execFileSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts', 'token', '--scope', 'rw', '--ttl', '1h'], {
    cwd: repoRoot,
    env: { ...process.env, RELAY_SECRET: SECRET },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()
  const board = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).b as string
  return `${relayUrl}/b/${board}#token=${token}`
}

describe('dialogue on a proposal in two browsers', () => {
  let relay: RelayProcess
  let browser: Browser
  let ada: Person
  let ben: Person
  let adaFirst: string
  let benReply: string

  beforeAll(async () => {
    relay = await startRelayProcess()
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('A starts a thread and posts; B sees it unread, opens it and replies with a question', async () => {
    ada = await openAs(browser, relay.url, 'Ada Lovelace')
    await createBoard(ada, 'Riverside Garden Co-op')
    await addProposal(ada, 'Compost rota')

    await dialogue(ada).getByRole('textbox', { name: 'New thread title' }).fill('Where do the bins go?')
    await dialogue(ada).getByRole('button', { name: 'Start thread' }).click()
    const threadToggle = dialogue(ada).getByRole('button', { name: /Where do the bins go\?/ })
    await expect.poll(() => threadToggle.getAttribute('aria-expanded')).toBe('true')

    // An empty message is refused by the shared op: an alert, and nothing written.
    await dialogue(ada).getByRole('form', { name: 'New message' }).getByRole('button', { name: 'Post' }).click()
    await dialogue(ada).getByRole('alert').waitFor()
    expect(await dialogue(ada).locator('li.message').count()).toBe(0)

    await postInThread(ada, 'I suggest by the shed.', 'for')
    adaFirst = await messageIdOf(ada, 'I suggest by the shed.')
    expect(await articleOf(ada, adaFirst).getByTestId('stance').innerText()).toBe('For')
    await waitForSyncState(ada, 'saved')

    ben = await joinAs(browser, ada, 'Ben Okafor')
    const benToggle = dialogue(ben).getByRole('button', { name: /Where do the bins go\?/ })
    await benToggle.waitFor({ timeout: 20_000 })
    // Ben has not read it yet: one unread message; opening the thread marks it seen.
    await dialogue(ben).getByTestId('unread').getByText('1 unread').waitFor({ timeout: 20_000 })
    await benToggle.click()
    await expect.poll(() => dialogue(ben).getByTestId('unread').count()).toBe(0)

    const adaMessageForBen = articleOf(ben, adaFirst)
    await adaMessageForBen.waitFor()
    expect(await adaMessageForBen.getByTestId('message-author').innerText()).toContain('Ada Lovelace')
    // Not Ben's message: he may reply, not edit or remove.
    expect(await adaMessageForBen.getByRole('button', { name: 'Edit' }).count()).toBe(0)
    expect(await adaMessageForBen.getByRole('button', { name: 'Remove' }).count()).toBe(0)

    await adaMessageForBen.getByRole('button', { name: 'Reply' }).click()
    const replyForm = adaMessageForBen.getByRole('form', { name: 'Reply to Ada Lovelace' })
    await replyForm.getByRole('textbox').fill('Which shed, the north one?')
    await replyForm.getByRole('combobox', { name: 'Stance' }).selectOption('question')
    await replyForm.getByRole('button', { name: 'Send reply' }).click()
    benReply = await messageIdOf(ben, 'Which shed, the north one?')
  })

  it('A sees the reply nested under her message, with its stance and author', async () => {
    const nested = dialogue(ada).locator(`li[data-message-id="${adaFirst}"] > ul > li[data-message-id="${benReply}"]`)
    await nested.waitFor({ timeout: 20_000 })
    expect(await nested.getAttribute('data-depth')).toBe('1')
    const article = articleOf(ada, benReply)
    expect(await article.innerText()).toContain('Which shed, the north one?')
    expect(await article.getByTestId('stance').innerText()).toBe('Question')
    expect(await article.getByTestId('message-author').innerText()).toContain('Ben Okafor')
  })

  it('B edits his own message; A sees the new text marked edited', async () => {
    const own = articleOf(ben, benReply)
    await own.getByRole('button', { name: 'Edit' }).click()
    const form = own.getByRole('form', { name: 'Edit message' })
    await form.getByRole('textbox').fill('Which shed: the north one or the tool shed?')
    await form.getByRole('button', { name: 'Save' }).click()
    await own.getByTestId('edited').waitFor()

    const forAda = articleOf(ada, benReply)
    await forAda.getByText('Which shed: the north one or the tool shed?').waitFor({ timeout: 20_000 })
    await forAda.getByTestId('edited').waitFor()
  })

  it('A posts while offline: it shows at once, and reaches B once she is back', async () => {
    await ada.context.setOffline(true)
    await waitForSyncState(ada, 'offline')
    await postInThread(ada, 'The north shed. (written offline)')
    await messageWith(ada, 'The north shed. (written offline)').waitFor({ timeout: 2_000 })
    await waitForSyncState(ada, 'unsent')
    await new Promise((r) => setTimeout(r, 300))
    expect(await messageWith(ben, 'The north shed. (written offline)').count()).toBe(0)

    await ada.context.setOffline(false)
    await waitForSyncState(ada, 'saved')
    const offlineId = await messageIdOf(ben, 'The north shed. (written offline)')
    // Posted after Ben's reply was seen, it sorts last at the top level, on both devices.
    const order = async (person: Person) =>
      dialogue(person).locator('li.message').evaluateAll((els) => els.map((el) => el.getAttribute('data-message-id')))
    await waitFor('both to show the same order', async () => {
      const [a, b] = [await order(ada), await order(ben)]
      return JSON.stringify(a) === JSON.stringify(b) && a.length === 3
    })
    expect(await order(ben)).toEqual([adaFirst, benReply, offlineId])
  })

  it('A removes her message: B sees a placeholder, and the reply stays under it', async () => {
    const own = articleOf(ada, adaFirst)
    await own.getByRole('button', { name: 'Remove' }).click()
    await own.getByRole('button', { name: 'Remove message' }).click()
    await articleOf(ada, adaFirst).getByTestId('removed').waitFor()

    await articleOf(ben, adaFirst).getByTestId('removed').waitFor({ timeout: 20_000 })
    expect(await messageWith(ben, 'I suggest by the shed.').count()).toBe(0)
    expect(await articleOf(ben, adaFirst).getByRole('button', { name: 'Reply' }).count()).toBe(1)
    await dialogue(ben).locator(`li[data-message-id="${adaFirst}"] > ul > li[data-message-id="${benReply}"]`).waitFor()
  })
})

describe('dialogue on a read-only link', () => {
  let relay: RelayProcess
  let browser: Browser

  beforeAll(async () => {
    relay = await startRelayProcess({ env: { RELAY_SECRET: SECRET } })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('shows threads and messages live, with no forms and no buttons but the thread toggles', async () => {
    const ada = await openAs(browser, mintFirstLink(relay.url), 'Ada')
    await ada.page.getByTestId('set-up-board').getByLabel('Board name').fill('Tool Library')
    await ada.page.getByRole('button', { name: 'Start board' }).click()
    await ada.page.getByTestId('board-name').getByText('Tool Library').waitFor()
    await addProposal(ada, 'Opening hours')
    await dialogue(ada).getByRole('textbox', { name: 'New thread title' }).fill('Weekends?')
    await dialogue(ada).getByRole('button', { name: 'Start thread' }).click()
    await postInThread(ada, 'Saturdays suit most of us.', 'for')
    await waitForSyncState(ada, 'saved')

    await ada.page.getByRole('button', { name: 'Share' }).click()
    await ada.page.getByRole('button', { name: 'Copy read-only link' }).click()
    const ben = await openAs(browser, await ada.page.getByTestId('share-link').inputValue(), 'Ben')
    await ben.page.getByTestId('read-only-link-banner').waitFor({ timeout: 20_000 })
    await ben.page.getByTestId('proposal-list').getByText('Opening hours').click()
    await dialogue(ben).getByRole('button', { name: /Weekends\?/ }).click()
    await messageWith(ben, 'Saturdays suit most of us.').waitFor({ timeout: 20_000 })

    expect(await dialogue(ben).getByRole('textbox').count()).toBe(0)
    expect(await dialogue(ben).locator('form').count()).toBe(0)
    expect(await dialogue(ben).getByRole('button').count()).toBe(1)

    // Ada keeps talking; Ben follows along.
    await postInThread(ada, 'Sundays too, in summer.')
    await messageWith(ben, 'Sundays too, in summer.').waitFor({ timeout: 20_000 })
  })
})
