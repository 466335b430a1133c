import { isBoardId, newBoardId, type BoardId } from '../../../shared/src'
import { ConfigError } from '../config'
import { mintToken, parseDuration, type Scope } from '../access/tokens'

/**
 * `npm run relay -- token [--board ID] [--scope rw|ro] [--ttl 30d]`: mints an access token with the
 * relay's secret; without --board, for a new board. Returns the board and the token; throws a
 * ConfigError for bad arguments.
 */
export const runTokenCommand = (
  args: readonly string[],
  secret: string | null,
  nowSeconds: number,
): { board: BoardId; token: string } => {
  if (secret === null) {
    throw new ConfigError('token: no secret configured (set RELAY_SECRET or RELAY_SECRET_FILE)')
  }
  const options = new Map<string, string>()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    if (!['--board', '--scope', '--ttl'].includes(name)) {
      throw new ConfigError(`token: unknown option "${name}" (known: --board, --scope, --ttl)`)
    }
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1)
    if (value === undefined) throw new ConfigError(`token: option ${name} needs a value`)
    options.set(name, value)
  }
  const board = options.get('--board') ?? newBoardId()
  if (!isBoardId(board)) throw new ConfigError(`token: invalid --board "${board}": expected a 22-character board id`)
  const scope = options.get('--scope') ?? 'rw'
  if (scope !== 'rw' && scope !== 'ro') throw new ConfigError(`token: invalid --scope "${scope}": expected rw or ro`)
  const ttlText = options.get('--ttl') ?? '30d'
  const ttl = parseDuration(ttlText)
  if (ttl === null) throw new ConfigError(`token: invalid --ttl "${ttlText}": expected e.g. 3600, 12h, 30d or 8w`)
  return { board, token: mintToken(secret, { board, scope: scope as Scope, exp: nowSeconds + ttl }) }
}
