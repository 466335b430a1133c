import * as Y from 'yjs'
import { PROPOSAL_BODY_ROOT } from '../schema/proposalBody'

/**
 * A proposal body as plain text (SPEC [C3]): the text of each block of the Lexical binding's tree,
 * one line per block, nested blocks flattened in order; embedded non-text nodes are skipped. A pure
 * function of the body doc's state, so every device computes the same revision hash from it.
 */
const textOf = (yText: Y.XmlText, lines: string[]): void => {
  let line = ''
  for (const op of yText.toDelta() as { insert?: unknown }[]) {
    if (typeof op.insert === 'string') line += op.insert
    else if (op.insert instanceof Y.XmlText) {
      if (line !== '') lines.push(line)
      line = ''
      textOf(op.insert, lines)
    }
  }
  if (line !== '') lines.push(line)
}

export const readProposalBodyText = (doc: Y.Doc): string => {
  const lines: string[] = []
  textOf(doc.get(PROPOSAL_BODY_ROOT, Y.XmlText), lines)
  return lines.join('\n')
}

/** Calls `onChange` after every change of the body; returns the unsubscribe. */
export const observeProposalBody = (doc: Y.Doc, onChange: () => void): (() => void) => {
  const yRoot = doc.get(PROPOSAL_BODY_ROOT, Y.XmlText)
  const handler = (): void => onChange()
  yRoot.observeDeep(handler)
  return () => yRoot.unobserveDeep(handler)
}
