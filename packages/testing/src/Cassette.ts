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
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as exchange from "./internal/cassette/exchange.js"
import * as file from "./internal/cassette/file.js"
import * as match from "./internal/cassette/match.js"
import * as recorder from "./internal/cassette/record.js"
import * as replay from "./internal/cassette/replay.js"

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
export const recordVariable: typeof recorder.recordVariable = recorder.recordVariable

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
export const NoMatchError: typeof replay.NoMatchError = replay.NoMatchError

/**
 * The type of the cause of a request that no recorded exchange answers.
 *
 * @example
 * ```ts
 * import type { Cassette } from "@effect-chat/testing"
 *
 * const describe = (miss: Cassette.NoMatchError): string => miss.message
 * ```
 *
 * @since 0.1.0
 */
export type NoMatchError = replay.NoMatchError

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
export const CassetteFileError: typeof file.CassetteFileError = file.CassetteFileError

/**
 * The type of the cause of a cassette that cannot be read, parsed or written.
 *
 * @example
 * ```ts
 * import type { Cassette } from "@effect-chat/testing"
 *
 * const where = (error: Cassette.CassetteFileError): string => error.path
 * ```
 *
 * @since 0.1.0
 */
export type CassetteFileError = file.CassetteFileError

// ---------------------------------------------------------------------------
// matching
// ---------------------------------------------------------------------------

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
export const defaultMatch: (recorded: RecordedRequest, request: RecordedRequest) => boolean =
  match.defaultMatch

// ---------------------------------------------------------------------------
// the layer
// ---------------------------------------------------------------------------

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
export const recording: Effect.Effect<boolean> = recorder.recording

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
  const settings = exchange.settingsOf(path, options)
  return Layer.unwrapEffect(
    Effect.gen(function* () {
      const mode = options.mode ?? "auto"
      const record = mode === "record" || (mode === "auto" && (yield* recording))
      if (!record) {
        const loaded = yield* Effect.sync(() => file.load(path))
        return Layer.succeed(HttpClient.HttpClient, replay.replayClient(settings, loaded))
      }
      return Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, (upstream) => recorder.recordClient(settings, upstream))
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
    Effect.sync(() => file.loadExisting(path)),
    (loaded) => loaded
  )
