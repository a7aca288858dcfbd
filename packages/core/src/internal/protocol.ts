/**
 * The provider protocol (re-exported by the `ChatModel` module, where users find it):
 * what a provider writes (`Impl`), the request it receives (`ChatRequest`, with tool
 * definitions, tool choice and response format) and the results it returns.
 *
 * @internal
 */
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import type { ChatError } from "../ChatError.js"
import type * as Message from "../Message.js"
import type { ModelProfile } from "../ModelProfile.js"

/**
 * A tool as a provider sees it: its name, description and JSON Schema parameters.
 *
 * @example
 * ```ts
 * import { type ChatModel, Tool } from "@effect-chat/core"
 * import { Schema } from "effect"
 *
 * const weather = Tool.make("weather", {
 *   description: "The weather in a city",
 *   parameters: Schema.Struct({ city: Schema.String })
 * })
 * const definition: ChatModel.ToolDefinition = weather.definition()
 * // a provider turns it into its wire format
 * const wire = { type: "function", function: { name: definition.name, parameters: definition.parameters } }
 * ```
 *
 * @since 0.1.0
 */
export interface ToolDefinition {
  readonly name: string
  readonly description: string
  readonly parameters: Record<string, unknown>
  readonly strict?: boolean
}

/**
 * Which tool the model must call: `"auto"` (it decides), `"any"` (some tool), `"none"`,
 * or a tool's name.
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
 * const toolChoice: ChatModel.ToolChoice = "weather" // must call the tool named "weather"
 * const model = FakeChatModel.parrot().pipe(ChatModel.bindTools([weather], { toolChoice }))
 * ```
 *
 * @since 0.1.0
 */
export type ToolChoice = "auto" | "any" | "none" | (string & {})

/**
 * The requested shape of the answer: any JSON object, or JSON matching a schema.
 *
 * @example
 * ```ts
 * import type { ChatModel } from "@effect-chat/core"
 *
 * // how a provider reads `request.responseFormat`
 * const toWire = (format: ChatModel.ResponseFormat) =>
 *   format.type === "json"
 *     ? { type: "json_object" }
 *     : { type: "json_schema", json_schema: { name: format.name, schema: format.schema, strict: format.strict } }
 * ```
 *
 * @since 0.1.0
 */
export type ResponseFormat =
  | { readonly type: "json" }
  | {
      readonly type: "jsonSchema"
      readonly name: string
      readonly schema: Record<string, unknown>
      readonly strict: boolean
      readonly description?: string
    }

/**
 * One request as a provider receives it: the normalized messages, plus everything bound
 * to the model and given with the call.
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const describe = (request: ChatModel.ChatRequest): string =>
 *   `${request.messages.length} messages, ${request.tools.length} tools, stop: ${request.stop?.join(",") ?? "none"}`
 * const model = ChatModel.make({
 *   llmType: "describe",
 *   generate: (request) => Effect.succeed({ generations: [{ message: Message.ai(describe(request)) }] })
 * })
 * ```
 *
 * @since 0.1.0
 */
export interface ChatRequest {
  readonly messages: ReadonlyArray<Message.Message>
  readonly stop?: ReadonlyArray<string>
  readonly tools: ReadonlyArray<ToolDefinition>
  readonly toolChoice?: ToolChoice
  readonly parallelToolCalls?: boolean
  readonly responseFormat?: ResponseFormat
  readonly providerOptions: Readonly<Record<string, unknown>>
  readonly runId: string
  readonly tags: ReadonlyArray<string>
  readonly metadata: Readonly<Record<string, unknown>>
}

/**
 * One generated answer.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const texts = ChatModel.generate([[["user", "hi"]], [["user", "bye"]]]).pipe(
 *   Effect.map((result) => result.generations.flat().map((generation: ChatModel.ChatGeneration) => generation.text))
 * )
 * ```
 *
 * @since 0.1.0
 */
export interface ChatGeneration {
  readonly message: Message.AIMessage
  /** The text of the message. */
  readonly text: string
  readonly generationInfo?: Readonly<Record<string, unknown>>
}

/**
 * The answers to one conversation (several with `n` > 1).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const summarize = (result: ChatModel.ChatResult): string =>
 *   result.generations.map((generation) => generation.text).join(" | ")
 * const Logging = ChatModel.layerCallbacks({ onEnd: ({ result }) => Effect.log(summarize(result)) })
 * ```
 *
 * @since 0.1.0
 */
export interface ChatResult {
  readonly generations: readonly [ChatGeneration, ...Array<ChatGeneration>]
  readonly llmOutput?: Readonly<Record<string, unknown>>
}

/**
 * What a provider's `generate` may return: plain objects of the right shape are fine
 * (`text` is derived from the message when absent).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const result: ChatModel.ChatResultInput = {
 *   generations: [{ message: { content: "Hello!" } }],
 *   llmOutput: { systemFingerprint: "fp_1" }
 * }
 * const hello = ChatModel.make({ llmType: "hello", generate: () => Effect.succeed(result) })
 * ```
 *
 * @since 0.1.0
 */
export interface ChatResultInput {
  readonly generations: readonly [GenerationInput, ...Array<GenerationInput>]
  readonly llmOutput?: Readonly<Record<string, unknown>>
}

/**
 * A generation as a provider may return it.
 *
 * @example
 * ```ts
 * import type { ChatModel } from "@effect-chat/core"
 *
 * const generation: ChatModel.GenerationInput = {
 *   message: { content: "Bonjour", responseMetadata: { finishReason: "stop" } },
 *   generationInfo: { finish_reason: "stop" }
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface GenerationInput {
  readonly message: Message.AIMessage | Message.AIFields
  readonly text?: string
  readonly generationInfo?: Readonly<Record<string, unknown>>
}

/**
 * When streaming is turned off: always, or only for requests with tools.
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const disableStreaming: ChatModel.DisableStreaming = "toolCalling"
 * const model = ChatModel.make({
 *   llmType: "no-streamed-tools",
 *   disableStreaming,
 *   generate: () => Effect.succeed({ generations: [{ message: Message.ai("ok") }] })
 * })
 * ```
 *
 * @since 0.1.0
 */
export type DisableStreaming = boolean | "toolCalling"

interface ImplBase {
  /** A short name of the implementation (LangChain's `_llm_type`), e.g. `"openai-chat"`. */
  readonly llmType: string
  /** The parameters that identify the model (model name, temperature, …). */
  readonly identifyingParams?: Readonly<Record<string, unknown>>
  /** What the model can do; conservative defaults for what is left out. */
  readonly profile?: Partial<ModelProfile>
  /** Turn streaming off (stream falls back to one chunk from `generate`). */
  readonly disableStreaming?: DisableStreaming
}

/**
 * The protocol a provider writes (LangChain's `_generate`, `_stream`, `_llm_type`,
 * `_identifying_params`): `generate`, `stream`, or both.
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { Stream } from "effect"
 *
 * const shout: ChatModel.Impl = {
 *   llmType: "shout",
 *   identifyingParams: { model: "shout-1" },
 *   profile: { maxInputTokens: 4096 },
 *   stream: (request) => Stream.make(Message.chunk({ content: Message.text(request.messages.at(-1)!).toUpperCase() }))
 * }
 * const model = ChatModel.make(shout) // `invoke` merges the stream
 * ```
 *
 * @since 0.1.0
 */
export type Impl =
  | (ImplBase & {
      readonly generate: (request: ChatRequest) => Effect.Effect<ChatResultInput, ChatError>
      readonly stream?: (request: ChatRequest) => Stream.Stream<Message.AIMessageChunk, ChatError>
    })
  | (ImplBase & {
      readonly generate?: (request: ChatRequest) => Effect.Effect<ChatResultInput, ChatError>
      readonly stream: (request: ChatRequest) => Stream.Stream<Message.AIMessageChunk, ChatError>
    })
