import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { addProposal, createBoard, joinAs, openAs, type Person } from './app'

const canvas = (person: Person) => person.page.getByTestId('map-canvas')
const node = (person: Person, name: string) => canvas(person).locator(`[data-testid="map-node"][data-actor-name="${name}"]`)
const edgeLabels = (person: Person): Promise<(string | null)[]> =>
  canvas(person)
    .getByTestId('map-edge')
    .evaluateAll((edges) => edges.map((e) => e.getAttribute('aria-label')))

const addActorAs = async (person: Person, name: string, kind: string, interests = ''): Promise<void> => {
  const form = person.page.getByRole('form', { name: 'Add actor' })
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('Kind').selectOption(kind)
  await form.getByLabel('Interests').fill(interests)
  await form.getByRole('button', { name: 'Add actor' }).click()
  await node(person, name).waitFor()
}

/** The stakeholder map, driven by two people in separate browser contexts through a real relay. */
describe('stakeholder map', () => {
  let relay: RelayProcess
  let browser: Browser
  let ada: Person
  let ben: Person
  let mapUrl: string

  beforeAll(async () => {
    relay = await startRelayProcess()
    browser = await launchChromium()
    ada = await openAs(browser, relay.url, 'Ada')
    await createBoard(ada, 'Allotments')
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('[M2] [M4] actors and a relation added on the map show for the other person, on the map and in the list', async () => {
    await ada.page.getByRole('link', { name: 'Map' }).click()
    await canvas(ada).waitFor()
    mapUrl = ada.page.url()
    expect(new URL(mapUrl).pathname).toMatch(/^\/b\/[^/]+\/map$/)

    // A refused input shows the op's message and writes nothing.
    await ada.page.getByRole('form', { name: 'Add actor' }).getByRole('button', { name: 'Add actor' }).click()
    await ada.page.getByRole('alert').getByText('Actor name cannot be empty.').waitFor()
    expect(await canvas(ada).getByTestId('map-node').count()).toBe(0)

    await addActorAs(ada, 'River Trust', 'non-human', 'clean water, fish')
    await addActorAs(ada, 'Town Council', 'organisation')
    // The actor just added is selected: connect it to the other.
    const connect = ada.page.getByRole('form', { name: 'Connect' })
    await connect.getByLabel('Relation').selectOption('affects')
    await connect.getByLabel('To').selectOption({ label: 'River Trust' })
    await connect.getByLabel('Note').fill('issues the permits')
    await connect.getByRole('button', { name: 'Connect' }).click()
    await expect.poll(() => edgeLabels(ada)).toEqual(['Town Council affects River Trust'])

    ben = await joinAs(browser, ada, 'Ben')
    await canvas(ben).waitFor()
    await canvas(ben).getByRole('button', { name: 'River Trust, non-human' }).waitFor({ timeout: 20_000 })
    await canvas(ben).getByRole('button', { name: 'Town Council, organisation' }).waitFor()
    await expect.poll(() => edgeLabels(ben), { timeout: 20_000 }).toEqual(['Town Council affects River Trust'])
    // A directed kind is drawn with an arrow.
    expect(await canvas(ben).getByTestId('map-edge').locator('line').getAttribute('marker-end')).toContain('map-arrow')

    await ben.page.getByRole('button', { name: 'List', exact: true }).click()
    const actors = ben.page.getByRole('table', { name: 'Actors' })
    await actors.getByRole('row', { name: /River Trust/ }).getByText('clean water, fish').waitFor()
    await actors.getByRole('row', { name: /Town Council/ }).getByText('organisation').waitFor()
    const relations = ben.page.getByRole('table', { name: 'Relations' })
    const row = relations.getByRole('row', { name: /issues the permits/ })
    expect(await row.locator('td').allInnerTexts()).toEqual(['Town Council', 'affects', 'River Trust', 'issues the permits'])
    // Selecting a row by keyboard selects the actor.
    await actors.getByRole('button', { name: 'River Trust' }).focus()
    await ben.page.keyboard.press('Enter')
    await ben.page.getByTestId('selected-actor').getByRole('heading', { name: 'River Trust', exact: true }).waitFor()
    await ben.page.getByRole('button', { name: 'Map', exact: true }).click()
    await canvas(ben).waitFor()
  })

  it('[M6] a node dragged by one person moves for the other, written once on drop', async () => {
    const river = node(ada, 'River Trust')
    const before = await river.getAttribute('transform')
    await river.scrollIntoViewIfNeeded()
    const box = await river.boundingBox()
    if (box === null) throw new Error('the River Trust node is not on screen')
    const x = box.x + box.width / 2
    const y = box.y + box.height / 2
    await ada.page.mouse.move(x, y)
    await ada.page.mouse.down()
    await ada.page.mouse.move(x + 60, y + 40, { steps: 5 })
    await ada.page.mouse.move(x + 120, y + 80, { steps: 5 })
    // Mid-drag: Ada sees the node follow her pointer; nothing is written yet, so Ben's stays put.
    await expect.poll(() => river.getAttribute('transform')).not.toBe(before)
    await new Promise((r) => setTimeout(r, 500))
    expect(await node(ben, 'River Trust').getAttribute('transform')).toBe(before)
    await ada.page.mouse.up()
    const after = await river.getAttribute('transform')
    expect(after).not.toBe(before)
    expect(after).toMatch(/^translate\(-?\d+ -?\d+\)$/)
    await expect.poll(() => node(ben, 'River Trust').getAttribute('transform'), { timeout: 20_000 }).toBe(after)
  })

  it('[M7] "Who is affected?" links an actor to a proposal, and the other person sees it checked', async () => {
    await ada.page.getByRole('link', { name: 'Proposals' }).click()
    await addProposal(ada, 'Compost bins')
    await ada.page.getByText('Who is affected?').click()
    await ada.page.getByTestId('affected-picker').getByRole('checkbox', { name: 'Town Council' }).check()

    await ben.page.getByRole('link', { name: 'Proposals' }).click()
    await ben.page.getByTestId('proposal-list').getByText('Compost bins').click({ timeout: 20_000 })
    await ben.page.getByText('Who is affected?').click()
    const picker = ben.page.getByTestId('affected-picker')
    await expect.poll(() => picker.getByRole('checkbox', { name: 'Town Council' }).isChecked(), { timeout: 20_000 }).toBe(true)
    expect(await picker.getByRole('checkbox', { name: 'River Trust' }).isChecked()).toBe(false)
  })
})
