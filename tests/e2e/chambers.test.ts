import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { addProposal, createBoard, joinAs, openAs, openPollClosingIn, pollResult, pollStatus, takeStance, type Person } from './app'

/**
 * Chamber thresholds set up and used from the app (SPEC [C11], [H2]), by two people in separate
 * browser contexts through a real relay: each is an actor of the map in a chamber of their own; the
 * board adopts chamber thresholds through a charter amendment; then a proposal affecting both
 * chambers passes its method but not one chamber's threshold, and both people read the same
 * outcome naming that chamber.
 */

// Each poll stays open just long enough for both people to take a stance.
const CLOSE_IN_MS = 20_000

const addChamber = async (person: Person, name: string): Promise<void> => {
  const form = person.page.getByRole('form', { name: 'Add chamber' })
  await form.getByLabel('New chamber name').fill(name)
  await form.getByRole('button', { name: 'Add chamber' }).click()
  await person.page.getByRole('region', { name: 'Chambers' }).getByText(name).waitFor()
}

/** Adds an actor for `member`, in `chamber`, linked to that board member. */
const addMemberActor = async (person: Person, member: string, chamber: string): Promise<void> => {
  const form = person.page.getByRole('form', { name: 'Add actor' })
  await form.getByLabel('Name').fill(member)
  await form.getByRole('button', { name: 'Add actor' }).click()
  const actor = person.page.getByTestId('selected-actor')
  await actor.getByRole('heading', { name: member, exact: true }).waitFor()
  await actor.getByRole('checkbox', { name: chamber }).check()
  const picker = actor.getByLabel('Board member')
  await expect.poll(() => picker.locator('option', { hasText: member }).count(), { timeout: 20_000 }).toBe(1)
  await picker.selectOption({ label: member })
}

const outcomeOf = async (person: Person): Promise<string[]> => {
  const panel = person.page.getByTestId('decision-panel')
  return [
    await pollResult(person).innerText(),
    await panel.getByTestId('chambers-failed').innerText(),
    ...(await panel.getByTestId('chamber-result').allInnerTexts()),
  ]
}

describe('chamber thresholds', () => {
  let relay: RelayProcess
  let browser: Browser
  let ada: Person
  let ben: Person

  beforeAll(async () => {
    relay = await startRelayProcess()
    browser = await launchChromium()
    ada = await openAs(browser, relay.url, 'Ada')
    await createBoard(ada, 'Bakery cooperative')
    ben = await joinAs(browser, ada, 'Ben')
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('[C11][H2] a proposal passes its method but not the Neighbours chamber: not passed, naming it, the same for both', async () => {
    // The map: two chambers, one actor per member, each in a chamber and linked to the member.
    await ada.page.getByRole('link', { name: 'Map' }).click()
    await addChamber(ada, 'Workers')
    await addChamber(ada, 'Neighbours')
    await addMemberActor(ada, 'Ada', 'Workers')
    await addMemberActor(ada, 'Ben', 'Neighbours')

    // A charter amendment: supermajority passing at 50% of the stances for and against by default,
    // Workers need 50% of theirs, Neighbours 60%.
    await ada.page.getByRole('link', { name: 'Charter' }).click()
    await ada.page.getByRole('button', { name: 'Propose an amendment' }).click()
    const charter = ada.page.getByRole('form', { name: 'Proposed charter' })
    await charter.getByLabel('Default method').selectOption('supermajority')
    await charter.getByLabel('Pass share (%)').fill('50')
    const thresholds = charter.getByRole('group', { name: 'Chamber thresholds' })
    await thresholds.getByRole('checkbox', { name: 'Workers' }).check()
    await thresholds.getByRole('checkbox', { name: 'Neighbours' }).check()
    await thresholds.getByLabel('Threshold for Neighbours (%)').fill('150')
    await charter.getByRole('button', { name: 'Save proposed charter' }).click()
    await charter.getByRole('alert').getByText('The charter is not valid: a chamber threshold is malformed.').waitFor()
    await thresholds.getByLabel('Threshold for Neighbours (%)').fill('60')
    await charter.getByRole('button', { name: 'Save proposed charter' }).click()
    await charter.getByRole('status').waitFor()

    // Ratified through the board: a consent poll both consent to; a device adopts it once final.
    const amendmentUrl = ada.page.url()
    await openPollClosingIn(ada, CLOSE_IN_MS)
    await takeStance(ada, 'Consent')
    await ben.page.goto(amendmentUrl)
    await takeStance(ben, 'Consent')
    for (const person of [ada, ben]) {
      await person.page.getByRole('link', { name: 'Charter' }).click()
      await expect.poll(() => person.page.getByTestId('charter-badge').innerText(), { timeout: CLOSE_IN_MS + 30_000 }).toBe('Revision 1')
    }
    expect(await ben.page.getByTestId('charter-chambers').first().innerText()).toBe(
      'Neighbours: at least 60% of the chamber’s stances for and against\nWorkers: at least 50% of the chamber’s stances for and against',
    )

    // Ben proposes, says both chambers are affected and opens the poll; Ada approves, Ben opposes.
    await ben.page.getByRole('link', { name: 'Proposals' }).click()
    const proposalUrl = await addProposal(ben, 'Open on Sunday mornings')
    await ben.page.getByText('Who is affected?').click()
    const affected = ben.page.getByTestId('affected-picker')
    for (const chamber of ['Workers', 'Neighbours']) await affected.getByRole('checkbox', { name: chamber }).check()
    await openPollClosingIn(ben, CLOSE_IN_MS)
    await ada.page.goto(proposalUrl)
    await takeStance(ada, 'Yes')
    await takeStance(ben, 'No')

    for (const person of [ada, ben]) {
      await expect.poll(() => pollStatus(person).innerText(), { timeout: CLOSE_IN_MS + 30_000 }).toBe('Final')
    }
    const [adaSees, benSees] = await Promise.all([outcomeOf(ada), outcomeOf(ben)])
    expect(adaSees).toEqual([
      'Not passed',
      'Not passed in the chamber Neighbours: it did not reach its threshold.',
      'Neighbours: 1 of 1 elector took a stance; 0 approving of 1 for or against, 60% needed — does not pass',
      'Workers: 1 of 1 elector took a stance; 1 approving of 1 for or against, 50% needed — passes',
    ])
    expect(benSees).toEqual(adaSees)
  })
})
