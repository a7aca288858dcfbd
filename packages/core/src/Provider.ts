/**
 * The shared HTTP foundation of provider packages: a client built from the
 * `HttpClient` in context (users provide `FetchHttpClient.layer`), base URL and auth
 * headers from a `Redacted` API key, JSON requests, server-sent events (lines split
 * first, then `@effect/experimental`'s SSE parser), NDJSON, and the mapping of every
 * failure to `ChatError` (statuses, error bodies, `retry-after`, connection failures,
 * streams cut off before the provider's end marker). Interrupting a call aborts its
 * HTTP request. The API key never appears in an error, its cause or a span attribute.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const client = yield* Provider.make({
 *     provider: "openai",
 *     baseUrl: "https://api.openai.com/v1",
 *     apiKey: Redacted.make("sk-...")
 *   })
 *   return yield* Provider.postJson(client, {
 *     path: "/chat/completions",
 *     body: { model: "gpt-4.1-mini", messages: [{ role: "user", content: "Hi" }] }
 *   })
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer)))
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientTag from "@effect/platform/HttpClient"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Redacted from "effect/Redacted"
import type * as Stream from "effect/Stream"
import type { ChatError } from "./ChatError.js"
import * as errors from "./internal/provider/errors.js"
import * as http from "./internal/provider/http.js"
import * as retry from "./internal/provider/retryAfter.js"
import type * as sse from "./internal/provider/sse.js"

// ---------------------------------------------------------------------------
// the client
// ---------------------------------------------------------------------------

/**
 * Marks a `Client`.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * const isClient = (value: object): value is Provider.Client => Provider.TypeId in value
 * ```
 *
 * @since 0.1.0
 */
export const TypeId: typeof http.TypeId = http.TypeId
/**
 * The type of `TypeId`.
 *
 * @example
 * ```ts
 * import type { Provider } from "@effect-chat/core"
 *
 * type Marked = { readonly [K in Provider.TypeId]: Provider.TypeId }
 * ```
 *
 * @since 0.1.0
 */
export type TypeId = typeof TypeId

/**
 * How the API key is sent: the header's name and an optional scheme put before the key.
 * The default is `authorization: Bearer <key>`; Anthropic uses `{ header: "x-api-key" }`,
 * Azure OpenAI `{ header: "api-key" }`.
 *
 * @example
 * ```ts
 * import type { Provider } from "@effect-chat/core"
 *
 * const anthropic: Provider.Auth = { header: "x-api-key" }
 * const bearer: Provider.Auth = { header: "authorization", scheme: "Bearer" }
 * ```
 *
 * @since 0.1.0
 */
export interface Auth {
  readonly header: string
  /** Put before the key with a space (`"Bearer"`); absent: the key alone. */
  readonly scheme?: string | undefined
}

/**
 * What a client is built from.
 *
 * @example
 * ```ts
 * import type { Provider } from "@effect-chat/core"
 * import { Redacted } from "effect"
 *
 * const options: Provider.ClientOptions = {
 *   provider: "acme",
 *   baseUrl: "https://api.acme.example/v1",
 *   apiKey: Redacted.make("acme-..."),
 *   timeout: "30 seconds"
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface ClientOptions {
  /** The provider's name, carried by every error (`"openai"`). */
  readonly provider: string
  /** Joined with each request's path (`"https://api.openai.com/v1"`). */
  readonly baseUrl: string
  /** Absent for keyless local servers. */
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** Default: `authorization: Bearer <key>`. */
  readonly auth?: Auth | undefined
  /** Sent with every request (OpenAI's organization and project); `undefined` values are left out. */
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * A connection-level timeout: the whole exchange for `postJson`, the wait for the
   * response headers for streams. Failing with `TimeoutError`. (A call's own `timeout`
   * is applied per attempt by `ChatModel`.)
   */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * A provider's HTTP client. Inspecting or encoding it never shows the key.
 *
 * @example
 * ```ts
 * import type { Provider } from "@effect-chat/core"
 *
 * const describe = (client: Provider.Client): string => `${client.provider} at ${client.baseUrl}`
 * ```
 *
 * @since 0.1.0
 */
export interface Client extends Pipeable {
  readonly [TypeId]: TypeId
  readonly provider: string
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string> | undefined
  readonly auth: { readonly header: string; readonly scheme: string | undefined }
  /** Sent with every request, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  readonly timeout: Duration.Duration | undefined
  readonly httpClient: HttpClient.HttpClient
}

/**
 * Builds a client on the `HttpClient` of the context.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { Redacted } from "effect"
 *
 * const anthropic = Provider.make({
 *   provider: "anthropic",
 *   baseUrl: "https://api.anthropic.com/v1",
 *   apiKey: Redacted.make("sk-ant-..."),
 *   auth: { header: "x-api-key" },
 *   headers: { "anthropic-version": "2023-06-01" }
 * })
 * ```
 *
 * @since 0.1.0
 */
export const make = (options: ClientOptions): Effect.Effect<Client, never, HttpClient.HttpClient> =>
  Effect.map(HttpClientTag.HttpClient, (httpClient) => http.make(httpClient, options))

/**
 * Builds a client on a given `HttpClient`.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const client = Effect.map(HttpClient.HttpClient, (httpClient) =>
 *   Provider.fromHttpClient(httpClient, { provider: "ollama", baseUrl: "http://127.0.0.1:11434" })
 * )
 * ```
 *
 * @since 0.1.0
 */
export const fromHttpClient: {
  (options: ClientOptions): (httpClient: HttpClient.HttpClient) => Client
  (httpClient: HttpClient.HttpClient, options: ClientOptions): Client
} = dual(
  2,
  (httpClient: HttpClient.HttpClient, options: ClientOptions): Client => http.make(httpClient, options)
)

/**
 * A client that also sends the given headers (`undefined` values are left out; a later
 * value replaces an earlier one of the same name).
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const client = Provider.make({ provider: "openai", baseUrl: "https://api.openai.com/v1" }).pipe(
 *   Effect.map(Provider.withHeaders({ "openai-organization": "org-123" }))
 * )
 * ```
 *
 * @since 0.1.0
 */
export const withHeaders: {
  (headers: Readonly<Record<string, string | undefined>>): (self: Client) => Client
  (self: Client, headers: Readonly<Record<string, string | undefined>>): Client
} = dual(2, http.withHeaders)

/**
 * Joins a base URL and a path with exactly one slash; an absolute URL as `path` is used
 * as it is.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * Provider.joinUrl("https://api.openai.com/v1/", "/chat/completions")
 * // "https://api.openai.com/v1/chat/completions"
 * ```
 *
 * @since 0.1.0
 */
export const joinUrl = (base: string, path: string): string => http.joinUrl(base, path)

// ---------------------------------------------------------------------------
// exchanges
// ---------------------------------------------------------------------------

/**
 * One POST request: the path (joined with the client's base URL), the JSON body, and
 * optional headers and query parameters (`undefined` values are left out).
 *
 * @example
 * ```ts
 * import type { Provider } from "@effect-chat/core"
 *
 * const request: Provider.Request = {
 *   path: "/chat/completions",
 *   body: { model: "gpt-4.1-mini", messages: [{ role: "user", content: "hi" }] },
 *   urlParams: { "api-version": "2024-10-21" }
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface Request {
  readonly path: string
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined
  readonly urlParams?: Readonly<Record<string, string | undefined>> | undefined
}

/**
 * A streaming request.
 *
 * @example
 * ```ts
 * import type { Provider } from "@effect-chat/core"
 *
 * const request: Provider.StreamRequest<Provider.SseEvent> = {
 *   path: "/messages",
 *   body: { model: "claude-sonnet-4-5", stream: true, max_tokens: 1024, messages: [] },
 *   isEnd: (event) => event.event === "message_stop"
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface StreamRequest<A> extends Request {
  /**
   * Recognises the provider's end marker (OpenAI's `[DONE]`, Anthropic's
   * `message_stop`). The marker is emitted and ends the stream; a body that ends without
   * it fails with `TransportError`. Without `isEnd`, the body's end ends the stream.
   */
  readonly isEnd?: ((value: A) => boolean) | undefined
  /** SSE only: the largest event buffered (default 10 MiB). */
  readonly maxEventSize?: number | undefined
}

/**
 * One server-sent event: its `event:` name (`"message"` when the server gave none),
 * its `data:` lines joined with newlines, and its `id:`.
 *
 * @example
 * ```ts
 * import type { Provider } from "@effect-chat/core"
 *
 * const isDone = (event: Provider.SseEvent): boolean => event.data === "[DONE]"
 * ```
 *
 * @since 0.1.0
 */
export type SseEvent = sse.SseEvent

/**
 * POSTs a JSON body and decodes the JSON answer into `unknown` (providers validate its
 * shape). Every failure is a `ChatError` carrying `provider` (and `status` when there
 * was one): 401 `AuthenticationError`, 403 `PermissionDeniedError`, 404
 * `NotFoundError`, 400/422 `BadRequestError`, context-length and content-filter errors
 * recognised from the body, 408 `TimeoutError`, 429 `RateLimitError` (with
 * `retryAfter`; an exhausted quota is not retryable), 5xx `ServerError`, connection
 * failures `TransportError`, bodies that do not parse `MalformedResponseError`.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const completion = (client: Provider.Client) =>
 *   client.pipe(
 *     Provider.postJson({ path: "/chat/completions", body: { model: "gpt-4.1-mini", messages: [] } })
 *   )
 * ```
 *
 * @since 0.1.0
 */
export const postJson: {
  (request: Request): (self: Client) => Effect.Effect<unknown, ChatError>
  (self: Client, request: Request): Effect.Effect<unknown, ChatError>
} = dual(2, http.postJson)

/**
 * POSTs a JSON body and streams the answer's server-sent events. An error status is
 * read and mapped as in `postJson`; a connection lost mid-stream is a
 * `TransportError`, and so is a body that ends before the `isEnd` marker. Ending or
 * interrupting the stream aborts the request.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 * import { Stream } from "effect"
 *
 * const deltas = (client: Provider.Client) =>
 *   Provider.streamSse(client, {
 *     path: "/chat/completions",
 *     body: { model: "gpt-4.1-mini", messages: [], stream: true },
 *     isEnd: (event) => event.data === "[DONE]"
 *   }).pipe(Stream.filter((event) => event.data !== "[DONE]"))
 * ```
 *
 * @since 0.1.0
 */
export const streamSse: {
  (request: StreamRequest<SseEvent>): (self: Client) => Stream.Stream<SseEvent, ChatError>
  (self: Client, request: StreamRequest<SseEvent>): Stream.Stream<SseEvent, ChatError>
} = dual(2, http.streamSse)

/**
 * POSTs a JSON body and streams the answer as newline-delimited JSON (Ollama), each
 * line parsed into `unknown`; failures as in `streamSse`, a line that does not parse is
 * a `MalformedResponseError`.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * const chat = (client: Provider.Client) =>
 *   Provider.streamNdjson(client, {
 *     path: "/api/chat",
 *     body: { model: "llama3.2", messages: [], stream: true },
 *     isEnd: (value) => typeof value === "object" && value !== null && "done" in value && value.done === true
 *   })
 * ```
 *
 * @since 0.1.0
 */
export const streamNdjson: {
  (request: StreamRequest<unknown>): (self: Client) => Stream.Stream<unknown, ChatError>
  (self: Client, request: StreamRequest<unknown>): Stream.Stream<unknown, ChatError>
} = dual(2, http.streamNdjson)

// ---------------------------------------------------------------------------
// decoding (defined in internal/provider/decoding.ts)
// ---------------------------------------------------------------------------

export type {
  /** @since 0.1.0 */
  DecodeOptions,
  /** @since 0.1.0 */
  Stage,
  /** @since 0.1.0 */
  Step
} from "./internal/provider/decoding.js"
export {
  /** @since 0.1.0 */
  decodeNdjson,
  /** @since 0.1.0 */
  decodeSse,
  /** @since 0.1.0 */
  mapOrFail,
  /** @since 0.1.0 */
  parseJson,
  /** @since 0.1.0 */
  transduce
} from "./internal/provider/decoding.js"

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * What is known about a failure: the provider, the HTTP status (absent for an error
 * event inside a stream), the error body (parsed JSON or raw text) and the wait asked for.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * const info: Provider.ErrorInfo = { provider: "acme", status: 429, body: { error: { message: "Slow down" } } }
 * const error = Provider.errorFromBody(info) // RateLimitError
 * ```
 *
 * @since 0.1.0
 */
export type ErrorInfo = errors.ErrorInfo

/**
 * The `ChatError` for an error body, with or without an HTTP status: the same mapping
 * `postJson` applies, for error events inside a stream (Anthropic's `overloaded_error`,
 * OpenAI's `error` chunks). Without a status the error's `type`/`code` decides
 * (`rate_limit_error`, `overloaded_error`, `invalid_request_error`, …), defaulting to
 * `ServerError`.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * const error = Provider.errorFromBody({
 *   provider: "anthropic",
 *   body: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }
 * })
 * // ServerError { message: "Overloaded", provider: "anthropic", retryable: true }
 * ```
 *
 * @since 0.1.0
 */
export const errorFromBody = (info: ErrorInfo): ChatError => errors.fromErrorBody(info)

/**
 * The provider's own message in an error body (`{ error: { message } }`,
 * `{ error: "..." }`, `{ message }`, `{ detail }`), if there is one.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * Provider.errorMessage({ error: { message: "Invalid model" } }) // "Invalid model"
 * ```
 *
 * @since 0.1.0
 */
export const errorMessage = (body: unknown): string | undefined => errors.errorMessage(body)

// ---------------------------------------------------------------------------
// retry-after
// ---------------------------------------------------------------------------

/**
 * Response headers as a record (the platform's `Headers` is one); names are looked up
 * lower-cased first.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * const headers: Provider.HeaderRecord = { "retry-after": "2" }
 * const wait = Provider.parseRetryAfter(headers, Date.now()) // Option.some(2 seconds)
 * ```
 *
 * @since 0.1.0
 */
export type HeaderRecord = retry.HeaderRecord

/**
 * The wait named by response headers, relative to `nowMillis`: `retry-after-ms`
 * first, then `retry-after` in seconds or as an HTTP date (a past date is a zero wait).
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * Provider.parseRetryAfter({ "retry-after": "3" }, Date.now()) // Option.some(Duration.seconds(3))
 * ```
 *
 * @since 0.1.0
 */
export const parseRetryAfter = (headers: HeaderRecord, nowMillis: number): Option.Option<Duration.Duration> =>
  retry.parseRetryAfter(headers, nowMillis)

/**
 * One `retry-after` value (seconds or an HTTP date) relative to `nowMillis`.
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * Provider.parseRetryAfterValue("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:00 GMT"))
 * // Option.some(Duration.minutes(1))
 * ```
 *
 * @since 0.1.0
 */
export const parseRetryAfterValue = (value: string, nowMillis: number): Option.Option<Duration.Duration> =>
  retry.parseRetryAfterValue(value, nowMillis)

/**
 * `parseRetryAfter` against the `Clock` (so `TestClock` drives HTTP dates).
 *
 * @example
 * ```ts
 * import { Provider } from "@effect-chat/core"
 *
 * const wait = Provider.retryAfter({ "retry-after-ms": "1500" })
 * ```
 *
 * @since 0.1.0
 */
export const retryAfter = (headers: HeaderRecord): Effect.Effect<Option.Option<Duration.Duration>> =>
  Effect.map(Clock.currentTimeMillis, (now) => retry.parseRetryAfter(headers, now))
