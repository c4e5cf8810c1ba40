import type { HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'
import { isIP, type BlockList } from 'node:net'

/** The connecting socket's address ("::ffff:10.0.0.1" read as "10.0.0.1"). */
export function socketAddress(c: Context): string | undefined {
  const address = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket.remoteAddress
  return address ? plainAddress(address) : undefined
}

const plainAddress = (address: string) => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address)

/**
 * The visitor's address. X-Forwarded-For is believed only from a trusted proxy: walking it from
 * the right (the hop nearest to us), each trusted address hands on to the one before it; the
 * first address not trusted (or the leftmost, or the last one before a malformed entry) is the
 * visitor. From anyone else the header is ignored: the socket's address is the visitor's.
 */
export function clientAddress(c: Context, trusted: BlockList): string | undefined {
  const socket = socketAddress(c)
  if (!socket) return undefined
  const isTrusted = (address: string) => trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4')
  if (!isTrusted(socket)) return socket
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => plainAddress(hop.trim()))
    .filter((hop) => hop !== '')
  let visitor = socket
  for (let i = forwarded.length - 1; i >= 0 && isTrusted(visitor); i--) {
    const hop = forwarded[i]!
    if (isIP(hop) === 0) break
    visitor = hop
  }
  return visitor
}
