import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { addressList, isAddressOrCidr } from '../../src/config/addresses.js'
import { createConfig } from '../../src/config/index.js'
import { clientAddress } from '../../src/server/client-address.js'

/** The visitor's address as the link route reads it, for a request from `socket` with these headers. */
async function visitorOf(socket: string, forwardedFor: string | undefined, trusted: string[]) {
  const app = new Hono().get('/', (c) => c.text(clientAddress(c, addressList(trusted)) ?? 'none'))
  const headers: Record<string, string> = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }
  const answer = await app.request('/', { headers }, { incoming: { socket: { remoteAddress: socket } } })
  return answer.text()
}

describe('a link visitor’s address', () => {
  it('believes X-Forwarded-For only from trusted proxies, walking it from the nearest hop', async () => {
    // No proxy trusted, or an untrusted peer: the header is ignored.
    expect(await visitorOf('203.0.113.5', '198.51.100.1', [])).toBe('203.0.113.5')
    expect(await visitorOf('203.0.113.5', '198.51.100.1', ['10.0.0.0/8'])).toBe('203.0.113.5')
    // A trusted proxy names the visitor; a chain of trusted proxies is walked; an untrusted hop stops the walk.
    expect(await visitorOf('10.1.2.3', '198.51.100.1', ['10.0.0.0/8'])).toBe('198.51.100.1')
    expect(await visitorOf('::ffff:10.1.2.3', 'spoofed, 198.51.100.1, 10.9.9.9', ['10.0.0.0/8'])).toBe('198.51.100.1')
    expect(await visitorOf('10.1.2.3', '198.51.100.1, 203.0.113.9', ['10.0.0.0/8'])).toBe('203.0.113.9')
    // A malformed hop is not believed: the last good address before it is the visitor.
    expect(await visitorOf('10.1.2.3', 'not-an-ip', ['10.0.0.0/8'])).toBe('10.1.2.3')
    // A trusted proxy without the header is the visitor itself; IPv6 works the same.
    expect(await visitorOf('10.1.2.3', undefined, ['10.0.0.0/8'])).toBe('10.1.2.3')
    expect(await visitorOf('fd00::1', '2001:db8::7', ['fd00::/8'])).toBe('2001:db8::7')
  })

  it('trusts only addresses and CIDRs the config names correctly', () => {
    for (const good of ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']) expect(isAddressOrCidr(good)).toBe(true)
    for (const bad of ['localhost', '10.0.0.0/33', '10.0.0.0/', '1.2.3.4/8/1', 'fd00::/129']) expect(isAddressOrCidr(bad)).toBe(false)
    const config = {
      database: { url: 'mysql://x@h/db' },
      projects: [{ key: 'a', name: 'A', bots: { client: '1:a', cs: '2:b', cr: '3:c' }, groups: { cs: { chatId: -1 }, cr: [{ key: 'n', title: 'N', chatId: -2 }] } }],
    }
    expect(() => createConfig({ ...config, links: { trustedProxies: ['proxy.internal'] } })).toThrow('links.trustedProxies.0: an IP address or a CIDR like 10.0.0.0/8')
    expect(() => createConfig({ ...config, links: { publicUrl: 'https://go.example.com/' } })).toThrow('links.publicUrl: an http(s) URL without a trailing slash')
    expect(createConfig({ ...config, links: { publicUrl: 'https://go.example.com' } }).links).toEqual({ publicUrl: 'https://go.example.com', trustedProxies: [] })
  })
})
