import { describe, expect, it } from 'vitest'
import type { ForgetSubject, Traces } from '../../src/domain/forget/outbox-rows.js'
import { namesCustomer } from '../../src/domain/forget/traces.js'

// Forget scrubs (and cancels) Onboarding notices that name the customer: a notice about someone
// else whose email or username merely contains theirs must stay untouched.
const ann: ForgetSubject = { id: 1, projectId: 1, telegramUserId: 4711, clientBotId: 9, accountId: 3, username: 'bob' }
const traces: Traces = { topicIds: [], topicLinks: ['https://t.me/c/1000000001/4'], email: 'ann@example.com' }

describe('what names a customer in a notice', () => {
  it('finds their id, topic link, email and @username', () => {
    expect(namesCustomer('Name: Ann (id 4711)', ann, traces)).toBe(true)
    expect(namesCustomer('⏎ https://t.me/c/1000000001/4', ann, traces)).toBe(true)
    expect(namesCustomer('Email: ann@example.com, already linked', ann, traces)).toBe(true)
    expect(namesCustomer('Email: <ANN@Example.com>', ann, traces)).toBe(true)
    expect(namesCustomer('Zoe (@bob, id 1)', ann, traces)).toBe(true)
  })

  it('does not take a longer email, a longer username or an email domain for theirs', () => {
    expect(namesCustomer('Email: joann@example.com', ann, traces)).toBe(false)
    expect(namesCustomer('Email: ann@example.com.au', ann, traces)).toBe(false)
    expect(namesCustomer('Email: jo.ann@example.com', ann, traces)).toBe(false)
    expect(namesCustomer('Email: alice@bob.com', ann, traces)).toBe(false)
    expect(namesCustomer('Zoe (@bobby, id 1)', ann, traces)).toBe(false)
    expect(namesCustomer('id 47110', ann, traces)).toBe(false)
    expect(namesCustomer('https://t.me/c/1000000001/45', ann, traces)).toBe(false)
  })
})
