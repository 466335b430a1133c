import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  addProposal,
  createBoard,
  invalidInput,
  LIMITS,
  PeerboardError,
  readBoardMeta,
  readProposals,
  renameBoard,
  renameProposal,
  requireLine,
  requireTimestamp,
  setProposalStatus,
  type MemberId,
  type ProposalStatus,
} from '../../shared/src'
import { ALICE, boardWith, expectRefused, must, newReplica } from '../helpers/boards'

const refusal = (run: () => unknown): PeerboardError => {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(PeerboardError)
    return error as PeerboardError
  }
  throw new Error('expected a refusal')
}

/** Values that span several lines or carry control characters. */
const MULTI_LINE = [
  'first\nsecond',
  'first\r\nsecond',
  'first\rsecond',
  'tab\there',
  'nul\u0000here',
  'del\u007fhere',
  'line\u2028separator',
  'paragraph\u2029separator',
  'next\u0085line',
]

describe('[V1] requireLine', () => {
  it('[V1] trims the value', () => {
    expect(requireLine('title', 'Title', '  Compost \t', 10)).toBe('Compost')
    expect(requireLine('title', 'Title', '\n Compost\r\n', 10)).toBe('Compost')
  })

  it('[V1] refuses empty and blank values, naming the field', () => {
    for (const value of ['', '   ', '\n\t ']) {
      const error = refusal(() => requireLine('title', 'Title', value, 10))
      expect(error.code).toBe('invalid-input')
      expect(error.field).toBe('title')
      expect(error.message).toBe('Title cannot be empty.')
    }
  })

  it('[V1] refuses values that are not text', () => {
    for (const value of [undefined, null, 3, ['a'], { toString: () => 'a' }]) {
      const error = refusal(() => requireLine('name', 'Board name', value, 10))
      expect(error).toMatchObject({ code: 'invalid-input', field: 'name', message: 'Board name must be text.' })
    }
  })

  it('[V1] counts the limit in code points after trimming', () => {
    expect(requireLine('t', 'T', 'a'.repeat(5), 5)).toBe('aaaaa')
    expect(requireLine('t', 'T', `  ${'a'.repeat(5)}  `, 5)).toBe('aaaaa')
    // Five astral characters are ten UTF-16 units but five code points.
    expect(requireLine('t', 'T', '😀'.repeat(5), 5)).toBe('😀😀😀😀😀')
    const error = refusal(() => requireLine('t', 'Title', '😀'.repeat(6), 5))
    expect(error).toMatchObject({ code: 'invalid-input', field: 't' })
    expect(error.message).toBe('Title is 6 characters long; the limit is 5.')
  })

  it('[V1] refuses multi-line values and control characters, naming the field', () => {
    for (const value of MULTI_LINE) {
      const error = refusal(() => requireLine('title', 'Title', value, 100))
      expect(error).toMatchObject({ code: 'invalid-input', field: 'title' })
      expect(error.message).toMatch(/^Title /)
    }
  })

  it('[V1] accepts ordinary single-line text in any script', () => {
    for (const value of ['Compost bins', 'Ünïcödé', '堆肥', 'مرحبا', 'a – b', 'emoji 🐝', 'x\u00a0y']) {
      expect(requireLine('title', 'Title', value, 100)).toBe(value)
    }
  })
})

describe('[V1] ops validate text before writing anything', () => {
  interface TextInput {
    readonly name: string
    readonly field: string
    readonly label: string
    readonly max: number
    /** Writes `value` through the op, on a doc prepared by `setup`, and reads it back. */
    readonly setup: () => { doc: Y.Doc; write: (value: string) => void; read: () => string }
  }

  const proposalInput = (title: string, authorName = 'Alice'): Parameters<typeof addProposal>[1] => ({
    title,
    author: ALICE,
    authorName,
    createdAt: 1,
  })

  const inputs: TextInput[] = [
    {
      name: 'createBoard name',
      field: 'name',
      label: 'Board name',
      max: LIMITS.boardNameMax,
      setup: () => {
        const doc = newReplica()
        return {
          doc,
          write: (value) => createBoard(doc, { name: value, createdAt: 1 }),
          read: () => readBoardMeta(doc).name,
        }
      },
    },
    {
      name: 'renameBoard name',
      field: 'name',
      label: 'Board name',
      max: LIMITS.boardNameMax,
      setup: () => {
        const { doc } = boardWith([])
        return { doc, write: (value) => renameBoard(doc, value), read: () => readBoardMeta(doc).name }
      },
    },
    {
      name: 'addProposal title',
      field: 'title',
      label: 'Title',
      max: LIMITS.proposalTitleMax,
      setup: () => {
        const { doc } = boardWith([])
        return {
          doc,
          write: (value) => void addProposal(doc, proposalInput(value)),
          read: () => must(readProposals(doc)[0]).title,
        }
      },
    },
    {
      name: 'renameProposal title',
      field: 'title',
      label: 'Title',
      max: LIMITS.proposalTitleMax,
      setup: () => {
        const { doc, ids } = boardWith(['Original'])
        const id = must(ids[0])
        return {
          doc,
          write: (value) => renameProposal(doc, id, value),
          read: () => must(readProposals(doc)[0]).title,
        }
      },
    },
    {
      name: 'addProposal member name',
      field: 'authorName',
      label: 'Author name',
      max: LIMITS.memberNameMax,
      setup: () => {
        const { doc } = boardWith([])
        return {
          doc,
          write: (value) => void addProposal(doc, proposalInput('Title', value)),
          read: () => must(readProposals(doc)[0]).authorName,
        }
      },
    },
  ]

  it('[V1] the limits are 120 for a board name, 200 for a title, 60 for a member name', () => {
    expect(LIMITS).toEqual({ boardNameMax: 120, proposalTitleMax: 200, memberNameMax: 60 })
  })

  it.each(inputs)('[V1] $name: trimmed, and accepted up to the limit in code points', (input) => {
    const atLimit = input.setup()
    atLimit.write(`  ${'é'.repeat(input.max - 1)}🐝 `)
    expect(atLimit.read()).toBe(`${'é'.repeat(input.max - 1)}🐝`)
  })

  it.each(inputs)('[V1] $name: empty, over-long and multi-line values are refused, nothing written', (input) => {
    for (const value of ['', '   ', 'x'.repeat(input.max + 1), ...MULTI_LINE]) {
      const { doc, write } = input.setup()
      const error = expectRefused(doc, () => write(value), 'invalid-input', input.field)
      expect(error.message.startsWith(input.label)).toBe(true)
    }
  })
})

describe('[V2] timestamps and ids', () => {
  it('[V2] requireTimestamp accepts non-negative integer milliseconds', () => {
    for (const value of [0, 1, 1_700_000_000_000, Number.MAX_SAFE_INTEGER]) {
      expect(requireTimestamp('createdAt', value)).toBe(value)
    }
  })

  it('[V2] requireTimestamp refuses anything else, naming the field', () => {
    for (const value of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '1', null, undefined, new Date(0)]) {
      const error = refusal(() => requireTimestamp('createdAt', value))
      expect(error).toMatchObject({ code: 'invalid-input', field: 'createdAt' })
      expect(error.message).toContain('createdAt')
    }
  })

  it('[V2] createBoard and addProposal refuse a bad createdAt, writing nothing', () => {
    const doc = newReplica()
    expectRefused(doc, () => createBoard(doc, { name: 'Garden', createdAt: -5 }), 'invalid-input', 'createdAt')
    const { doc: board } = boardWith([])
    expectRefused(
      board,
      () => addProposal(board, { title: 'T', author: ALICE, authorName: 'Alice', createdAt: 0.5 }),
      'invalid-input',
      'createdAt',
    )
  })

  it('[V2] addProposal refuses an author that is not a member id, writing nothing', () => {
    const { doc } = boardWith([])
    for (const author of ['alice', '', 'AliceAliceAliceAlice0+', 'AliceAliceAliceAlice012']) {
      expectRefused(
        doc,
        () => addProposal(doc, { title: 'T', author: author as MemberId, authorName: 'Alice', createdAt: 1 }),
        'invalid-input',
        'author',
      )
    }
  })
})

describe('PeerboardError', () => {
  it('is an Error with a name, a code and an optional field', () => {
    const error = new PeerboardError('not-found', 'Gone.')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('PeerboardError')
    expect(error.message).toBe('Gone.')
    expect(error.code).toBe('not-found')
    expect(error.field).toBeUndefined()
    expect(invalidInput('title', 'Bad.')).toMatchObject({ code: 'invalid-input', field: 'title', message: 'Bad.' })
  })

  it('setProposalStatus refuses an unknown status (invalid-input) and an unknown id (not-found)', () => {
    const { doc, ids } = boardWith(['Compost'])
    for (const status of ['approved', '', 'Draft', 1]) {
      expectRefused(
        doc,
        () => setProposalStatus(doc, must(ids[0]), status as ProposalStatus),
        'invalid-input',
        'status',
      )
    }
    const { doc: other, ids: otherIds } = boardWith(['Elsewhere'])
    expect(readProposals(other)).toHaveLength(1)
    expectRefused(doc, () => setProposalStatus(doc, must(otherIds[0]), 'open'), 'not-found', 'id')
    expectRefused(doc, () => renameProposal(doc, must(otherIds[0]), 'Title'), 'not-found', 'id')
  })
})
