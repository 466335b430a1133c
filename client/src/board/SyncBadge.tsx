import type { SyncState } from '../collab/DocSession'

const LABELS: Record<SyncState, string> = {
  saved: 'Saved to relay',
  synced: 'Sent',
  connecting: 'Connecting…',
  offline: 'Offline',
  unsent: 'Local changes not yet sent',
}

const HINTS: Record<SyncState, string> = {
  saved: 'The relay has stored everything made on this device.',
  synced: 'Everything on this device was sent to the relay; waiting for it to confirm it is stored.',
  connecting: 'Connecting to the relay.',
  offline: 'The relay cannot be reached. You can keep working; changes are kept on this device.',
  unsent: 'Changes made here are saved on this device and will be sent when the relay is reachable.',
}

export const SyncBadge = ({ state }: { state: SyncState }) => (
  <span className={`sync-badge sync-${state}`} data-testid="sync-status" data-state={state} title={HINTS[state]} role="status">
    <span className="dot" aria-hidden="true" />
    {LABELS[state]}
  </span>
)
