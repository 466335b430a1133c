import { createContext } from 'react'

/** The members a message can mention (id and name), provided by the Dialogue around a form. */
export const MentionablesContext = createContext<readonly { readonly id: string; readonly name: string }[]>([])
