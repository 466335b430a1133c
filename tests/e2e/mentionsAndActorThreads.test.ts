import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { addProposal, createBoard, joinAs, openAs, type Person } from './app'

const postInFirstThread = async (person: Person, title: string, fill: (form: ReturnType<Person['page']['getByRole']>) => Promise<void>) => {
  const dialogue = person.page.getByTestId('dialogue')
  await dialogue.getByRole('textbox', { name: 'New thread title' }).fill(title)
  await dialogue.getByRole('button', { name: 'Start thread' }).click()
  const form = dialogue.getByRole('form', { name: 'New message' })
  await fill(form)
  await form.getByRole('button', { name: 'Post' }).click()
}

/** Mentions picked from the board's members, and threads about a stakeholder (SPEC [T1], [T4]). */
describe('mentions and stakeholder threads', () => {
  let relay: RelayProcess
  let browser: Browser
  let ada: Person
  let ben: Person


  beforeAll(async () => {
    relay = await startRelayProcess()
    browser = await launchChromium()
    ada = await openAs(browser, relay.url, 'Ada Lovelace')
    await createBoard(ada, 'Mentions')
    await addProposal(ada, 'Bins')
    ben = await joinAs(browser, ada, 'Ben Okafor')
    await ada.page.getByTestId('members').getByText('Ben Okafor').waitFor({ timeout: 20_000 })
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('[T4] A mentions B by picking him from the members; both see @Ben Okafor', async () => {
    await postInFirstThread(ada, 'Who takes the bins out?', async (form) => {
      await form.getByRole('textbox', { name: 'New message' }).fill('Could you take Tuesdays, ')
      await form.getByLabel('Mention').selectOption({ label: '@Ben Okafor' })
    })
    const body = ben.page.getByTestId('dialogue')
    await body.getByRole('button', { name: /Who takes the bins out\?/ }).click({ timeout: 20_000 })
    await body.getByText('@Ben Okafor').waitFor({ timeout: 20_000 })
    expect(await ada.page.getByTestId('dialogue').getByText('@Ben Okafor').count()).toBeGreaterThan(0)
  })

  it('[T1] a thread about a stakeholder shows under that stakeholder on the map', async () => {
    await ada.page.getByRole('link', { name: 'Map' }).click()
    const form = ada.page.getByRole('form', { name: 'Add actor' })
    await form.getByLabel('Name').fill('Mill Lane residents')
    await form.getByLabel('Kind').selectOption('group')
    await form.getByRole('button', { name: 'Add actor' }).click()
    await ada.page.getByTestId('map-canvas').getByRole('button', { name: 'Mill Lane residents, group' }).click()
    await postInFirstThread(ada, 'Noise at night', async (f) => {
      await f.getByRole('textbox', { name: 'New message' }).fill('They asked for quiet hours after 10.')
    })
    await ben.page.getByRole('link', { name: 'Map' }).click()
    await ben.page
      .getByTestId('map-canvas')
      .getByRole('button', { name: 'Mill Lane residents, group' })
      .click({ timeout: 20_000 })
    const dialogue = ben.page.getByTestId('dialogue')
    await dialogue.getByRole('heading', { name: 'Discussion about this stakeholder' }).waitFor()
    await dialogue.getByRole('button', { name: /Noise at night/ }).click({ timeout: 20_000 })
    await dialogue.getByText('They asked for quiet hours after 10.').waitFor({ timeout: 20_000 })
  })
})
