import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess, type RelayProcess } from '../helpers/relayProcess'
import { addProposal, editor, expectEditorToContain, joinAs, openAs, typeAtEnd, waitForSyncState, type Person } from './app'

const SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e-secret'
const repoRoot = resolve(import.meta.dirname, '..', '..')

/** The operator's first link: `npm run relay -- token` prints the token for a new board. */
const mintFirstLink = (relayUrl: string): { url: string; token: string } => {
  const result = execFileSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts', 'token', '--scope', 'rw', '--ttl', '1h'], {
    cwd: repoRoot,
    env: { ...process.env, RELAY_SECRET: SECRET },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const token = result.trim()
  const board = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).b as string
  return { url: `${relayUrl}/b/${board}#token=${token}`, token }
}

/** A relay in token mode: links carry tokens, read-only links cannot write. */
describe('sharing on a relay in token mode', () => {
  let relay: RelayProcess
  let browser: Browser
  let ada: Person
  let ben: Person

  beforeAll(async () => {
    relay = await startRelayProcess({ env: { RELAY_SECRET: SECRET } })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('[A1] the first link sets up a new board; the token leaves the address bar and stays out of the logs', async () => {
    const first = mintFirstLink(relay.url)
    ada = await openAs(browser, first.url, 'Ada')
    await ada.page.getByTestId('set-up-board').waitFor({ timeout: 20_000 })
    expect(ada.page.url()).not.toContain('token=')
    await ada.page.getByTestId('set-up-board').getByLabel('Board name').fill('Tool Library')
    await ada.page.getByRole('button', { name: 'Start board' }).click()
    await ada.page.getByTestId('board-name').getByText('Tool Library').waitFor()
    await addProposal(ada, 'Opening hours')
    await typeAtEnd(ada, 'Saturdays 10 to 1.')
    await waitForSyncState(ada, 'saved')
    expect(await ada.page.getByTestId('sync-status').innerText()).toContain('Saved to relay')
    expect(relay.output()).not.toContain(first.token)
  })

  it('[A4] a read-only link shows everything live but cannot edit', async () => {
    await ada.page.getByRole('button', { name: 'Share' }).click()
    await ada.page.getByRole('button', { name: 'Copy read-only link' }).click()
    const link = await ada.page.getByTestId('share-link').inputValue()
    expect(link).toContain('#token=')
    ben = await openAs(browser, link, 'Ben')
    await ben.page.getByTestId('read-only-link-banner').waitFor({ timeout: 20_000 })
    await ben.page.getByTestId('proposal-list').getByText('Opening hours').click()
    await expectEditorToContain(ben, 'Saturdays 10 to 1.')
    expect(await editor(ben).getAttribute('contenteditable')).toBe('false')
    expect(await ben.page.getByRole('button', { name: 'Add proposal' }).isDisabled()).toBe(true)
    // Ada keeps writing; Ben follows along.
    await typeAtEnd(ada, ' Also Wednesday evenings.')
    await expectEditorToContain(ben, 'Also Wednesday evenings.')
  })

  it('[J4] a read-write link admits whoever opens it; the read-only reader stays no member', async () => {
    const cy = await joinAs(browser, ada, 'Cy')
    await cy.page.getByTestId('board-name').getByText('Tool Library').waitFor({ timeout: 20_000 })
    const adaMembers = ada.page.getByTestId('members')
    await adaMembers.locator('li', { hasText: 'Cy' }).getByTestId('admitted-by').getByText('admitted by Ada').waitFor({ timeout: 20_000 })
    await cy.page.getByTestId('members').getByText('Cy (you)').waitFor({ timeout: 20_000 })
    expect(await cy.page.getByTestId('not-a-member-banner').count()).toBe(0)
    expect(await cy.page.getByRole('button', { name: 'Add proposal' }).isDisabled()).toBe(false)
    // Ben came with a read-only link: he reads along and is listed nowhere.
    expect(await adaMembers.getByText('Ben').count()).toBe(0)
    await cy.context.close()
  })

  it('[A3] a link with a forged token does not open the board', async () => {
    const forged = `${relay.url}/b/${'A'.repeat(22)}#token=pb1.eyJiIjoiQUFBQSJ9.AAAA`
    const eve = await openAs(browser, forged, 'Eve')
    await eve.page.getByTestId('waiting-banner').waitFor({ timeout: 20_000 })
    await expect
      .poll(() => eve.page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 20_000 })
      .toMatch(/offline|connecting/)
    await eve.context.close()
  })
})
