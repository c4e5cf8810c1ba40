import { badRequest, E } from '../api-error.js'
import type { StoredMessage, Wire, World } from '../world.js'
import type { CallContext, Handler } from './context.js'
import { applyEdit, editable } from './edit.js'

/** live_period that never expires (Bot API sendLocation / td_api liveLocation). */
export const FOREVER = 0x7fffffff

/** A latitude (±90) or longitude (±180) parameter. */
export function coordinate(ctx: CallContext, name: string, limit: number): number {
  const v = Number(ctx.params.raw(name))
  if (!ctx.params.has(name) || !Number.isFinite(v) || Math.abs(v) > limit) throw badRequest(`wrong ${name} specified`)
  return v
}

/** latitude, longitude and horizontal_accuracy (0–1500 m) of sendLocation and editMessageLiveLocation. */
export function locationParams(ctx: CallContext): Wire {
  const location: Wire = { latitude: coordinate(ctx, 'latitude', 90), longitude: coordinate(ctx, 'longitude', 180) }
  const accuracy = ctx.params.raw('horizontal_accuracy')
  if (accuracy !== undefined && accuracy !== null && accuracy !== '') {
    const v = Number(accuracy)
    if (!Number.isFinite(v) || v < 0 || v > 1500) throw badRequest('wrong horizontal accuracy specified')
    location.horizontal_accuracy = v
  }
  return location
}

/**
 * The live fields (heading 1–360, proximity_alert_radius 0–100000), with tdlib's texts
 * (td/telegram/Location.cpp process_input_message_location; the Bot API lower-cases the first letter).
 */
function liveFields(ctx: CallContext): Wire {
  const out: Wire = {}
  const heading = ctx.params.int('heading')
  if (heading !== undefined && heading !== 0) {
    if (heading < 1 || heading > 360) throw badRequest('wrong live location heading specified')
    out.heading = heading
  }
  const radius = ctx.params.int('proximity_alert_radius')
  if (radius !== undefined && radius !== 0) {
    if (radius < 0 || radius > 100000) throw badRequest('wrong live location proximity alert radius specified')
    out.proximity_alert_radius = radius
  }
  return out
}

/**
 * sendLocation's content: a static location, or with live_period (60–86400 s, or 0x7FFFFFFF for
 * ever) a live one (https://core.telegram.org/bots/api#sendlocation).
 */
export function sentLocation(ctx: CallContext): Wire {
  const location = locationParams(ctx)
  const period = ctx.params.int('live_period')
  if (period === undefined || period === 0) return { location }
  if (period !== FOREVER && (period < 60 || period > 86400)) throw badRequest('wrong live location period specified')
  return { location: { ...location, live_period: period, ...liveFields(ctx) } }
}

/** Whether a live location can still move: within live_period of its date (tdlib MessagesManager::can_edit_message). */
export function isLive(world: World, m: StoredMessage): boolean {
  const period = m.wire.location?.live_period
  if (m.kind !== 'location' || typeof period !== 'number') return false
  return period === FOREVER || world.clock.unix() - m.date < period
}

/**
 * The bot's own live location, still live. tdlib checks editability first ("message can't be
 * edited", also for a static or expired location), then the content ("there is no live location
 * in the message to edit", e.g. a text).
 */
function ownLiveLocation(ctx: CallContext): StoredMessage {
  const m = editable(ctx)
  if (m.kind === 'location' && !isLive(ctx.world, m)) throw E.cantEdit()
  if (m.kind !== 'location') throw badRequest('there is no live location in the message to edit')
  return m
}

/** editMessageLiveLocation: a new position (and optionally a new live_period) for a live location. */
const editMessageLiveLocation: Handler = (ctx) => {
  const position = locationParams(ctx)
  const m = ownLiveLocation(ctx)
  const current = m.wire.location as Wire
  let period = current.live_period as number
  const asked = ctx.params.int('live_period')
  if (asked !== undefined && asked !== 0) {
    // td_api editMessageLiveLocation: at most a day more than now, and never shorter than elapsed.
    const elapsed = ctx.world.clock.unix() - m.date
    if (asked !== FOREVER && (asked <= elapsed || asked > period + 86400)) throw badRequest('wrong live location period specified')
    period = asked
  }
  return applyEdit(ctx, m, { location: { ...position, live_period: period, ...liveFields(ctx) } })
}

/** stopMessageLiveLocation: the location stays where it is and can no longer move. */
const stopMessageLiveLocation: Handler = (ctx) => {
  const m = ownLiveLocation(ctx)
  const { latitude, longitude, horizontal_accuracy } = m.wire.location as Wire
  const stopped: Wire = { latitude, longitude, ...(horizontal_accuracy !== undefined ? { horizontal_accuracy } : {}) }
  return applyEdit(ctx, m, { location: stopped })
}

export const liveLocationHandlers: Record<string, Handler> = { editMessageLiveLocation, stopMessageLiveLocation }
