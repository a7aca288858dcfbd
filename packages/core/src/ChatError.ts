/**
 * Typed errors of chat-model calls.
 *
 * Every error is a `Schema.TaggedError` with a `message` and a `retryable` flag, so it
 * can be matched with `Effect.catchTag`, encoded to JSON and decoded back. Constructors
 * need only `message`: `retryable` defaults per class (true for rate limits, timeouts,
 * transport and server errors, false for the rest) and may be overridden.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.RateLimitError({ message: "slow down" })
 * console.log(error.retryable) // true
 * ```
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

const retryableByDefault = (value: boolean) => Schema.optionalWith(Schema.Boolean, { default: () => value })

const common = {
  message: Schema.String,
  provider: optional(Schema.String),
  status: optional(Schema.Number),
  cause: optional(Schema.Defect)
}

/**
 * The provider refused the request because of a rate limit or an exhausted quota (HTTP
 * 429). `retryAfter` is the wait the provider asked for; a quota-exhausted 429 is built
 * with `retryable: false`.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 * import { Duration } from "effect"
 *
 * const error = new ChatError.RateLimitError({ message: "429", retryAfter: Duration.seconds(3) })
 * ```
 *
 * @since 0.1.0
 */
export class RateLimitError extends Schema.TaggedError<RateLimitError>("@effect-chat/core/RateLimitError")(
  "RateLimitError",
  { ...common, retryable: retryableByDefault(true), retryAfter: optional(Schema.DurationFromMillis) }
) {}

/**
 * The API key is missing or wrong (HTTP 401).
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.AuthenticationError({ message: "invalid api key", status: 401 })
 * ```
 *
 * @since 0.1.0
 */
export class AuthenticationError extends Schema.TaggedError<AuthenticationError>(
  "@effect-chat/core/AuthenticationError"
)("AuthenticationError", { ...common, retryable: retryableByDefault(false) }) {}

/**
 * The key is valid but may not use this model or feature (HTTP 403).
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.PermissionDeniedError({ message: "no access to this model" })
 * ```
 *
 * @since 0.1.0
 */
export class PermissionDeniedError extends Schema.TaggedError<PermissionDeniedError>(
  "@effect-chat/core/PermissionDeniedError"
)("PermissionDeniedError", { ...common, retryable: retryableByDefault(false) }) {}

/**
 * The model or endpoint does not exist (HTTP 404).
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.NotFoundError({ message: "model gpt-9 not found" })
 * ```
 *
 * @since 0.1.0
 */
export class NotFoundError extends Schema.TaggedError<NotFoundError>("@effect-chat/core/NotFoundError")(
  "NotFoundError",
  { ...common, retryable: retryableByDefault(false) }
) {}

/**
 * The provider rejected the request as malformed (HTTP 400 or 422).
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.BadRequestError({ message: "unknown parameter" })
 * ```
 *
 * @since 0.1.0
 */
export class BadRequestError extends Schema.TaggedError<BadRequestError>("@effect-chat/core/BadRequestError")(
  "BadRequestError",
  { ...common, retryable: retryableByDefault(false) }
) {}

/**
 * The conversation does not fit into the model's context window.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.ContextLengthExceededError({ message: "maximum context length is 8192 tokens" })
 * ```
 *
 * @since 0.1.0
 */
export class ContextLengthExceededError extends Schema.TaggedError<ContextLengthExceededError>(
  "@effect-chat/core/ContextLengthExceededError"
)("ContextLengthExceededError", { ...common, retryable: retryableByDefault(false) }) {}

/**
 * The provider's content filter blocked the input or the output.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.ContentFilterError({ message: "flagged by the content filter" })
 * ```
 *
 * @since 0.1.0
 */
export class ContentFilterError extends Schema.TaggedError<ContentFilterError>(
  "@effect-chat/core/ContentFilterError"
)("ContentFilterError", { ...common, retryable: retryableByDefault(false) }) {}

/**
 * An attempt did not finish within its `timeout` (for a stream: no first chunk in time).
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.TimeoutError({ message: "no answer within 30 seconds" })
 * ```
 *
 * @since 0.1.0
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>("@effect-chat/core/TimeoutError")(
  "TimeoutError",
  { ...common, retryable: retryableByDefault(true) }
) {}

/**
 * The provider failed on its side (HTTP 5xx, an overloaded or internal error event).
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.ServerError({ message: "overloaded", status: 529 })
 * ```
 *
 * @since 0.1.0
 */
export class ServerError extends Schema.TaggedError<ServerError>("@effect-chat/core/ServerError")(
  "ServerError",
  { ...common, retryable: retryableByDefault(true) }
) {}

/**
 * The connection failed, was reset, or a stream was cut off before the provider's end
 * marker or finish reason.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.TransportError({ message: "socket hang up" })
 * ```
 *
 * @since 0.1.0
 */
export class TransportError extends Schema.TaggedError<TransportError>("@effect-chat/core/TransportError")(
  "TransportError",
  { ...common, retryable: retryableByDefault(true) }
) {}

/**
 * The provider answered with bytes that do not parse as its documented format.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.MalformedResponseError({ message: "unexpected token < in JSON" })
 * ```
 *
 * @since 0.1.0
 */
export class MalformedResponseError extends Schema.TaggedError<MalformedResponseError>(
  "@effect-chat/core/MalformedResponseError"
)("MalformedResponseError", { ...common, retryable: retryableByDefault(false) }) {}

/**
 * The model or provider cannot do what was asked (tools on a model without tool calling,
 * for example).
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.UnsupportedFeatureError({ message: "this model cannot call tools" })
 * ```
 *
 * @since 0.1.0
 */
export class UnsupportedFeatureError extends Schema.TaggedError<UnsupportedFeatureError>(
  "@effect-chat/core/UnsupportedFeatureError"
)("UnsupportedFeatureError", { ...common, retryable: retryableByDefault(false) }) {}

/**
 * The input given to a model or a constructor is not valid (an unknown role, a number as
 * a message, an empty conversation).
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.InvalidInputError({ message: "unknown role 'robot'" })
 * ```
 *
 * @since 0.1.0
 */
export class InvalidInputError extends Schema.TaggedError<InvalidInputError>(
  "@effect-chat/core/InvalidInputError"
)("InvalidInputError", { ...common, retryable: retryableByDefault(false) }) {}

/**
 * Every error a chat-model call can fail with, as a schema (for encoding and decoding)
 * and as a type.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 * import { Schema } from "effect"
 *
 * const decoded = Schema.decodeUnknownSync(ChatError.ChatError)({ _tag: "ServerError", message: "boom" })
 * ```
 *
 * @since 0.1.0
 */
export const ChatError = Schema.Union(
  RateLimitError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  BadRequestError,
  ContextLengthExceededError,
  ContentFilterError,
  TimeoutError,
  ServerError,
  TransportError,
  MalformedResponseError,
  UnsupportedFeatureError,
  InvalidInputError
)

/**
 * The type of every error a chat-model call can fail with: a union of the error
 * classes, discriminated by `_tag`, each with a `message` and a `retryable` flag.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const describe = (error: ChatError.ChatError): string =>
 *   error._tag === "RateLimitError" ? "slow down" : `${error._tag}: ${error.message}`
 * ```
 *
 * @since 0.1.0
 */
export type ChatError = typeof ChatError.Type

const chatErrorTags: ReadonlySet<string> = new Set(ChatError.members.map((member) => member._tag))

/**
 * Tells whether a value is one of the `ChatError` classes.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * ChatError.isChatError(new ChatError.ServerError({ message: "boom" })) // true
 * ChatError.isChatError(new Error("boom")) // false
 * ```
 *
 * @since 0.1.0
 */
export const isChatError = (value: unknown): value is ChatError =>
  Predicate.hasProperty(value, "_tag") &&
  typeof value._tag === "string" &&
  chatErrorTags.has(value._tag) &&
  value instanceof Error

/**
 * The wait the provider asked for before a retry, if it named one.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * import { Duration } from "effect"
 *
 * ChatError.retryAfter(new ChatError.RateLimitError({ message: "429", retryAfter: Duration.seconds(1) }))
 * ```
 *
 * @since 0.1.0
 */
export const retryAfter = (error: ChatError): Duration.Duration | undefined =>
  error._tag === "RateLimitError" && error.retryAfter !== undefined ? error.retryAfter : undefined

/**
 * The model's output could not be turned into the requested structure: it did not
 * parse, did not match the schema, or the model refused. `raw` holds the text the model
 * produced, `refusal` the refusal text when there was one.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 *
 * const error = new ChatError.StructuredOutputError({ message: "expected a number at .age", raw: "{\"age\":\"x\"}" })
 * ```
 *
 * @since 0.1.0
 */
export class StructuredOutputError extends Schema.TaggedError<StructuredOutputError>(
  "@effect-chat/core/StructuredOutputError"
)("StructuredOutputError", {
  message: Schema.String,
  retryable: retryableByDefault(false),
  raw: optional(Schema.String),
  refusal: optional(Schema.String),
  cause: optional(Schema.Defect)
}) {}
