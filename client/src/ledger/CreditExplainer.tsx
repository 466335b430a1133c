/** What credit limits can and cannot guarantee when people record entries offline (SPEC [G10]). */
export const CreditExplainer = () => (
  <details className="ledger-card ledger-explainer" data-testid="credit-explainer">
    <summary>What credit limits can and cannot guarantee</summary>
    <p>
      Your device refuses to record or countersign a payment or use that would take you below your credit
      limit, as far as it knows: it counts what it has seen, including your own payments still waiting for a
      signature.
    </p>
    <p>
      It cannot see what other devices record while they are offline. If two of your devices, or two members
      drawing on the same credit, spend at the same time without a connection, together they can go over the
      limit. No device can prevent that without a central bookkeeper, which Peerboard does not have. Once the
      entries meet, every device shows the same balances and flags the overshoot here, so the group can settle
      it.
    </p>
  </details>
)
