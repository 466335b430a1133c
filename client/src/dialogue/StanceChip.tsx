import type { MessageStance } from '../../../shared/src'

export const STANCE_LABELS: Record<MessageStance, string> = {
  for: 'For',
  against: 'Against',
  question: 'Question',
  information: 'Information',
}

export const StanceChip = ({ stance }: { stance: MessageStance }) => (
  <span className={`chip stance-${stance}`} data-testid="stance">
    {STANCE_LABELS[stance]}
  </span>
)
