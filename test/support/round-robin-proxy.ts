import { createServer, type Server } from 'node:http'

export interface ForwardedRequest {
  path: string
  body: string
  /** Index of the upstream that got it. */
  upstream: number
}

/**
 * A load balancer in front of several webhook instances: each bot's path goes to the upstreams
 * in turn, so consecutive updates of one bot land on different instances. Records what it forwarded.
 */
export interface RoundRobinProxy {
  port: number
  upstreams: number[]
  forwarded: ForwardedRequest[]
  close(): Promise<void>
}

export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  const turns = new Map<string, number>()
  const proxy: RoundRobinProxy = { port: 0, upstreams: [], forwarded: [], close: () => new Promise((resolve) => server.close(() => resolve())) }
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const path = request.url ?? '/'
      const turn = turns.get(path) ?? 0
      turns.set(path, turn + 1)
      const upstream = turn % Math.max(1, proxy.upstreams.length)
      const body = Buffer.concat(chunks).toString('utf8')
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      const secret = request.headers['x-telegram-bot-api-secret-token']
      if (typeof secret === 'string') headers['x-telegram-bot-api-secret-token'] = secret
      fetch(`http://127.0.0.1:${proxy.upstreams[upstream]}${path}`, { method: request.method, headers, body })
        .then(async (answer) => {
          await answer.arrayBuffer()
          if (answer.ok) proxy.forwarded.push({ path, body, upstream })
          response.writeHead(answer.status).end()
        })
        .catch(() => response.writeHead(502).end())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  proxy.port = typeof address === 'object' && address ? address.port : 0
  return proxy
}
