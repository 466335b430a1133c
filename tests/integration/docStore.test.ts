import { SqliteDocStore } from '../../server/src/storage/SqliteDocStore'
import { describeDocStore } from '../helpers/describeDocStore'

/**
 * Every DocStore implementation runs the same acceptance suite (server/src/storage/DocStore.ts).
 * A new backend adds one line here.
 */
describeDocStore('SqliteDocStore', (dir) => new SqliteDocStore(dir))
