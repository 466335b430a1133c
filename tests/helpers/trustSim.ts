import { sha256 } from '@noble/hashes/sha2.js'
import * as Y from 'yjs'
import {
  deriveTrust,
  entrySigningBytes,
  EntryGraph,
  PeerboardError,
  ingestEntries,
  publishEntries,
  restoreEntries,
  secretKeySigner,
  signEntryAt,
  signJoinProof,
  toBase64url,
  writeEntry,
  ySignedEntriesOf,
  type ChainEnvelope,
  type EntryHash,
  type Signer,
  type TrustView,
  type VerifiedEntry,
} from '../../shared/src'
import { pick } from './prng'
import { createReplicaNetwork } from './replicaNetwork'
import { foundTestBoard, keyOf, profile } from './trust'

/**
 * A seeded simulation of the trust layer (SPEC [E*], [J*]): five replicas of one board, each a
 * device, over a network that reorders, duplicates, delays and partitions. Replica 0 founds the
 * board; members invite the others, who join when the invitation reaches them; replica 4 is a
 * second device of replica 1's member, linked by a device invitation; members rename themselves,
 * and a member sometimes revokes a device. Replica 3 is Byzantine once admitted: it deletes,
 * rewrites and rolls back entries in the doc, replays entries from another board, forges joins,
 * forks its own chain, and names parents that do not exist.
 *
 * At the end every partition heals and each honest replica takes in the doc and puts back what it
 * verified until nothing changes. Returns each honest replica's derived view, as comparable text.
 */

const BYZANTINE = 3
const REPLICAS = 5

interface Replica {
  readonly doc: Y.Doc
  readonly graph: EntryGraph
  readonly signer: Signer
  /** Invitations handed to this replica out of band (the share link), not yet redeemed. */
  readonly inbox: { readonly invite: EntryHash; readonly link: Signer; readonly purpose: 'member' | 'device' }[]
  joined: boolean
}

const keyFor = (seed: number, label: string): Signer =>
  secretKeySigner(sha256(new TextEncoder().encode(`trust-sim/${seed}/${label}`)))

/** Every judged entry's status and every member, as one comparable value. */
export const viewText = (view: TrustView, graph: EntryGraph): string =>
  JSON.stringify({
    founder: view.founder,
    members: view.members,
    flags: view.flags,
    statuses: graph.ordered().map((n) => [n.hash, view.status(n.hash)]),
  })

export interface TrustSimResult {
  readonly views: readonly string[]
  readonly members: number
  readonly entries: number
  readonly byzantineWrites: number
}

export const runTrustSim = (seed: number, random: () => number, steps: number, clientIds: () => number = random): TrustSimResult => {
  const founded = foundTestBoard(keyFor(seed, 'founder'), { name: `Sim ${seed}` })
  const other = foundTestBoard(keyFor(seed, 'other-founder'), { name: `Other ${seed}` })
  const otherGraph = other.graph()
  writeEntry(otherGraph, keyFor(seed, 'other-founder'), 'profile', profile('Elsewhere'), 5)
  // Client ids from the seed, so that a seed replays exactly (Yjs breaks ties between concurrent
  // writes of one key by client id).
  const docWithSeededId = (): Y.Doc => {
    const doc = new Y.Doc()
    doc.clientID = Math.floor(clientIds() * 2 ** 32)
    return doc
  }
  const replicas: Replica[] = Array.from({ length: REPLICAS }, (_, i) => ({
    doc: docWithSeededId(),
    graph: new EntryGraph(founded.board),
    signer: i === 0 ? keyFor(seed, 'founder') : keyFor(seed, `device-${i}`),
    inbox: [],
    joined: i === 0,
  }))
  const network = createReplicaNetwork(
    replicas.map((r) => r.doc),
    random,
  )
  // Each device trusts the genesis its invitation link named (SPEC [J1]).
  for (const r of replicas) r.graph.pinGenesis(founded.genesis.hash)
  const r0 = replicas[0] as Replica
  r0.graph.addVerified(founded.genesis)
  publishEntries(r0.doc, [founded.genesis])
  let clock = 10_000
  let byzantineWrites = 0

  const takeIn = (r: Replica): void => {
    ingestEntries(r.doc, r.graph)
    if (r !== replicas[BYZANTINE] || !r.joined) restoreEntries(r.doc, r.graph)
  }
  const write = (r: Replica, entry: VerifiedEntry): void => {
    publishEntries(r.doc, [entry])
  }
  const memberOf = (r: Replica): string | null => deriveTrust(r.graph).ownerOf(keyOf(r.signer))?.member ?? null

  const honestStep = (i: number): void => {
    const r = replicas[i] as Replica
    takeIn(r)
    clock += 1 + pick(random, 50)
    if (!r.joined) {
      const ticket = r.inbox.find((t) => r.graph.isComplete(t.invite))
      if (ticket === undefined) return
      r.inbox.splice(r.inbox.indexOf(ticket), 1)
      const isDevice = ticket.purpose === 'device'
      write(
        r,
        writeEntry(
          r.graph,
          r.signer,
          'join',
          {
            invite: ticket.invite,
            proof: signJoinProof(ticket.link, r.graph.board, keyOf(r.signer)),
            profile: isDevice ? null : profile(`Member ${i}`),
          },
          clock,
        ),
      )
      r.joined = true
      return
    }
    if (memberOf(r) === null) return // revoked, or admitted by something that does not count here yet
    const everyoneIn = replicas.every((x) => x.joined)
    const choice = pick(random, 10)
    if (choice < (everyoneIn ? 1 : 5)) {
      // Invite someone who has not joined yet (replica 4 only by its own member's device invitation).
      const targets = replicas.map((_, t) => t).filter((t) => !(replicas[t] as Replica).joined && t !== 4)
      const wantsDevice = i === 1 && !(replicas[4] as Replica).joined
      const target = wantsDevice && random() < 0.5 ? 4 : targets[pick(random, Math.max(1, targets.length))]
      if (target === undefined) return
      const purpose = target === 4 ? 'device' : 'member'
      const link = keyFor(seed, `link-${clock}-${i}`)
      const entry = writeEntry(r.graph, r.signer, 'invite', { purpose, key: keyOf(link), expiresAt: clock + 1_000_000, uses: 1 }, clock)
      write(r, entry)
      ;(replicas[target] as Replica).inbox.push({ invite: entry.hash, link, purpose })
    } else if (choice < 8) {
      write(r, writeEntry(r.graph, r.signer, 'profile', profile(`Member ${i} v${clock}`), clock))
    } else if (choice === 8 && (i === 1 || i === 4)) {
      // Bo revokes his other device (a lost phone), now and then.
      const otherDevice = replicas[i === 1 ? 4 : 1] as Replica
      if (otherDevice.joined && random() < 0.5) write(r, writeEntry(r.graph, r.signer, 'revoke', { device: keyOf(otherDevice.signer) }, clock))
    }
  }

  const byzantineStep = (): void => {
    const r = replicas[BYZANTINE] as Replica
    ingestEntries(r.doc, r.graph)
    const yEntries = ySignedEntriesOf(r.doc)
    const keys = [...yEntries.keys()].sort()
    const anyKey = (): string | undefined => keys[pick(random, Math.max(1, keys.length))]
    const envelopes = [...r.graph.envelopes()]
    const anyEnvelope = (): ChainEnvelope | undefined => envelopes[pick(random, Math.max(1, envelopes.length))]?.[1]
    byzantineWrites++
    clock += 1 + pick(random, 50)
    const tip = r.graph.tipsOf(keyOf(r.signer))[0]
    r.doc.transact(() => {
      switch (pick(random, 8)) {
        case 0: // delete a few entries
          for (let n = pick(random, 4); n >= 0; n--) {
            const key = anyKey()
            if (key !== undefined) yEntries.delete(key)
          }
          break
        case 1: {
          // overwrite one entry with another one, or with an edited copy
          const key = anyKey()
          const envelope = anyEnvelope()
          if (key !== undefined && envelope !== undefined) {
            yEntries.set(key, random() < 0.5 ? envelope : { e: envelope.e.replace(/"at":\d+/, '"at":1'), s: envelope.s })
          }
          break
        }
        case 2: // replay another board's entries
          for (const [hash, envelope] of otherGraph.envelopes()) yEntries.set(hash, envelope)
          break
        case 3: {
          // forge a join for a made-up member, with an invitation it signs itself
          const fake = keyFor(seed, `sock-${clock}`)
          const link = keyFor(seed, `sock-link-${clock}`)
          const position = { seq: 1, prev: null, deps: r.graph.heads().slice(0, 3) }
          const invite = signEntryAt(fake, r.graph.board, 'invite', { purpose: 'member', key: keyOf(link), expiresAt: clock + 10, uses: 1 }, position, clock)
          yEntries.set(invite.hash, invite.envelope)
          break
        }
        case 4: {
          // fork its own chain: two entries at one position
          if (tip === undefined) break
          const position = { seq: tip.entry.seq + 1, prev: tip.hash, deps: [] }
          for (const name of ['Fork A', 'Fork B']) {
            const e = signEntryAt(r.signer, r.graph.board, 'profile', profile(`${name} ${clock}`), position, clock)
            yEntries.set(e.hash, e.envelope)
          }
          break
        }
        case 5: {
          // an entry naming a parent nobody has
          if (tip === undefined) break
          const ghost = toBase64url(sha256(new TextEncoder().encode(`ghost-${clock}`))) as EntryHash
          const e = signEntryAt(r.signer, r.graph.board, 'profile', profile('Ghost'), { seq: tip.entry.seq + 1, prev: tip.hash, deps: [ghost] }, clock)
          yEntries.set(e.hash, e.envelope)
          break
        }
        case 6: {
          // revoke someone else's device, and write an entry signed by one key in another's name
          const victim = replicas[pick(random, REPLICAS)] as Replica
          if (tip !== undefined) {
            const e = signEntryAt(r.signer, r.graph.board, 'revoke', { device: keyOf(victim.signer) }, { seq: tip.entry.seq + 1, prev: tip.hash, deps: [] }, clock)
            yEntries.set(e.hash, e.envelope)
          }
          const text = `{"at":${clock},"board":"${r.graph.board}","data":{"color":"#000000","name":"Impostor"},"deps":[],"device":"${keyOf(victim.signer)}","kind":"profile","prev":null,"seq":1,"v":1}`
          yEntries.set(`impostor-${clock}`, { e: text, s: toBase64url(r.signer.sign(entrySigningBytes('profile', text))) })
          break
        }
        default: // junk
          yEntries.set(`junk-${clock}`, random() < 0.5 ? 'x' : { e: '{}', s: '' })
      }
    })
  }

  for (let step = 0; step < steps; step++) {
    const i = pick(random, REPLICAS)
    const byzantine = i === BYZANTINE && (replicas[BYZANTINE] as Replica).joined
    if (byzantine && random() < 0.7) byzantineStep()
    else if (!byzantine) honestStep(i)
    else {
      try {
        honestStep(i)
      } catch (error) {
        // Having forked its own chain, the Byzantine replica can sign nothing more through the ops.
        if (!(error instanceof PeerboardError && error.code === 'forbidden')) throw error
      }
    }
    if (random() < 0.1) network.togglePartitions()
    network.deliverToOne()
  }

  // Heal: deliver everything, then let honest replicas take in and put back until stable.
  const honest = replicas.filter((_, i) => i !== BYZANTINE)
  for (let round = 0; round < 4; round++) {
    network.deliverAll()
    network.syncStates()
    for (const r of honest) takeIn(r)
  }
  network.deliverAll()
  network.syncStates()
  for (const r of honest) ingestEntries(r.doc, r.graph)
  const views = honest.map((r) => viewText(deriveTrust(r.graph), r.graph))
  const first = deriveTrust(r0.graph)
  return { views, members: first.members.length, entries: r0.graph.size, byzantineWrites }
}
