import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import * as Y from 'yjs'
import { launchChromium } from '../../tests/helpers/browser'
import {
  addProposal,
  createBoard,
  createHlcClock,
  createThread,
  postMessage,
  readThreads,
  ROOT_LEDGER_ENTRIES,
  type EntryEnvelope,
  type LedgerId,
  type MemberId,
  type ProposalId,
} from '../../shared/src'
import { benchDevices, signContributions } from '../load/signedLedger'
import { freshRoom } from '../load/rooms'
import { distribution, sleep, type Distribution } from '../load/stats'
import { peerboardRelay, peerboardToken } from '../servers/peerboard'
import { repoRoot } from '../servers/serverProcess'

/**
 * W5, the client in Chromium: (1) open a large board from IndexedDB against the floor of
 * Y.applyUpdate of the same state, in fresh pages of the bench page bench/web/open.html;
 * (2) keystroke-to-paint in a Lexical editor, plain and bound to a Y.Doc connected to the
 * Peerboard relay (bench/web/editor.html). The pages are built with Vite into bench/out/web.
 */

export interface ClientResult {
  readonly ok: boolean
  readonly error: string | null
  readonly browser: string
  readonly proposals: number
  readonly messages: number
  readonly ledgerEntries: number
  readonly stateBytes: number
  readonly ledgerStateBytes: number
  readonly runs: number
  /**
   * Medians over `runs` fresh pages of reopening the board on the device that has it (the ledger's
   * verified store loaded and trusted); ledgerMs = store + WebCrypto pass + the rules' read.
   */
  readonly open: { readonly loadMs: number; readonly readMs: number; readonly ledgerMs: number; readonly totalMs: number }
  /** The same board read from IndexedDB without the verified store: every signature checked. */
  readonly firstOpen: { readonly ledgerMs: number; readonly totalMs: number }
  readonly floorMs: number
  /** One postMessage (shared's op) on the finished board, in Node: median of 5. */
  readonly postMessageMs: number
  readonly keystroke: { readonly chars: number; readonly plain: Distribution; readonly collab: Distribution } | null
}

const AUTHOR = 'BenchAuthorBenchAuthor' as MemberId

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN
const NODE = 'BenchNodeBenchNodeBenc'
const WEB_OUT = resolve(repoRoot, 'bench/out/web')

/** Devices the dialogue is written on (see largeBoard). */
const DEVICES = 40

/**
 * A board built with shared's ops: proposals, one thread per proposal, and messages spread over
 * the threads, written on DEVICES replicas (each holding the threads and the messages of its own
 * share of them) and merged as sync would merge them, as a board written by many members is.
 */
export const largeBoard = (proposals: number, messages: number): { state: Uint8Array; doc: Y.Doc } => {
  const doc = new Y.Doc()
  let now = 1_700_000_000_000
  const clock = createHlcClock({ node: NODE, wallClock: () => now++ })
  createBoard(doc, { name: 'A large board', createdAt: now })
  const ids: ProposalId[] = []
  for (let i = 0; i < proposals; i++) {
    ids.push(addProposal(doc, { title: `Proposal ${i}: share the tools`, author: AUTHOR, authorName: 'Bench', createdAt: now++ }))
  }
  const threads = ids.map((id, i) => createThread(doc, { subject: { kind: 'proposal', id }, title: `About proposal ${i}`, author: AUTHOR }, { clock }))
  const base = Y.encodeStateAsUpdate(doc)
  const baseVector = Y.encodeStateVector(doc)
  for (let device = 0; device < DEVICES; device++) {
    const replica = new Y.Doc()
    Y.applyUpdate(replica, base)
    const deviceClock = createHlcClock({ node: `${NODE.slice(0, 20)}${String(device).padStart(2, '0')}`, wallClock: () => now++ })
    for (let i = device; i < messages; i += DEVICES) {
      postMessage(
        replica,
        {
          // Message i goes to thread i mod T, so each device writes to the threads ≡ device (mod DEVICES).
          threadId: threads[i % threads.length] as (typeof threads)[number],
          author: AUTHOR,
          body: `Message ${i}: I think we should try it for a month and then look again at how it went.`,
          stance: 'information',
        },
        { clock: deviceClock },
      )
    }
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica, baseVector))
    replica.destroy()
  }
  return { state: Y.encodeStateAsUpdate(doc), doc }
}

const LEDGER = 'BenchLedgerOpenBenchLe' as LedgerId

/**
 * The board's ledger: `entries` contributions signed by 10 member devices, each device's chain in
 * order, in one doc as sync delivers it; with the members the keyring is made of.
 */
export const largeLedger = (
  entries: number,
): { state: Uint8Array; setup: { ledger: LedgerId; members: { id: MemberId; devices: string[] }[] } } => {
  const devices = benchDevices(10, 101)
  const doc = new Y.Doc()
  const yEntries = doc.getMap<EntryEnvelope>(ROOT_LEDGER_ENTRIES)
  doc.transact(() => {
    for (const [id, envelope] of signContributions(LEDGER, devices, new Map(), entries)) yEntries.set(id, envelope)
  })
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return { state, setup: { ledger: LEDGER, members: devices.map((d) => ({ id: d.member, devices: [d.key] })) } }
}

/** Median time of one postMessage (shared's op) on the finished board: what a member pays per message. */
const postMessageMs = (doc: Y.Doc): number => {
  const clock = createHlcClock({ node: NODE, wallClock: () => Date.now() })
  const thread = readThreads(doc)[0]
  if (thread === undefined) return NaN
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    postMessage(doc, { threadId: thread.id, author: AUTHOR, body: `One more message ${i}.`, stance: 'question' }, { clock })
    times.push(performance.now() - started)
  }
  return median(times)
}

const buildPages = async (): Promise<void> => {
  await build({
    configFile: false,
    root: resolve(repoRoot, 'bench/web'),
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir: WEB_OUT,
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: {
        input: { open: resolve(repoRoot, 'bench/web/open.html'), editor: resolve(repoRoot, 'bench/web/editor.html') },
      },
    },
  })
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

const serve = async (
  state: Uint8Array,
  ledger: ReturnType<typeof largeLedger>,
): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string
    if (path === '/board.bin' || path === '/ledger.bin') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(path === '/board.bin' ? state : ledger.state)
      return
    }
    if (path === '/ledger.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ledger.setup))
      return
    }
    try {
      const file = resolve(WEB_OUT, `.${path}`)
      if (!file.startsWith(WEB_OUT)) throw new Error('outside')
      const body = readFileSync(file)
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const typeAndMeasure = async (browser: Browser, url: string, chars: number): Promise<Distribution> => {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(url)
    await page.waitForFunction(() => window.benchReady, undefined, { timeout: 30_000 })
    await page.click('.editor')
    await sleep(300)
    await page.evaluate(() => (window.benchLatencies = []))
    const text = 'We propose to share the tools of the garden on a rota. '
    for (let i = 0; i < chars; i++) await page.keyboard.type(text[i % text.length] as string, { delay: 0 }).then(() => sleep(40))
    await sleep(300)
    const typed = await page.evaluate(() => document.querySelector('.editor')?.textContent ?? '')
    if (typed.length < chars) throw new Error(`the editor holds ${typed.length} of ${chars} typed characters`)
    return distribution(await page.evaluate(() => window.benchLatencies))
  } finally {
    await context.close()
  }
}

export const runClientBench = async (options: { readonly quick: boolean }): Promise<ClientResult> => {
  const proposals = options.quick ? 100 : 1000
  const messages = options.quick ? 2000 : 20_000
  const ledgerEntries = options.quick ? 1000 : 10_000
  const runs = options.quick ? 3 : 5
  const chars = options.quick ? 40 : 150
  const board = largeBoard(proposals, messages)
  const state = board.state
  const postMs = postMessageMs(board.doc)
  board.doc.destroy()
  const ledger = largeLedger(ledgerEntries)
  await buildPages()
  const { server, url } = await serve(state, ledger)
  const browser = await launchChromium()
  const problems: string[] = []
  try {
    const context = await browser.newContext()
    const name = `peerboard:${freshRoom()}`
    const seedPage = await context.newPage()
    await seedPage.goto(`${url}/open.html`)
    const seeded = await seedPage.evaluate((n) => window.benchSeed(n), name)
    if (seeded !== proposals) problems.push(`seeded board has ${seeded} proposals`)
    await seedPage.close()
    const opens: { loadMs: number; readMs: number; ledgerMs: number }[] = []
    const firstOpens: { loadMs: number; readMs: number; ledgerMs: number }[] = []
    const floors: number[] = []
    for (let i = 0; i < runs; i++) {
      for (const reopen of [true, false]) {
        const page = await context.newPage()
        await page.goto(`${url}/open.html`)
        const open = await page.evaluate(([n, r]) => window.benchOpen(n, r), [name, reopen] as const)
        if (open.proposals !== proposals || open.threads !== proposals) problems.push(`opened board has ${open.proposals} proposals, ${open.threads} threads`)
        if (open.confirmed !== ledgerEntries) problems.push(`opened ledger has ${open.confirmed} of ${ledgerEntries} entries confirmed`)
        const native = reopen ? 0 : ledgerEntries
        if (open.nativeAccepted !== native) problems.push(`WebCrypto accepted ${open.nativeAccepted} signatures, not ${native}`)
        ;(reopen ? opens : firstOpens).push(open)
        await page.close()
      }
      const floorPage = await context.newPage()
      await floorPage.goto(`${url}/open.html`)
      const floor = await floorPage.evaluate(() => window.benchFloor())
      if (floor.proposals !== proposals || floor.entries !== ledgerEntries) problems.push(`floor docs have ${floor.proposals} proposals, ${floor.entries} entries`)
      floors.push(floor.ms)
      await floorPage.close()
    }
    await context.close()

    let keystroke: ClientResult['keystroke'] = null
    const relayDir = mkdtempSync(join(tmpdir(), 'bench-w5-'))
    const relay = await peerboardRelay.start({ dataDir: relayDir })
    try {
      const plain = await typeAndMeasure(browser, `${url}/editor.html?mode=plain`, chars)
      const room = freshRoom()
      const ws = `ws://127.0.0.1:${relay.port}/sync`
      const collab = await typeAndMeasure(
        browser,
        `${url}/editor.html?mode=collab&ws=${encodeURIComponent(ws)}&room=${room}&token=${encodeURIComponent(peerboardToken(room))}`,
        chars,
      )
      keystroke = { chars, plain, collab }
    } catch (error) {
      problems.push(`keystroke: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      await relay.stop()
      rmSync(relayDir, { recursive: true, force: true })
    }
    const loadMs = median(opens.map((o) => o.loadMs))
    const readMs = median(opens.map((o) => o.readMs))
    const ledgerMs = median(opens.map((o) => o.ledgerMs))
    return {
      ok: problems.length === 0,
      error: problems.length === 0 ? null : [...new Set(problems)].join('; '),
      browser: `Chromium ${browser.version()}`,
      proposals,
      messages,
      ledgerEntries,
      stateBytes: state.byteLength,
      ledgerStateBytes: ledger.state.byteLength,
      runs,
      open: { loadMs, readMs, ledgerMs, totalMs: median(opens.map((o) => o.loadMs + o.readMs + o.ledgerMs)) },
      firstOpen: {
        ledgerMs: median(firstOpens.map((o) => o.ledgerMs)),
        totalMs: median(firstOpens.map((o) => o.loadMs + o.readMs + o.ledgerMs)),
      },
      floorMs: median(floors),
      postMessageMs: postMs,
      keystroke,
    }
  } finally {
    await browser.close()
    server.close()
  }
}
