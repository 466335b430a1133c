import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addProposal,
  moveProposal,
  readBoard,
  readProposals,
  renameProposal,
  SCHEMA_VERSION,
  type BoardSnapshot,
  type ProposalId,
} from '../../shared/src'
import { ALICE, BOB, newReplica, syncAll } from '../helpers/boards'
import { seededRandom } from '../helpers/prng'

const fixtureUrl = (version: number): URL => new URL(`../fixtures/board-v${version}.bin`, import.meta.url)

const load = (version: number): Y.Doc => {
  const doc = newReplica()
  Y.applyUpdate(doc, new Uint8Array(readFileSync(fixtureUrl(version))))
  return doc
}

/** What board-v1.bin reads as; see tests/fixtures/README.md. */
const BOARD_V1: BoardSnapshot = {
  meta: {
    name: 'Allotment committee',
    schemaVersion: 1,
    createdAt: 1_700_000_000_000,
    access: 'writable',
    newerVersionNotice: undefined,
  },
  proposals: [
    {
      id: 'bIK6tXHHcwIAJHRUvs4VOA' as ProposalId,
      title: 'Paint the shed green',
      status: 'withdrawn',
      author: ALICE,
      authorName: 'Alice',
      createdAt: 1_700_000_300_000,
      order: 'FT5TR',
    },
    {
      id: 'LuanQ01WbUfVIlqbGKfIKg' as ProposalId,
      title: 'Buy a shared lawnmower',
      status: 'open',
      author: ALICE,
      authorName: 'Alice',
      createdAt: 1_700_000_100_000,
      order: 'Voieg',
    },
    {
      id: '82U-wjMjUpMuzJYbY2xj0Q' as ProposalId,
      title: 'Meet on Thursdays',
      status: 'decided',
      author: BOB,
      authorName: 'Bob',
      createdAt: 1_700_000_200_000,
      order: 'kWfMA',
    },
  ],
}

describe('[S5] every schema version has a frozen fixture that tests load', () => {
  it('[S5] there is a fixture for every schema version up to SCHEMA_VERSION', () => {
    for (let version = 1; version <= SCHEMA_VERSION; version++) {
      expect(existsSync(fixtureUrl(version)), `tests/fixtures/board-v${version}.bin`).toBe(true)
    }
  })

  it('[S5] board-v1.bin is byte-for-byte the committed fixture', () => {
    const hash = createHash('sha256').update(readFileSync(fixtureUrl(1))).digest('hex')
    expect(hash).toBe('8b9e7cd3554ec15e6ab0a7333a355cc65d4c0f17939abafe5bab511f96c25761')
  })

  it('[S5] board-v1.bin reads as the board it was written as', () => {
    expect(readBoard(load(1))).toEqual(BOARD_V1)
  })

  it('[S5] a v1 board stays writable, and merges with a replica that never saw it', () => {
    const doc = load(1)
    const random = seededRandom(1)
    const [first, second] = BOARD_V1.proposals
    renameProposal(doc, first!.id, 'Paint the shed blue')
    moveProposal(doc, second!.id, 2, { random })
    const stranger = newReplica()
    const added = addProposal(stranger, { title: 'Rain barrels', author: BOB, authorName: 'Bob', createdAt: 1 })
    syncAll(doc, stranger)
    for (const replica of [doc, stranger]) {
      const proposals = readProposals(replica)
      expect(proposals.filter((p) => p.id !== added).map((p) => p.title)).toEqual([
        'Paint the shed blue',
        'Meet on Thursdays',
        'Buy a shared lawnmower',
      ])
      expect(proposals.filter((p) => p.id === added).map((p) => p.title)).toEqual(['Rain barrels'])
      expect(readBoard(replica).meta).toEqual(BOARD_V1.meta)
    }
    expect(readBoard(stranger)).toEqual(readBoard(doc))
  })
})
