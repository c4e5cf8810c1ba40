import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the balancer did, for the report: requests answered, attempts that failed over to the next instance, requests no instance took. */
export interface BalancerStats {
  requests: number
  failovers: number
  unanswered: number
}

/**
 * The simplest load balancer in front of the service's webhook ports: round-robin, and a target
 * that refuses or drops the connection before answering is skipped for the next one (a webhook
 * post is safe to repeat: the service answers a re-post of an update it stored with 200 and skips
 * it). A target's non-2xx answer is passed on as it is: the sender (Telegram) retries it.
 */
export class RoundRobinBalancer {
  private server: Server | undefined
  private next = 0
  readonly stats: BalancerStats = { requests: 0, failovers: 0, unanswered: 0 }

  /** The instances' webhook ports, in turn (filled in once they are known). */
  constructor(readonly targets: number[] = []) {}

  async start(): Promise<number> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        this.stats.requests++
        void this.forward(req, Buffer.concat(chunks)).then(
          (answer) => {
            res.writeHead(answer.status, answer.headers)
            res.end(answer.body)
          },
          () => {
            this.stats.unanswered++
            res.writeHead(502)
            res.end('no instance answered')
          },
        )
      })
    })
    this.server = server
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return (server.address() as AddressInfo).port
  }

  async close(): Promise<void> {
    const server = this.server
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Tries each target once, starting with the next in turn. */
  private async forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const start = this.next++ % this.targets.length
    for (let i = 0; i < this.targets.length; i++) {
      const port = this.targets[(start + i) % this.targets.length]!
      try {
        return await post(port, req, body)
      } catch {
        this.stats.failovers++
      }
    }
    throw new Error('every target failed')
  }
}

function post(port: number, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: `127.0.0.1:${port}`, 'content-length': String(body.length) }
    const out = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: { 'content-type': res.headers['content-type'] ?? 'text/plain' }, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    out.on('error', reject)
    out.end(body)
  })
}
