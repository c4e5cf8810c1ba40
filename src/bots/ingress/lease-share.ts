/**
 * Spreading a family of leases (the bots' polling) over the live instances: each takes at most
 * its share and hands what is beyond it over (`InstanceLeases`, `leases.spreadBots`).
 */

/** An instance's share of `wanted` leases among `instances` live ones (itself included): rounded up, so every lease has a taker. */
export function shareOf(wanted: number, instances: number): number {
  return Math.ceil(wanted / Math.max(1, instances))
}

/**
 * How long a lease handed over stays this instance's at most, waiting for its user to stop (a
 * poller settles its handlings within 30 s): then it is let go all the same.
 */
export const HAND_OVER_FALLBACK_MS = 45_000
