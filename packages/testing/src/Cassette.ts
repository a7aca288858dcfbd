/**
 * Record and replay of HTTP exchanges: a layer over `HttpClient.HttpClient` that, when
 * explicitly asked to (the `EFFECT_CHAT_RECORD=1` environment flag, or `mode: "record"`),
 * sends requests to the real service and writes every exchange to a JSON file (a
 * "cassette"), and otherwise answers them from that file, offline.
 *
 * - Replay needs nothing but the file: no key, no network, no `FileSystem` layer. A
 *   request without a recorded match fails with a typed `HttpClientError.RequestError`
 *   whose description says what was asked and how to record it (a provider built on
 *   `Provider` turns it into a non-retryable `InvalidInputError`, so `withRetry` does
 *   not spin on it).
 * - Matching is by method, URL path (with its query) and JSON body (keys sorted), in
 *   order: identical requests get the recorded answers one after another, each once.
 * - Response bodies are stored as text and replayed as a stream in small pieces, so
 *   server-sent events go through the client's line splitting as they do on the wire.
 * - Secrets are never written: credential headers (`authorization`, `api-key`,
 *   `x-api-key`, `openai-organization`, `openai-project`, `x-goog-api-key`, cookies, …)
 *   and key-like query parameters are stripped, and their values are scrubbed from the
 *   whole file as a last guard.
 * - Recording never starts merely because an API key is present.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { OpenAiChatModel } from "@effect-chat/openai"
 * import { Cassette } from "@effect-chat/testing"
 * import { Effect, Layer } from "effect"
 * import { fileURLToPath } from "node:url"
 *
 * // Replays test/cassettes/hello.json; `EFFECT_CHAT_RECORD=1 OPENAI_API_KEY=… npx vitest run`
 * // records it against the real API instead.
 * const ModelLive = OpenAiChatModel.layerConfig({ model: "gpt-4.1-mini" }).pipe(
 *   Layer.provide(Cassette.layer(fileURLToPath(new URL("./cassettes/hello.json", import.meta.url))))
 * )
 *
 * const program = ChatModel.invoke("Say hello").pipe(Effect.provide(ModelLive))
 * ```
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Config from "effect/Config"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

// ---------------------------------------------------------------------------
// the file
// ---------------------------------------------------------------------------

/**
 * A request as it is stored: method, full URL and `path` (path and query, key-like
 * query parameters redacted), the headers left after redaction (names lower-cased),
 * and the body (parsed JSON, or the text when it is not JSON; absent when empty).
 *
 * @example
 * ```ts
 * import type { Cassette } from "@effect-chat/testing"
 *
 * const request: Cassette.RecordedRequest = {
 *   method: "POST",
 *   url: "https://api.openai.com/v1/chat/completions",
 *   path: "/v1/chat/completions",
 *   headers: { "content-type": "application/json" },
 *   body: { model: "gpt-4.1-mini", messages: [{ role: "user", content: "Hi" }] }
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: unknown
}

/**
 * A response as it is stored: status, headers (redacted, without transfer encodings)
 * and the body as text (`bodyEncoding: "base64"` when it was not UTF-8).
 *
 * @example
 * ```ts
 * import type { Cassette } from "@effect-chat/testing"
 *
 * const response: Cassette.RecordedResponse = {
 *   status: 200,
 *   headers: { "content-type": "text/event-stream" },
 *   body: 'data: {"choices":[]}\n\ndata: [DONE]\n\n'
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface RecordedResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly bodyEncoding?: "base64"
}

/**
 * One recorded exchange.
 *
 * @example
 * ```ts
 * import type { Cassette } from "@effect-chat/testing"
 *
 * const exchange: Cassette.Exchange = {
 *   request: { method: "GET", url: "http://127.0.0.1:8080/v1/models", path: "/v1/models", headers: {} },
 *   response: { status: 200, headers: { "content-type": "application/json" }, body: '{"data":[]}' }
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface Exchange {
  readonly request: RecordedRequest
  readonly response: RecordedResponse
}

/**
 * The content of a cassette file.
 *
 * @example
 * ```ts
 * import type { Cassette } from "@effect-chat/testing"
 *
 * const empty: Cassette.CassetteFile = { version: 1, exchanges: [] }
 * ```
 *
 * @since 0.1.0
 */
export interface CassetteFile {
  readonly version: 1
  readonly exchanges: ReadonlyArray<Exchange>
}

const Headers = Schema.Record({ key: Schema.String, value: Schema.String })

const CassetteFileSchema: Schema.Schema<CassetteFile> = Schema.Struct({
  version: Schema.Literal(1),
  exchanges: Schema.Array(
    Schema.Struct({
      request: Schema.Struct({
        method: Schema.String,
        url: Schema.String,
        path: Schema.String,
        headers: Headers,
        body: Schema.optionalWith(Schema.Unknown, { exact: true })
      }),
      response: Schema.Struct({
        status: Schema.Number,
        headers: Headers,
        body: Schema.String,
        bodyEncoding: Schema.optionalWith(Schema.Literal("base64"), { exact: true })
      })
    })
  )
})

const decodeFile = Schema.decodeUnknownEither(CassetteFileSchema)

// ---------------------------------------------------------------------------
// options
// ---------------------------------------------------------------------------

/**
 * The environment variable that turns recording on in `"auto"` mode: `1`, `true`, `yes`
 * or `on` record; anything else (or nothing) replays.
 *
 * @example
 * ```ts
 * import { Cassette } from "@effect-chat/testing"
 *
 * console.log(`record with ${Cassette.recordVariable}=1`)
 * ```
 *
 * @since 0.1.0
 */
export const recordVariable = "EFFECT_CHAT_RECORD"

/**
 * `"replay"` answers from the file only; `"record"` sends every request to the real
 * service and rewrites the file with the exchanges of this layer; `"auto"` (the
 * default) records when `EFFECT_CHAT_RECORD` is set to `1`, `true`, `yes` or `on`, and
 * replays otherwise.
 *
 * @example
 * ```ts
 * import type { Cassette } from "@effect-chat/testing"
 *
 * const mode: Cassette.Mode = "replay"
 * ```
 *
 * @since 0.1.0
 */
export type Mode = "replay" | "record" | "auto"

/**
 * Options of `layer`.
 *
 * @example
 * ```ts
 * import { Cassette } from "@effect-chat/testing"
 *
 * const options: Cassette.Options = {
 *   mode: "auto",
 *   redactHeaders: ["x-my-gateway-token"],
 *   // ignore the random `user` field when matching
 *   match: (recorded, request) =>
 *     Cassette.defaultMatch(
 *       { ...recorded, body: { ...(recorded.body as object), user: undefined } },
 *       { ...request, body: { ...(request.body as object), user: undefined } }
 *     )
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface Options {
  /** Default `"auto"`. */
  readonly mode?: Mode | undefined
  /** The real client used when recording. Default: `FetchHttpClient.layer`. Unused in replay. */
  readonly upstream?: Layer.Layer<HttpClient.HttpClient> | undefined
  /** Whether a recorded exchange answers a request. Default: `defaultMatch`. */
  readonly match?: ((recorded: RecordedRequest, request: RecordedRequest) => boolean) | undefined
  /** Headers stripped in addition to the credential headers that always are (case-insensitive). */
  readonly redactHeaders?: ReadonlyArray<string> | undefined
  /** The size in bytes of the pieces a replayed body is streamed in (default 64). */
  readonly chunkSize?: number | undefined
}

/**
 * The cause of a request that no recorded exchange answers (in the `cause` of the
 * `HttpClientError.RequestError` the client fails with).
 *
 * @example
 * ```ts
 * import { Cassette } from "@effect-chat/testing"
 * import type { HttpClientError } from "@effect/platform"
 *
 * const isCassetteMiss = (error: HttpClientError.HttpClientError) => error.cause instanceof Cassette.NoMatchError
 * ```
 *
 * @since 0.1.0
 */
export class NoMatchError extends Data.TaggedError("NoMatchError")<{
  readonly message: string
  readonly path: string
}> {}

/**
 * The cause of a cassette that cannot be read, parsed or written.
 *
 * @example
 * ```ts
 * import { Cassette } from "@effect-chat/testing"
 *
 * const error = new Cassette.CassetteFileError({ message: "not valid JSON", path: "test/cassettes/a.json" })
 * ```
 *
 * @since 0.1.0
 */
export class CassetteFileError extends Data.TaggedError("CassetteFileError")<{
  readonly message: string
  readonly path: string
}> {}

/** Stripped from every stored request and response, whatever the options say. */
const alwaysRedacted: ReadonlyArray<string> = [
  "authorization",
  "proxy-authorization",
  "api-key",
  "x-api-key",
  "x-goog-api-key",
  "openai-organization",
  "openai-project",
  "cookie",
  "set-cookie"
]

/** Query parameters whose values are replaced by `REDACTED`. */
const redactedQuery: ReadonlySet<string> = new Set([
  "key",
  "api_key",
  "api-key",
  "apikey",
  "access_token",
  "token"
])

/** Response headers that describe the wire encoding, not the body the client sees. */
const transferHeaders: ReadonlySet<string> = new Set([
  "content-length",
  "content-encoding",
  "transfer-encoding"
])

// ---------------------------------------------------------------------------
// matching
// ---------------------------------------------------------------------------

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical)
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key]
      if (item !== undefined) out[key] = canonical(item)
    }
    return out
  }
  return value
}

const canonicalJson = (value: unknown): string => JSON.stringify(canonical(value)) ?? ""

/**
 * The default matching: same method, same path and query, and the same body (JSON
 * compared with keys sorted; `undefined` fields ignored). Headers are not compared.
 *
 * @example
 * ```ts
 * import { Cassette } from "@effect-chat/testing"
 *
 * const request = { method: "POST", url: "http://a/v1/x", path: "/v1/x", headers: {}, body: { a: 1, b: 2 } }
 * Cassette.defaultMatch(request, { ...request, url: "http://b/v1/x", body: { b: 2, a: 1 } }) // true
 * ```
 *
 * @since 0.1.0
 */
export const defaultMatch = (recorded: RecordedRequest, request: RecordedRequest): boolean =>
  recorded.method.toUpperCase() === request.method.toUpperCase() &&
  recorded.path === request.path &&
  canonicalJson(recorded.body) === canonicalJson(request.body)

/** Where two JSON values first differ (`messages[0].content`), for the miss message. */
const firstDifference = (a: unknown, b: unknown, at = ""): string | undefined => {
  if (canonicalJson(a) === canonicalJson(b)) return undefined
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let index = 0; index < Math.max(a.length, b.length); index++) {
      const found = firstDifference(a[index], b[index], `${at}[${index}]`)
      if (found !== undefined) return found
    }
    return at
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null && !Array.isArray(a)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        at === "" ? key : `${at}.${key}`
      )
      if (found !== undefined) return found
    }
  }
  return at === "" ? "(the whole body)" : at
}

// ---------------------------------------------------------------------------
// requests and responses
// ---------------------------------------------------------------------------

const decoder = new TextDecoder()

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

const redactUrl = (url: URL): URL => {
  const copy = new URL(url.href)
  for (const name of [...copy.searchParams.keys()]) {
    if (redactedQuery.has(name.toLowerCase())) copy.searchParams.set(name, "REDACTED")
  }
  copy.username = ""
  copy.password = ""
  return copy
}

const keepHeaders = (
  headers: Readonly<Record<string, string>>,
  redacted: ReadonlySet<string>,
  drop: ReadonlySet<string> = new Set()
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (!redacted.has(lower) && !drop.has(lower)) out[lower] = value
  }
  return out
}

/** The values of the credential headers and query parameters, to scrub from the file. */
const secretsOf = (
  headers: Readonly<Record<string, string>>,
  url: URL,
  redacted: ReadonlySet<string>
): ReadonlyArray<string> => {
  const secrets: Array<string> = []
  for (const [name, value] of Object.entries(headers)) {
    if (!redacted.has(name.toLowerCase())) continue
    secrets.push(value)
    const token = value.replace(/^(Bearer|Basic|Token)\s+/i, "")
    if (token !== value) secrets.push(token)
  }
  for (const [name, value] of url.searchParams) if (redactedQuery.has(name.toLowerCase())) secrets.push(value)
  if (url.password !== "") secrets.push(url.password)
  return secrets.filter((secret) => secret.length >= 6)
}

const toRecorded = (
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

const fileFailure = (
  request: HttpClientRequest.HttpClientRequest,
  cause: CassetteFileError
): HttpClientError.RequestError =>
  new HttpClientError.RequestError({ request, reason: "Encode", cause, description: cause.message })

const replayResponse = (
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

// ---------------------------------------------------------------------------
// the file on disk
// ---------------------------------------------------------------------------

type Loaded = Either.Either<CassetteFile, CassetteFileError>

const load = (path: string): Loaded => {
  if (!fs.existsSync(path)) return Either.right({ version: 1, exchanges: [] })
  let json: unknown
  try {
    json = JSON.parse(fs.readFileSync(path, "utf8"))
  } catch (error) {
    return Either.left(
      new CassetteFileError({ message: `cassette ${path} is not valid JSON: ${String(error)}`, path })
    )
  }
  return Either.mapLeft(
    decodeFile(json),
    (error) =>
      new CassetteFileError({
        message: `cassette ${path} is not a cassette: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
        path
      })
  )
}

const scrub = (text: string, secrets: ReadonlySet<string>): string => {
  let out = text
  for (const secret of secrets) {
    const escaped = JSON.stringify(secret).slice(1, -1)
    out = out.split(escaped).join("REDACTED")
  }
  return out
}

const save = (
  path: string,
  file: CassetteFile,
  secrets: ReadonlySet<string>
): Either.Either<void, CassetteFileError> => {
  try {
    fs.mkdirSync(nodePath.dirname(path), { recursive: true })
    const temporary = `${path}.${process.pid}.tmp`
    fs.writeFileSync(temporary, `${scrub(JSON.stringify(file, null, 2), secrets)}\n`)
    fs.renameSync(temporary, path)
    return Either.void
  } catch (error) {
    return Either.left(
      new CassetteFileError({ message: `cannot write cassette ${path}: ${String(error)}`, path })
    )
  }
}

// ---------------------------------------------------------------------------
// the clients
// ---------------------------------------------------------------------------

interface Settings {
  readonly path: string
  readonly match: (recorded: RecordedRequest, request: RecordedRequest) => boolean
  readonly redacted: ReadonlySet<string>
  readonly chunkSize: number
}

const settingsOf = (path: string, options: Options): Settings => ({
  path,
  match: options.match ?? defaultMatch,
  redacted: new Set([...alwaysRedacted, ...(options.redactHeaders ?? []).map((name) => name.toLowerCase())]),
  chunkSize: Math.max(1, Math.floor(options.chunkSize ?? 64))
})

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

const replayClient = (settings: Settings, loaded: Loaded): HttpClient.HttpClient => {
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

const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

const recordClient = (settings: Settings, upstream: HttpClient.HttpClient): HttpClient.HttpClient => {
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

const isOn = (value: string): boolean => ["1", "true", "yes", "on"].includes(value.trim().toLowerCase())

/**
 * Whether `"auto"` mode records: `EFFECT_CHAT_RECORD` read from the `ConfigProvider`
 * (the environment by default) is `1`, `true`, `yes` or `on`. An API key in the
 * environment never turns recording on.
 *
 * @example
 * ```ts
 * import { Cassette } from "@effect-chat/testing"
 * import { Effect } from "effect"
 *
 * const program = Effect.map(Cassette.recording, (on) => (on ? "recording" : "replaying"))
 * ```
 *
 * @since 0.1.0
 */
export const recording: Effect.Effect<boolean> = Config.string(recordVariable).pipe(
  Config.withDefault(""),
  Effect.map(isOn),
  Effect.orElseSucceed(() => false)
)

/**
 * An `HttpClient` layer that replays the exchanges recorded in the cassette at `path`,
 * or records them there (see `Mode`). In replay mode it needs nothing but the file (a
 * missing file is an empty cassette: every request fails with the hint to record); in
 * record mode it sends requests through `options.upstream` (default
 * `FetchHttpClient.layer`), reads each response whole, and rewrites the file with the
 * exchanges of this layer after each one, so one cassette belongs to one layer (one
 * test or one `it.layer` group). Responses reach the client as streams in pieces of
 * `chunkSize` bytes in both modes.
 *
 * @example
 * ```ts
 * import { Cassette } from "@effect-chat/testing"
 * import { HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const models = HttpClient.get("https://api.openai.com/v1/models").pipe(
 *   Effect.flatMap((response) => response.json),
 *   Effect.provide(Cassette.layer("test/cassettes/models.json", { mode: "replay" }))
 * )
 * ```
 *
 * @since 0.1.0
 */
export const layer = (path: string, options: Options = {}): Layer.Layer<HttpClient.HttpClient> => {
  const settings = settingsOf(path, options)
  return Layer.unwrapEffect(
    Effect.gen(function* () {
      const mode = options.mode ?? "auto"
      const record = mode === "record" || (mode === "auto" && (yield* recording))
      if (!record) {
        const loaded = yield* Effect.sync(() => load(path))
        return Layer.succeed(HttpClient.HttpClient, replayClient(settings, loaded))
      }
      return Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, (upstream) => recordClient(settings, upstream))
      ).pipe(Layer.provide(options.upstream ?? FetchHttpClient.layer))
    })
  )
}

/**
 * Reads a cassette file (for assertions on what was recorded).
 *
 * @example
 * ```ts
 * import { Cassette } from "@effect-chat/testing"
 * import { Effect } from "effect"
 *
 * const paths = Effect.map(Cassette.read("test/cassettes/hello.json"), (file) =>
 *   file.exchanges.map((exchange) => exchange.request.path)
 * )
 * ```
 *
 * @since 0.1.0
 */
export const read = (path: string): Effect.Effect<CassetteFile, CassetteFileError> =>
  Effect.flatMap(
    Effect.sync(() => (fs.existsSync(path) ? load(path) : Either.left(missingFile(path)))),
    (loaded) => loaded
  )

const missingFile = (path: string): CassetteFileError =>
  new CassetteFileError({ message: `cassette ${path} does not exist`, path })
