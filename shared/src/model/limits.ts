/** Input limits (SPEC [V1]). Lengths count Unicode code points after trimming. */
export const LIMITS = {
  boardNameMax: 120,
  proposalTitleMax: 200,
  memberNameMax: 60,
} as const
