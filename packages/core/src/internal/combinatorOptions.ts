/**
 * The options of the combinators (re-exported by the `ChatModel` module, where users
 * find them): `withRetry`, `withFallbacks` and `bindTools`, and the answers of a model
 * with bound tools.
 *
 * @internal
 */
import type * as Schedule from "effect/Schedule"
import type { ChatError, StructuredOutputError } from "../ChatError.js"
import type * as Message from "../Message.js"
import type * as Tool from "../Tool.js"
import type { ToolChoice } from "./protocol.js"

/**
 * Options of `withRetry`.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Schedule } from "effect"
 *
 * const options: ChatModel.RetryOptions = {
 *   maxRetries: 5,
 *   schedule: Schedule.spaced("1 second"),
 *   while: (error) => error._tag !== "TimeoutError"
 * }
 * const model = FakeChatModel.fromResponses(["hi"]).pipe(ChatModel.withRetry(options))
 * ```
 *
 * @since 0.1.0
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 2; caps a given `schedule` only when set). */
  readonly maxRetries?: number
  /** Replaces the default exponential backoff with jitter. */
  readonly schedule?: Schedule.Schedule<unknown, ChatError | StructuredOutputError>
  /** Narrows which retryable errors are retried (never widens). */
  readonly while?: (error: ChatError | StructuredOutputError) => boolean
}

/**
 * Options of `withFallbacks`.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const options: ChatModel.FallbackOptions = {
 *   when: (error) => error._tag === "RateLimitError" || error._tag === "ServerError"
 * }
 * const model = FakeChatModel.fromResponses(["primary"]).pipe(
 *   ChatModel.withFallbacks([FakeChatModel.fromResponses(["backup"])], options)
 * )
 * ```
 *
 * @since 0.1.0
 */
export interface FallbackOptions {
  /** Which errors move on to the next model (all by default). */
  readonly when?: (error: ChatError) => boolean
}

/**
 * Options of `bindTools`: which tool the model must call (`"auto"`, `"any"`, `"none"` or
 * a tool's name), whether it may call several at once, and OpenAI's strict mode.
 *
 * @example
 * ```ts
 * import { ChatModel, Tool } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Schema } from "effect"
 *
 * const weather = Tool.make("weather", {
 *   description: "The weather in a city",
 *   parameters: Schema.Struct({ city: Schema.String })
 * })
 * const options: ChatModel.BindToolsOptions = { toolChoice: "any", parallelToolCalls: false, strict: true }
 * const model = FakeChatModel.parrot().pipe(ChatModel.bindTools([weather], options))
 * ```
 *
 * @since 0.1.0
 */
export interface BindToolsOptions {
  readonly toolChoice?: ToolChoice
  readonly parallelToolCalls?: boolean
  readonly strict?: boolean
}

/**
 * An answer of a model with bound tools: its tool calls are typed from the tools, a
 * union discriminated by `name` with decoded `args`.
 *
 * @example
 * ```ts
 * import { ChatModel, Tool } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect, Schema } from "effect"
 *
 * const weather = Tool.make("weather", {
 *   description: "The weather in a city",
 *   parameters: Schema.Struct({ city: Schema.String })
 * })
 * const cities = (answer: ChatModel.WithToolCalls<readonly [typeof weather]>): ReadonlyArray<string> =>
 *   answer.toolCalls.map((call) => call.args.city)
 * const model = FakeChatModel.parrot().pipe(ChatModel.bindTools([weather]))
 * const program = Effect.map(model.invoke("Weather in Paris and Rome?"), cities)
 * ```
 *
 * @since 0.1.0
 */
export type WithToolCalls<Tools extends ReadonlyArray<Tool.Any>> = Omit<Message.AIMessage, "toolCalls"> & {
  readonly toolCalls: ReadonlyArray<Tool.CallOf<Tools>>
}
