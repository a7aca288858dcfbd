/**
 * The combinators of the `ChatModel` module: retry, fallbacks, bound tools and
 * structured output, each data-first and pipeable (re-exported by the `ChatModel`
 * module).
 *
 * @internal
 */
import { dual } from "effect/Function"
import type * as Schema from "effect/Schema"
import type * as Message from "../Message.js"
import type * as StructuredOutput from "../StructuredOutput.js"
import type * as Tool from "../Tool.js"
import type { Service } from "./calls.js"
import type { BindToolsOptions, FallbackOptions, RetryOptions, WithToolCalls } from "./combinatorOptions.js"
import * as resilience from "./resilience.js"
import * as service from "./service.js"
import * as structured from "./structured.js"
import * as tools from "./tools.js"

/**
 * Retries errors whose `retryable` is true, with exponential backoff and jitter (2
 * retries by default), waiting at least the `retryAfter` a provider asked for. A stream
 * is retried only before its first chunk: a caller never sees a token twice. Applies to
 * structured models too, where an answer that does not parse or decode
 * (`StructuredOutputError`, retryable unless it is a refusal) is asked again.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const model = FakeChatModel.fromResponses(["hi"]).pipe(ChatModel.withRetry({ maxRetries: 3 }))
 * ```
 *
 * @since 0.1.0
 */
export const withRetry: {
  (
    options?: RetryOptions
  ): <Self extends Service<unknown> | StructuredOutput.Model<unknown>>(self: Self) => Self
  <Self extends Service<unknown> | StructuredOutput.Model<unknown>>(self: Self, options?: RetryOptions): Self
} = resilience.withRetry

/**
 * On error, the next model takes the same request (with its own bindings). Streams fall
 * back only before their first chunk. The answering model is named in
 * `responseMetadata.modelName`.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const model = FakeChatModel.fromResponses(["primary"]).pipe(
 *   ChatModel.withFallbacks([FakeChatModel.fromResponses(["backup"])])
 * )
 * ```
 *
 * @since 0.1.0
 */
export const withFallbacks: {
  (
    fallbacks: ReadonlyArray<Service<unknown>>,
    options?: FallbackOptions
  ): <A>(self: Service<A>) => Service<A | Message.AIMessage>
  <A>(
    self: Service<A>,
    fallbacks: ReadonlyArray<Service<unknown>>,
    options?: FallbackOptions
  ): Service<A | Message.AIMessage>
} = resilience.withFallbacks

/**
 * Binds tools to a model: they reach the provider with every request, and the answers'
 * tool calls come back decoded by the tools' Schemas (typed from the tools). Args that
 * are not valid JSON or fail the Schema land in `invalidToolCalls` with the reason.
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
 * const model = FakeChatModel.parrot().pipe(ChatModel.bindTools([weather], { toolChoice: "auto" }))
 *
 * const program = Effect.gen(function* () {
 *   const answer = yield* model.invoke("What's the weather in Paris?")
 *   for (const call of answer.toolCalls) console.log(call.name, call.args.city)
 * })
 * ```
 *
 * @since 0.1.0
 */
export const bindTools: {
  <const Tools extends ReadonlyArray<Tool.Any>>(
    tools: Tools,
    options?: BindToolsOptions
  ): <A>(self: Service<A>) => Service<WithToolCalls<Tools>>
  <A, const Tools extends ReadonlyArray<Tool.Any>>(
    self: Service<A>,
    tools: Tools,
    options?: BindToolsOptions
  ): Service<WithToolCalls<Tools>>
} = dual(
  (args) => service.isService(args[0]),
  <A, const Tools extends ReadonlyArray<Tool.Any>>(
    self: Service<A>,
    toolList: Tools,
    options: BindToolsOptions = {}
  ): Service<WithToolCalls<Tools>> =>
    service.modify(self, (state) => ({
      ...state,
      bindings: [...state.bindings, tools.toolBinding(toolList, options)]
    })) as Service<WithToolCalls<Tools>>
)

/**
 * A model that answers with values of the Schema's type (LangChain's
 * `withStructuredOutput`): `invoke` decodes the answer or fails with a typed
 * `StructuredOutputError` (raw text included), `stream` emits partial objects then the
 * decoded value. The method defaults to what the model's profile supports best.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect, Schema } from "effect"
 *
 * const Answer = Schema.Struct({ answer: Schema.Number, reasoning: Schema.optional(Schema.String) })
 * const model = FakeChatModel.fromResponses(['{"answer":4}']).pipe(
 *   ChatModel.withStructuredOutput(Answer, { method: "jsonMode" })
 * )
 * const four = model.invoke("What is 2 + 2?") // Effect<{ answer: number; reasoning?: string }, …>
 * ```
 *
 * @since 0.1.0
 */
export const withStructuredOutput: {
  <A, I>(
    schema: Schema.Schema<A, I>,
    options: StructuredOutput.Options & { readonly includeRaw: true }
  ): (self: Service) => StructuredOutput.Model<StructuredOutput.WithRaw<A>>
  <A, I>(
    schema: Schema.Schema<A, I>,
    options?: StructuredOutput.Options & { readonly includeRaw?: false }
  ): (self: Service) => StructuredOutput.Model<A>
  <A, I>(
    self: Service,
    schema: Schema.Schema<A, I>,
    options: StructuredOutput.Options & { readonly includeRaw: true }
  ): StructuredOutput.Model<StructuredOutput.WithRaw<A>>
  <A, I>(
    self: Service,
    schema: Schema.Schema<A, I>,
    options?: StructuredOutput.Options & { readonly includeRaw?: false }
  ): StructuredOutput.Model<A>
} = dual(
  (args) => service.isService(args[0]),
  <A, I>(self: Service, schema: Schema.Schema<A, I>, options?: StructuredOutput.Options) =>
    structured.make(self, schema, options)
)
