import { BlockList, isIP } from 'node:net'

/** "10.0.0.1", "::1", "10.0.0.0/8" or "fd00::/8". */
export function isAddressOrCidr(text: string): boolean {
  const [address, bits, extra] = text.split('/')
  if (extra !== undefined || !address) return false
  const family = isIP(address)
  if (family === 0) return false
  if (bits === undefined) return true
  const prefix = Number(bits)
  return /^\d+$/.test(bits) && prefix <= (family === 4 ? 32 : 128)
}

/** The addresses and CIDRs of a (validated) list as a BlockList, to ask whether an address is one of them. */
export function addressList(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined]
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4'
    if (bits === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(bits), type)
  }
  return list
}
