import {
  defaultParams,
  isPollMethod,
  isReasonsSetting,
  isResultsVisibility,
  requireMethodSetup,
  type PollMethod,
  type PollParams,
  type ReasonsSetting,
  type ResultsVisibility,
} from './decisions'
import { invalidInput } from './errors'
import { isChamberId, isMemberId, type ChamberId, type MemberId } from './ids'

/**
 * The charter: the board's own rules for deciding, as data (SPEC [H1]). Rules of conduct are rich
 * text in a small structured form (headings, paragraphs, bulleted and numbered lists), written and
 * read as plain text with light markup (`# `, `- `, `1. `, blank lines between blocks).
 */
export type ConductBlock =
  | { readonly kind: 'heading' | 'paragraph'; readonly text: string }
  | { readonly kind: 'bullets' | 'numbered'; readonly items: readonly string[] }

export interface CharterContent {
  readonly v: 1
  /** Who may open polls: every verified member, or only those listed. */
  readonly openers: 'any-member' | 'listed'
  readonly openerList: readonly MemberId[]
  /** Default method and parameters of a new poll. */
  readonly method: PollMethod
  readonly params: PollParams
  /** Quorum: a share of the electorate, whole percent 0-100 (SPEC [C6]). */
  readonly quorumPct: number
  /** Chambers with a threshold (basis points of the chamber's score) (SPEC [C11]). */
  readonly chambers: readonly { readonly chamber: ChamberId; readonly bp: number }[]
  /** The shortest time a poll stays open, in minutes (the closing grace). */
  readonly graceMinutes: number
  readonly reasons: ReasonsSetting
  /** Default visibility of results for a new poll. */
  readonly results: ResultsVisibility
  readonly conduct: readonly ConductBlock[]
}

export const CHARTER_LIMITS = {
  conductBlocksMax: 200,
  conductTextMax: 20_000,
  openersMax: 500,
  chambersMax: 50,
  graceMinutesMax: 60 * 24 * 30,
} as const

export const DEFAULT_CHARTER: CharterContent = Object.freeze({
  v: 1,
  openers: 'any-member',
  openerList: [],
  method: 'consent',
  params: defaultParams('consent'),
  quorumPct: 50,
  chambers: [],
  graceMinutes: 0,
  reasons: 'required-for-objection',
  results: 'visible',
  conduct: [
    { kind: 'paragraph', text: 'We listen to each other and speak to the proposal, not the person.' },
    { kind: 'bullets', items: ['Objections come with a reason.', 'Decisions are reviewed on their review date.'] },
  ],
} as CharterContent)

/** Parses rules of conduct written with light markup into blocks. */
export const parseConduct = (text: string): ConductBlock[] => {
  const blocks: ConductBlock[] = []
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)
  for (const chunk of paragraphs) {
    const lines = chunk
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
    if (lines.length === 0) continue
    if (lines.every((l) => /^[-*] /.test(l))) {
      blocks.push({ kind: 'bullets', items: lines.map((l) => l.slice(2).trim()) })
    } else if (lines.every((l) => /^\d+[.)] /.test(l))) {
      blocks.push({ kind: 'numbered', items: lines.map((l) => l.replace(/^\d+[.)] /, '').trim()) })
    } else if (lines.length === 1 && lines[0]?.startsWith('# ')) {
      blocks.push({ kind: 'heading', text: lines[0].slice(2).trim() })
    } else {
      blocks.push({ kind: 'paragraph', text: lines.join(' ') })
    }
  }
  return blocks
}

/** Rules of conduct back to light markup (parseConduct's inverse on what it produces). */
export const formatConduct = (blocks: readonly ConductBlock[]): string =>
  blocks
    .map((b) => {
      if (!('items' in b)) return b.kind === 'heading' ? `# ${b.text}` : b.text
      const numbered = b.kind === 'numbered'
      return b.items.map((item, i) => (numbered ? `${i + 1}. ${item}` : `- ${item}`)).join('\n')
    })
    .join('\n\n')

const isInt = (value: unknown, min: number, max: number): value is number =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max

const conductOf = (value: unknown): ConductBlock[] | string => {
  if (!Array.isArray(value)) return 'rules of conduct must be a list of blocks'
  if (value.length > CHARTER_LIMITS.conductBlocksMax) return 'too many blocks in the rules of conduct'
  let size = 0
  const blocks: ConductBlock[] = []
  for (const raw of value as unknown[]) {
    const b = raw as { kind?: unknown; text?: unknown; items?: unknown } | null
    if (b === null || typeof b !== 'object') return 'a block of the rules of conduct is malformed'
    if ((b.kind === 'heading' || b.kind === 'paragraph') && typeof b.text === 'string') {
      size += b.text.length
      blocks.push({ kind: b.kind, text: b.text })
    } else if (
      (b.kind === 'bullets' || b.kind === 'numbered') &&
      Array.isArray(b.items) &&
      (b.items as unknown[]).every((i) => typeof i === 'string')
    ) {
      const items = b.items as string[]
      size += items.reduce((n, i) => n + i.length, 0)
      blocks.push({ kind: b.kind, items: [...items] })
    } else return 'a block of the rules of conduct is malformed'
  }
  return size > CHARTER_LIMITS.conductTextMax ? 'the rules of conduct are too long' : blocks
}

/**
 * Checks charter content from any source (an op's input, a signed record, a peer's amendment) and
 * returns it as a fresh plain value, or the reason it is not a charter.
 */
export const checkCharterContent = (value: unknown): CharterContent | string => {
  const c = value as Partial<Record<keyof CharterContent, unknown>> | null
  if (c === null || typeof c !== 'object' || c.v !== 1) return 'not a charter'
  if (c.openers !== 'any-member' && c.openers !== 'listed') return 'who may open polls is not set'
  if (
    !Array.isArray(c.openerList) ||
    c.openerList.length > CHARTER_LIMITS.openersMax ||
    !(c.openerList as unknown[]).every((m) => isMemberId(m))
  ) {
    return 'the list of who may open polls is malformed'
  }
  if (c.openers === 'listed' && c.openerList.length === 0) return 'nobody is listed to open polls'
  if (!isPollMethod(c.method)) return 'the default method is unknown'
  const p = c.params as Partial<PollParams> | null
  if (p === null || typeof p !== 'object' || !isInt(p.dots, 0, 1000) || !isInt(p.choices, 0, 1000)) {
    return 'the default parameters are malformed'
  }
  const pass = p.pass as PollParams['pass'] | undefined
  if (pass === undefined) return 'the default parameters are malformed'
  const params: PollParams = {
    pass: pass === null ? null : { cmp: pass.cmp, bp: pass.bp, of: pass.of },
    dots: p.dots,
    choices: p.choices,
  }
  try {
    // Option methods are checked with as many options as ranked choice asks to rank.
    const sample = Array.from({ length: Math.max(2, params.choices) }, (_, i) => `option ${i + 1}`)
    requireMethodSetup(c.method, c.method === 'score' || c.method === 'ranked' || c.method === 'dots' ? sample : [], params)
  } catch (error) {
    return `the default parameters are invalid: ${(error as Error).message}`
  }
  if (!isInt(c.quorumPct, 0, 100)) return 'quorum must be a whole percentage from 0 to 100'
  if (!Array.isArray(c.chambers) || c.chambers.length > CHARTER_LIMITS.chambersMax) return 'chambers are malformed'
  const chambers: { chamber: ChamberId; bp: number }[] = []
  for (const raw of c.chambers as unknown[]) {
    const ch = raw as { chamber?: unknown; bp?: unknown } | null
    if (ch === null || typeof ch !== 'object' || !isChamberId(ch.chamber) || !isInt(ch.bp, 0, 10_000)) {
      return 'a chamber threshold is malformed'
    }
    if (chambers.some((x) => x.chamber === ch.chamber)) return 'a chamber is listed twice'
    chambers.push({ chamber: ch.chamber, bp: ch.bp })
  }
  if (!isInt(c.graceMinutes, 0, CHARTER_LIMITS.graceMinutesMax)) return 'the closing grace is out of range'
  if (!isReasonsSetting(c.reasons)) return 'the reasons setting is unknown'
  if (!isResultsVisibility(c.results)) return 'the results setting is unknown'
  const conduct = conductOf(c.conduct)
  if (typeof conduct === 'string') return conduct
  return {
    v: 1,
    openers: c.openers,
    openerList: [...new Set(c.openerList as MemberId[])].sort(),
    method: c.method,
    params,
    quorumPct: c.quorumPct,
    chambers: chambers.sort((a, b) => (a.chamber < b.chamber ? -1 : 1)),
    graceMinutes: c.graceMinutes,
    reasons: c.reasons,
    results: c.results,
    conduct,
  }
}

/** checkCharterContent for op input: throws invalid-input with the reason. */
export const requireCharterContent = (value: unknown): CharterContent => {
  const checked = checkCharterContent(value)
  if (typeof checked === 'string') throw invalidInput('charter', `The charter is not valid: ${checked}.`)
  return checked
}
