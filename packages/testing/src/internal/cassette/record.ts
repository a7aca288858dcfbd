/**
 * Recording: when it is on (only when explicitly asked for, never because an API key is
 * present), and the recording client, which sends each request upstream, stores the
 * exchange (rewriting the file after each one) and answers with the stored response.
 *
 * @internal
 */

import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { Exchange, RecordedResponse } from "../../Cassette.js"
import { decoder, fileFailure, replayResponse, type Settings, toRecorded } from "./exchange.js"
import { keepHeaders, save, secretsOf, transferHeaders } from "./file.js"

/**
 * The environment variable that turns recording on in `"auto"` mode (re-exported by the
 * `Cassette` module, where it is documented).
 *
 * @since 0.1.0
 */
export const recordVariable = "EFFECT_CHAT_RECORD"

const isOn = (value: string): boolean => ["1", "true", "yes", "on"].includes(value.trim().toLowerCase())

/**
 * Whether `"auto"` mode records (re-exported by the `Cassette` module, where it is
 * documented).
 *
 * @since 0.1.0
 */
export const recording: Effect.Effect<boolean> = Config.string(recordVariable).pipe(
  Config.withDefault(""),
  Effect.map(isOn),
  Effect.orElseSucceed(() => false)
)

const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** A client sending every request through `upstream` and writing each exchange to the cassette. */
export const recordClient = (settings: Settings, upstream: HttpClient.HttpClient): HttpClient.HttpClient => {
  // One slot per request, taken when it is sent: identical requests keep their order.
  const slots: Array<Exchange | undefined> = []
  const secrets = new Set<string>()
  const write = (request: HttpClientRequest.HttpClientRequest) =>
    Effect.suspend(() => {
      const exchanges = slots.filter((slot): slot is Exchange => slot !== undefined)
      const result = save(settings.path, { version: 1, exchanges }, secrets)
      return Either.isLeft(result) ? Effect.fail(fileFailure(request, result.left)) : Effect.void
    })
  return HttpClient.make((request, url) =>
    Effect.gen(function* () {
      const recorded = toRecorded(request, url, settings.redacted)
      for (const secret of secretsOf(request.headers, url, settings.redacted)) secrets.add(secret)
      const slot = slots.push(undefined) - 1
      const response = yield* upstream.execute(request)
      const bytes = new Uint8Array(yield* response.arrayBuffer)
      const utf8 = isUtf8(bytes)
      const stored: RecordedResponse = {
        status: response.status,
        headers: keepHeaders(response.headers, settings.redacted, transferHeaders),
        body: utf8 ? decoder.decode(bytes) : Buffer.from(bytes).toString("base64"),
        ...(utf8 ? {} : { bodyEncoding: "base64" as const })
      }
      slots[slot] = { request: recorded, response: stored }
      yield* write(request)
      return yield* replayResponse(request, stored, settings.chunkSize, settings.path)
    })
  )
}
