import type { MemberId, ProposalId } from './ids'

export const PROPOSAL_STATUSES = ['draft', 'open', 'decided', 'withdrawn'] as const
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number]

export const isProposalStatus = (value: unknown): value is ProposalStatus =>
  typeof value === 'string' && (PROPOSAL_STATUSES as readonly string[]).includes(value)

export interface Proposal {
  readonly id: ProposalId
  readonly title: string
  readonly status: ProposalStatus
  readonly author: MemberId | null
  readonly authorName: string
  readonly createdAt: number
  /** Fractional index key; proposals sort by (order, id). */
  readonly order: string
}

export interface NewProposalInput {
  readonly title: string
  readonly author: MemberId
  readonly authorName: string
  readonly createdAt: number
}
