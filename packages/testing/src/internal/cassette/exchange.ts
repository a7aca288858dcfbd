/**
 * What both clients share: their settings, a request turned into its stored form
 * (redacted, body parsed), and a stored response turned back into a response whose body
 * streams in small pieces, as server-sent events arrive on the wire.
 *
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import type { Options, RecordedRequest, RecordedResponse } from "../../Cassette.js"
import { alwaysRedacted, CassetteFileError, keepHeaders, redactUrl } from "./file.js"
import { defaultMatch } from "./match.js"

// ---------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------

/** The options of `Cassette.layer` with their defaults applied. */
export interface Settings {
  readonly path: string
  readonly match: (recorded: RecordedRequest, request: RecordedRequest) => boolean
  readonly redacted: ReadonlySet<string>
  readonly chunkSize: number
}

export const settingsOf = (path: string, options: Options): Settings => ({
  path,
  match: options.match ?? defaultMatch,
  redacted: new Set([...alwaysRedacted, ...(options.redactHeaders ?? []).map((name) => name.toLowerCase())]),
  chunkSize: Math.max(1, Math.floor(options.chunkSize ?? 64))
})

// ---------------------------------------------------------------------------
// requests
// ---------------------------------------------------------------------------

export const decoder = new TextDecoder()

const bodyText = (request: HttpClientRequest.HttpClientRequest): string => {
  const body = request.body
  switch (body._tag) {
    case "Uint8Array":
      return decoder.decode(body.body)
    case "Raw":
      return typeof body.body === "string" ? body.body : ""
    default:
      return ""
  }
}

const parseBody = (text: string): unknown => {
  if (text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The request as it is stored and matched. */
export const toRecorded = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  redacted: ReadonlySet<string>
): RecordedRequest => {
  const clean = redactUrl(url)
  const body = parseBody(bodyText(request))
  return {
    method: request.method,
    url: clean.href,
    path: `${clean.pathname}${clean.search}`,
    headers: keepHeaders(request.headers, redacted),
    ...(body === undefined ? {} : { body })
  }
}

// ---------------------------------------------------------------------------
// responses
// ---------------------------------------------------------------------------

const nullBodyStatuses: ReadonlySet<number> = new Set([101, 103, 204, 205, 304])

const bodyBytes = (response: RecordedResponse): Uint8Array =>
  response.bodyEncoding === "base64"
    ? new Uint8Array(Buffer.from(response.body, "base64"))
    : new TextEncoder().encode(response.body)

/** A readable stream of the body in pieces of `size` bytes, one piece per read. */
const piecewise = (bytes: Uint8Array, size: number): ReadableStream<Uint8Array> => {
  let offset = 0
  return new ReadableStream<Uint8Array>({
    pull: (controller) => {
      if (offset >= bytes.length) {
        controller.close()
        return
      }
      controller.enqueue(bytes.slice(offset, offset + size))
      offset += size
    }
  })
}

/** A cassette that cannot be read, parsed or written, as the failure of a request. */
export const fileFailure = (
  request: HttpClientRequest.HttpClientRequest,
  cause: CassetteFileError
): HttpClientError.RequestError =>
  new HttpClientError.RequestError({ request, reason: "Encode", cause, description: cause.message })

/** The stored response as the client receives it, its body streamed in pieces of `chunkSize` bytes. */
export const replayResponse = (
  request: HttpClientRequest.HttpClientRequest,
  recorded: RecordedResponse,
  chunkSize: number,
  path: string
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.try({
    try: () =>
      HttpClientResponse.fromWeb(
        request,
        new Response(
          nullBodyStatuses.has(recorded.status) ? null : piecewise(bodyBytes(recorded), chunkSize),
          {
            status: recorded.status,
            headers: recorded.headers
          }
        )
      ),
    catch: (error) =>
      fileFailure(
        request,
        new CassetteFileError({
          message: `cassette ${path} holds a response that cannot be replayed: ${String(error)}`,
          path
        })
      )
  })
