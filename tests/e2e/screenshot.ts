/**
 * `npm run screenshot`: makes docs/screenshot.png — two browsers co-editing one proposal through
 * a real relay, side by side. Uses the same helpers as the e2e suite.
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { launchChromium } from '../helpers/browser'
import { startRelayProcess } from '../helpers/relayProcess'
import { addProposal, createBoard, expectEditorToContain, joinAs, openAs, typeAtEnd, waitForSyncState } from './app'

const out = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshot.png')
const relay = await startRelayProcess()
const browser = await launchChromium()
try {
  const ada = await openAs(browser, relay.url, 'Ada Lovelace', 'Purple')
  await createBoard(ada, 'Riverside Garden Co-op')
  await addProposal(ada, 'Tool library opening hours')
  await addProposal(ada, 'Rainwater tanks for the east beds')
  await addProposal(ada, 'Compost rota for the winter')
  await ada.page.getByLabel('Status').selectOption('open')
  await typeAtEnd(ada, 'Each household turns the compost once a month, on a rota posted by the shed. ')
  await typeAtEnd(ada, 'Swaps are fine: say so in the thread.')
  const ben = await joinAs(browser, ada, 'Ben Okafor', 'Teal')
  await expectEditorToContain(ben, 'Swaps are fine')
  await ben.page.getByTestId('proposal-editor').click()
  await ben.page.keyboard.press('Control+End')
  await ben.page.keyboard.press('Enter')
  await ben.page.keyboard.type('Ben: we could pair new members with someone who has done it before.', { delay: 5 })
  await expectEditorToContain(ada, 'pair new members')
  // Put Ada's caret mid-text so Ben sees it with her name.
  await ada.page.getByTestId('proposal-editor').getByText('rota posted').click()
  await waitForSyncState(ada, 'saved')
  await waitForSyncState(ben, 'saved')
  await ben.page.locator('.editor-shell span', { hasText: 'Ada Lovelace' }).first().waitFor()
  await ada.page.locator('.editor-shell span', { hasText: 'Ben Okafor' }).first().waitFor()
  const shots = await Promise.all([ada.page.screenshot(), ben.page.screenshot()])
  const page = await (await browser.newContext({ viewport: { width: 2240, height: 780 } })).newPage()
  await page.setContent(`<body style="margin:0;background:#1d2433;display:flex;gap:40px;padding:20px">
    ${shots
      .map((png, i) => `<figure style="margin:0;color:#fff;font:16px system-ui">
        <figcaption style="margin-bottom:8px">${i === 0 ? 'Ada’s browser' : 'Ben’s browser'}</figcaption>
        <img style="display:block;width:1080px;border-radius:6px" src="data:image/png;base64,${png.toString('base64')}">
      </figure>`)
      .join('')}</body>`)
  writeFileSync(out, await page.screenshot({ fullPage: true }))
  console.log(`wrote ${out}`)
} finally {
  await browser.close()
  await relay.stop()
}
