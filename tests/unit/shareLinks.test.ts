import { describe, expect, it } from 'vitest'
import { linkFragment } from '../../client/src/collab/linkTrust'
import { boardPathFromLink } from '../../client/src/home/recentBoards'
import type { EntryHash } from '../../shared/src'

/* What a share link carries and where a pasted one leads (SPEC [J1], [J4], [A2]). */

const BOARD = 'c7PyhB7RZgzqAAAAAAAAAA'
const GENESIS = 'G'.repeat(42) + 'A'

describe('share links', () => {
  it('[J4] a member’s link carries the token, the genesis and the invitation in the fragment, in that order', () => {
    expect(linkFragment({ token: 'pb1.x.y', genesis: GENESIS as EntryHash, invitation: 'S'.repeat(43) })).toBe(
      `#token=pb1.x.y&g=${GENESIS}&inv=${'S'.repeat(43)}`,
    )
    expect(linkFragment({ genesis: GENESIS as EntryHash })).toBe(`#g=${GENESIS}`)
    expect(linkFragment({ genesis: null })).toBe('')
  })

  it('[J1] a pasted link keeps its page and its fragment; a bare id opens the board', () => {
    expect(boardPathFromLink(`https://board.example.org/b/${BOARD}/p/${BOARD}#token=a.b.c&g=${GENESIS}&inv=xyz`)).toBe(
      `/b/${BOARD}/p/${BOARD}#token=a.b.c&g=${GENESIS}&inv=xyz`,
    )
    expect(boardPathFromLink(`  https://board.example.org/b/${BOARD}?x=1  `)).toBe(`/b/${BOARD}`)
    expect(boardPathFromLink(BOARD)).toBe(`/b/${BOARD}`)
    expect(boardPathFromLink('https://example.org/not-a-board')).toBeNull()
    expect(boardPathFromLink(`/b/${BOARD}/../../etc`)).toBeNull()
  })
})
