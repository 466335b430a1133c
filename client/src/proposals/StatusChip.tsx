import type { ProposalStatus } from '../../../shared/src'

export const StatusChip = ({ status }: { status: ProposalStatus }) => (
  <span className={`chip status-${status}`}>{status}</span>
)
