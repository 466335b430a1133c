/**
 * Names for member ids in the dialogue. Messages carry only the author's member id; the name comes
 * from the board's verified member records, people present, or proposal authors, else a short form
 * of the id.
 */
export type NameOf = (member: string | null) => string

export const shortMemberId = (member: string): string => `member ${member.slice(0, 6)}`

export const nameLookup = (known: ReadonlyMap<string, string>): NameOf => (member) => {
  if (member === null) return 'unknown member'
  const name = known.get(member)
  return name !== undefined && name !== '' ? name : shortMemberId(member)
}
