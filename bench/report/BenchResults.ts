import type { LedgerVerificationFigures } from '../ledgerVerification'
import type { ServerId } from '../servers/ServerUnderTest'
import type { AbuseResult } from '../workloads/abuse'
import type { ClientResult } from '../workloads/clientOpen'
import type { ColdLoadResult, SnapshotFloor } from '../workloads/coldLoad'
import type { IdleResult } from '../workloads/idleRooms'
import type { TypingResult } from '../workloads/typingRoom'

/** Everything one `npm run bench` measured: what the report is rendered from. */
export interface BenchResults {
  readonly quick: boolean
  readonly command: string
  readonly startedAt: string
  readonly durationSeconds: number
  readonly machine: {
    readonly cpu: string
    readonly cores: number
    readonly memGiB: number
    readonly kernel: string
    readonly node: string
    readonly pinned: boolean
    readonly loadAverageStart: number
    readonly loadAverageEnd: number
  }
  readonly gitCommit: string
  readonly servers: readonly {
    readonly id: ServerId
    readonly label: string
    readonly persistence: string
    readonly floor: boolean
  }[]
  readonly typing: { readonly seconds: number; readonly rate: number; readonly results: readonly TypingResult[] }
  readonly idle: { readonly seconds: number; readonly results: readonly IdleResult[] }
  readonly coldLoad: {
    readonly updates: number
    readonly results: readonly ColdLoadResult[]
    readonly floor: SnapshotFloor | null
    readonly error: string | null
  }
  readonly abuse: { readonly phaseSeconds: number; readonly floodSeconds: number; readonly runs: number; readonly results: readonly AbuseResult[] }
  readonly client: ClientResult | { readonly error: string } | null
  readonly ledger: LedgerVerificationFigures | { readonly error: string } | null
}
