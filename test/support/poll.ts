/**
 * Polls an async probe (a database query, say) every 20 ms until it returns true. The
 * simulator's waitFor takes synchronous probes only: a promise is truthy and ends it at once.
 */
export async function pollUntil(probe: () => Promise<boolean>, o: { timeoutMs?: number; message?: string } = {}): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 5000)
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${o.message ?? 'pollUntil: condition not met'} (timeout ${o.timeoutMs ?? 5000} ms)`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
