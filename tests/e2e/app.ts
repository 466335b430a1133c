import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { waitFor } from '../helpers/wait'

/** Driving the app as a person would: through its labels and buttons. */

export interface Person {
  readonly context: BrowserContext
  readonly page: Page
  readonly name: string
}

/** A person in their own browser context (separate storage: no BroadcastChannel shortcut). */
export const openAs = async (browser: Browser, url: string, name: string, color?: string): Promise<Person> => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } })
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error))
  await page.goto(url)
  await page.getByLabel('Your name').fill(name)
  if (color !== undefined) await page.getByRole('radio', { name: color }).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  return { context, page, name }
}

export const createBoard = async (person: Person, boardName: string): Promise<string> => {
  const { page } = person
  await page.getByLabel('Board name').fill(boardName)
  await page.getByRole('button', { name: 'Create board' }).click()
  await page.getByTestId('board-name').getByText(boardName).waitFor()
  return page.url()
}

export const addProposal = async (person: Person, title: string): Promise<string> => {
  const { page } = person
  await page.getByLabel('New proposal title').fill(title)
  await page.getByRole('button', { name: 'Add proposal' }).click()
  await page.getByTestId('proposal-editor').waitFor()
  await waitFor('the proposal page', () => page.url().includes('/p/'))
  return page.url()
}

export const editor = (person: Person) => person.page.getByTestId('proposal-editor')

export const typeAtEnd = async (person: Person, text: string): Promise<void> => {
  const box = editor(person)
  await box.click()
  await person.page.keyboard.press('Control+End')
  await person.page.keyboard.type(text, { delay: 5 })
}

export const editorText = (person: Person): Promise<string> => editor(person).innerText()

export const expectEditorToContain = async (person: Person, ...parts: string[]): Promise<void> => {
  const text = await waitFor(
    `${person.name}'s editor to show ${parts.map((p) => JSON.stringify(p)).join(' and ')}`,
    async () => {
      const current = await editorText(person)
      return parts.every((p) => current.includes(p)) ? current : ''
    },
    20_000,
  )
  for (const part of parts) expect(text).toContain(part)
}

export const syncState = (person: Person): Promise<string | null> =>
  person.page.getByTestId('sync-status').getAttribute('data-state')

export const waitForSyncState = (person: Person, state: string): Promise<boolean> =>
  waitFor(`${person.name}'s sync status to be ${state}`, async () => (await syncState(person)) === state, 20_000)

/** Opens a poll on the proposal shown, closing `closeInMs` from now, with the form's other defaults. */
/** A `datetime-local` value `ms` from now, in the page's own time zone. */
export const localDateTimeIn = (person: Person, ms: number): Promise<string> =>
  person.page.evaluate((ms) => {
    const d = new Date(Date.now() + ms)
    const pad = (n: number) => String(n).padStart(2, '0')
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  }, ms)

export const openPollClosingIn = async (person: Person, closeInMs: number): Promise<void> => {
  const panel = person.page.getByTestId('decision-panel')
  await panel.getByText('Open a poll').click()
  await panel.getByLabel('Closes at').fill(await localDateTimeIn(person, closeInMs))
  await panel.getByRole('button', { name: 'Open poll' }).click()
  await pollStatus(person).waitFor({ timeout: 20_000 })
}

/** The current poll's status and result on the proposal shown. */
export const pollStatus = (person: Person) => person.page.getByTestId('decision-panel').getByTestId('poll-status').first()
export const pollResult = (person: Person) => person.page.getByTestId('decision-panel').getByTestId('poll-result').first()

/** Takes the position labelled `position` ("Consent", "Yes"…) on the poll shown. */
export const takeStance = async (person: Person, position: string): Promise<void> => {
  const panel = person.page.getByTestId('decision-panel')
  await panel.getByRole('radio', { name: position }).check()
  await panel.getByRole('button', { name: 'Cast stance' }).click()
  await panel.getByRole('button', { name: 'Change stance' }).waitFor({ timeout: 20_000 })
}

/**
 * A link to the page `person` is on that invites one person to the board (SPEC [J4]): made in the
 * Share panel, as a member would, then the panel is closed again.
 */
export const invitationLink = async (person: Person): Promise<string> => {
  const { page } = person
  const share = page.getByRole('button', { name: 'Share', exact: true })
  if ((await share.getAttribute('aria-expanded')) !== 'true') await share.click()
  const panel = page.getByRole('dialog', { name: 'Share this board' })
  await panel.getByRole('button', { name: /^Copy (invitation|read-write) link$/ }).click()
  // The field may still show a link made earlier until the new one is in.
  const link = await waitFor('an invitation link', async () => {
    const value = await panel.getByTestId('share-link').inputValue()
    return /#.*inv=/.test(value) ? value : null
  }, 20_000)
  await share.click()
  if (link === null) throw new Error('no invitation link')
  return link
}

/** Another person joins through `inviter`'s invitation link to the page the inviter is on. */
export const joinAs = async (browser: Browser, inviter: Person, name: string, color?: string): Promise<Person> =>
  openAs(browser, await invitationLink(inviter), name, color)
