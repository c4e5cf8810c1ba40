import { spawn } from 'node:child_process'
import { afterAll, expect, it } from 'vitest'
import { pollUntil } from '../support/poll.js'

// README "The assistant's provider": `npm run simulator -- --openai ollama` also serves a fake provider.
const child = spawn('sh', ['-c', 'npm run simulator -- --openai ollama'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
let output = ''
child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))

afterAll(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  process.kill(-child.pid!, 'SIGKILL')
  await exited
})

it("npm run simulator -- --openai ollama prints the fake provider's base URL, and it answers as Ollama does", async () => {
  await pollUntil(() => Promise.resolve(/assistant\.baseUrl (http\S+\/v1)/.test(output)), { timeoutMs: 30_000, message: `the fake provider's URL in:\n${output}` })
  const baseUrl = /assistant\.baseUrl (http\S+\/v1)/.exec(output)![1]!
  const models = (await (await fetch(`${baseUrl}/models`)).json()) as { data: Array<{ id: string; owned_by: string }> }
  expect(models.data[0]).toMatchObject({ id: 'llama3.2:latest', owned_by: 'library' })
  const answer = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hello' }] }),
  })
  expect(((await answer.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe("I don't know.")
})
