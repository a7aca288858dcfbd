/**
 * The replaying client: answers each request with the first unused recorded exchange
 * that matches it, and fails a request without one with a `NoMatchError` that says what
 * was asked, why nothing matched, and how to record it.
 *
 * @internal
 */
import * as fs from "node:fs"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { Exchange, RecordedRequest } from "../../Cassette.js"
import { fileFailure, replayResponse, type Settings, toRecorded } from "./exchange.js"
import type { Loaded } from "./file.js"
import { firstDifference } from "./match.js"
import { recordVariable } from "./record.js"

/**
 * The cause of a request that no recorded exchange answers (re-exported by the
 * `Cassette` module, where it is documented).
 *
 * @since 0.1.0
 */
export class NoMatchError extends Data.TaggedError("NoMatchError")<{
  readonly message: string
  readonly path: string
}> {}

const missMessage = (
  request: RecordedRequest,
  exchanges: ReadonlyArray<Exchange>,
  used: ReadonlySet<number>,
  path: string
): string => {
  const samePath = exchanges
    .map((exchange, index) => ({ exchange, index }))
    .filter(
      ({ exchange }) =>
        exchange.request.method.toUpperCase() === request.method.toUpperCase() &&
        exchange.request.path === request.path
    )
  let hint: string
  if (!fs.existsSync(path)) hint = "the cassette file does not exist"
  else if (samePath.length === 0)
    hint = `none of its ${exchanges.length} exchanges is a ${request.method} ${request.path}`
  else {
    const unused = samePath.filter(({ index }) => !used.has(index))
    const nearest = (unused[0] ?? samePath[0])!.exchange.request
    const where = firstDifference(nearest.body, request.body)
    hint =
      unused.length === 0 && where === undefined
        ? `the ${samePath.length} recorded for it were already used`
        : `${samePath.length} recorded for it, but the body differs${where === undefined ? "" : ` at ${where}`}`
  }
  return `no recorded exchange matches ${request.method} ${request.path} in cassette ${path} (${hint}; record with ${recordVariable}=1)`
}

/** A client answering from the `loaded` cassette, each recorded exchange once. */
export const replayClient = (settings: Settings, loaded: Loaded): HttpClient.HttpClient => {
  const used = new Set<number>()
  return HttpClient.make((request, url) =>
    Effect.suspend(() => {
      if (Either.isLeft(loaded)) return Effect.fail(fileFailure(request, loaded.left))
      const exchanges = loaded.right.exchanges
      const recorded = toRecorded(request, url, settings.redacted)
      const index = exchanges.findIndex(
        (exchange, index) => !used.has(index) && settings.match(exchange.request, recorded)
      )
      if (index === -1) {
        const message = missMessage(recorded, exchanges, used, settings.path)
        return Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Encode",
            cause: new NoMatchError({ message, path: settings.path }),
            description: message
          })
        )
      }
      used.add(index)
      return replayResponse(request, exchanges[index]!.response, settings.chunkSize, settings.path)
    })
  )
}
