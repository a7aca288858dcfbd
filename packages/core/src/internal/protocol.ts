/**
 * The types of the chat-model protocol and its calls (re-exported by the `ChatModel`
 * module, where users find them).
 *
 * @internal
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type { Pipeable } from "effect/Pipeable"
import type * as Schedule from "effect/Schedule"
import type * as Stream from "effect/Stream"
import type { ChatError, StructuredOutputError } from "../ChatError.js"
import type * as Message from "../Message.js"
import type { ModelProfile } from "../ModelProfile.js"
import type { PromptValue } from "../PromptValue.js"
import type * as Tool from "../Tool.js"
import type { TypeId } from "./service.js"

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
 * The results of `generate`: one list of generations per conversation, summed usage,
 * and one run per conversation.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const totalTokens = ChatModel.generate([[["user", "hi"]], [["user", "bye"]]]).pipe(
 *   Effect.map((result: ChatModel.LLMResult) => result.llmOutput?.tokenUsage?.totalTokens ?? 0)
 * )
 * ```
 *
 * @since 0.1.0
 */
export interface LLMResult {
  readonly generations: ReadonlyArray<ReadonlyArray<ChatGeneration>>
  readonly llmOutput?: {
    readonly tokenUsage?: Message.UsageMetadata
    readonly modelName?: string
  }
  readonly run: ReadonlyArray<{ readonly runId: string }>
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

// ---------------------------------------------------------------------------
// calls
// ---------------------------------------------------------------------------

/**
 * Facts about one run, given to every callback.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const describe = (run: ChatModel.RunInfo): string => `${run.runName} (${run.llmType}) ${run.runId}`
 * const Logging = ChatModel.layerCallbacks({ onStart: (event) => Effect.log(describe(event)) })
 * ```
 *
 * @since 0.1.0
 */
export interface RunInfo {
  readonly runId: string
  readonly runName: string
  readonly llmType: string
  readonly tags: ReadonlyArray<string>
  readonly metadata: Readonly<Record<string, unknown>>
}

/**
 * Callbacks of a run (LangChain's callback handlers, as effects). A failing callback is
 * logged and never fails the call. `onToken` runs before its chunk is emitted.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const callbacks: ChatModel.Callbacks = {
 *   onStart: ({ runId, messages }) => Effect.log(`run ${runId}: ${messages.length} messages`),
 *   onToken: ({ token }) => Effect.sync(() => process.stdout.write(token)),
 *   onError: ({ error }) => Effect.logError(error.message)
 * }
 * const reply = ChatModel.invoke("hi", { callbacks })
 * ```
 *
 * @since 0.1.0
 */
export interface Callbacks {
  readonly onStart?: (
    event: RunInfo & { readonly messages: ReadonlyArray<Message.Message> }
  ) => Effect.Effect<void, unknown>
  readonly onToken?: (
    event: RunInfo & { readonly token: string; readonly chunk: Message.AIMessageChunk }
  ) => Effect.Effect<void, unknown>
  readonly onEnd?: (event: RunInfo & { readonly result: ChatResult }) => Effect.Effect<void, unknown>
  readonly onError?: (event: RunInfo & { readonly error: ChatError }) => Effect.Effect<void, unknown>
}

/**
 * Options of one call.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const options: ChatModel.CallOptions = {
 *   stop: ["\n\n"],
 *   timeout: "30 seconds",
 *   tags: ["support"],
 *   metadata: { userId: "u-42" },
 *   providerOptions: { top_p: 0.9 }
 * }
 * const reply = ChatModel.invoke("Summarize our refund policy.", options)
 * ```
 *
 * @since 0.1.0
 */
export interface CallOptions {
  /** Stop sequences (replace the bound ones). */
  readonly stop?: ReadonlyArray<string>
  readonly tags?: ReadonlyArray<string>
  readonly metadata?: Readonly<Record<string, unknown>>
  readonly runName?: string
  /** The run's id (a UUID is made when absent); message ids default to `run-<runId>`. */
  readonly runId?: string
  /** Per attempt: the whole call for `invoke`, the wait for the first chunk for `stream`. */
  readonly timeout?: Duration.DurationInput
  readonly callbacks?: Callbacks | ReadonlyArray<Callbacks>
  /** Passed through to the provider (LangChain's `**kwargs`). */
  readonly providerOptions?: Readonly<Record<string, unknown>>
}

/**
 * Options of `batch`, `batchAsCompleted` and `generate`.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const options: ChatModel.BatchOptions = { concurrency: 4, tags: ["nightly-eval"], timeout: "1 minute" }
 * const replies = ChatModel.batch(["question 1", "question 2", "question 3"], options)
 * ```
 *
 * @since 0.1.0
 */
export interface BatchOptions extends Omit<CallOptions, "runId"> {
  /** How many calls run at once (default 8). */
  readonly concurrency?: number
}

/**
 * An event of `streamEvents`.
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { Effect, Stream } from "effect"
 *
 * const logged = ChatModel.streamEvents("hi").pipe(
 *   Stream.runForEach((event: ChatModel.ChatModelEvent) => {
 *     switch (event.event) {
 *       case "on_chat_model_stream":
 *         return Effect.log(Message.text(event.data.chunk))
 *       case "on_chat_model_end":
 *         return Effect.log("usage", event.data.output.usageMetadata)
 *       default:
 *         return Effect.void
 *     }
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 */
export type ChatModelEvent =
  | EventOf<"on_chat_model_start", { readonly input: ReadonlyArray<Message.Message> }>
  | EventOf<"on_chat_model_stream", { readonly chunk: Message.AIMessageChunk }>
  | EventOf<"on_chat_model_end", { readonly output: Message.AIMessage }>

/**
 * One kind of event of `streamEvents`: its name, the run it belongs to, and its data.
 *
 * @example
 * ```ts
 * import { type ChatModel, Message } from "@effect-chat/core"
 *
 * type TokenEvent = ChatModel.EventOf<"on_chat_model_stream", { readonly chunk: Message.AIMessageChunk }>
 * const tokenOf = (event: TokenEvent): string => Message.text(event.data.chunk)
 * ```
 *
 * @since 0.1.0
 */
export interface EventOf<Name extends string, Data> {
  readonly event: Name
  readonly runId: string
  readonly parentIds: ReadonlyArray<string>
  readonly name: string
  readonly tags: ReadonlyArray<string>
  readonly metadata: Readonly<Record<string, unknown>>
  readonly data: Data
}

/**
 * A chat model. `Output` narrows the answers of a model with bound tools.
 *
 * @example
 * ```ts
 * import type { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const ask = (model: ChatModel.Service, question: string) => model.invoke(question, { tags: ["faq"] })
 * const answer = ask(FakeChatModel.fromResponses(["42"]), "What is the answer?")
 * ```
 *
 * @since 0.1.0
 */
export interface Service<Output = Message.AIMessage> extends Pipeable {
  readonly [TypeId]: typeof TypeId
  readonly llmType: string
  readonly identifyingParams: Readonly<Record<string, unknown>>
  readonly profile: ModelProfile
  /** One call. */
  invoke(input: Message.ChatInput, options?: CallOptions): Effect.Effect<Output, ChatError>
  /** The answer as chunks; the final chunk has `last: true`. */
  stream(input: Message.ChatInput, options?: CallOptions): Stream.Stream<Message.AIMessageChunk, ChatError>
  /** Several calls, `concurrency` at a time, answers in input order. */
  batch(
    inputs: ReadonlyArray<Message.ChatInput>,
    options: BatchOptions & { readonly returnExceptions: true }
  ): Effect.Effect<ReadonlyArray<Either.Either<Output, ChatError>>>
  batch(
    inputs: ReadonlyArray<Message.ChatInput>,
    options?: BatchOptions & { readonly returnExceptions?: false }
  ): Effect.Effect<ReadonlyArray<Output>, ChatError>
  /** Several calls, each answer with its input's index as soon as it is done. */
  batchAsCompleted(
    inputs: ReadonlyArray<Message.ChatInput>,
    options?: BatchOptions
  ): Stream.Stream<readonly [index: number, result: Either.Either<Output, ChatError>]>
  /** Several conversations to an `LLMResult`; all finish before the first error is reported. */
  generate(
    conversations: ReadonlyArray<ReadonlyArray<Message.MessageLike>>,
    options?: BatchOptions
  ): Effect.Effect<LLMResult, ChatError>
  /** `generate` from prompt values. */
  generatePrompt(
    prompts: ReadonlyArray<PromptValue>,
    options?: BatchOptions
  ): Effect.Effect<LLMResult, ChatError>
  /** The run as events: start, one per chunk, end. */
  streamEvents(input: Message.ChatInput, options?: CallOptions): Stream.Stream<ChatModelEvent, ChatError>
  /**
   * The tool loop: call, run the tool calls, call again, until an answer without tool
   * calls or `maxSteps` (default 10) model calls; emits each AI message, then its tool
   * messages.
   */
  runTools<const Tools extends ReadonlyArray<Tool.Any>>(
    input: Message.ChatInput,
    options: RunToolsOptions<Tools>
  ): Stream.Stream<Message.Message, ChatError | Tool.ToolError, Tool.Requirements<Tools[number]>>
}

/**
 * Options of `runTools`: the tools, the most model calls (`maxSteps`, default 10), how
 * tool failures are handled (`failureMode`, default `"return"`: sent back to the model
 * as error tool messages) and how many tool calls run at once (`toolConcurrency`).
 *
 * @example
 * ```ts
 * import { ChatModel, Tool } from "@effect-chat/core"
 * import { Effect, Schema } from "effect"
 *
 * const add = Tool.make("add", {
 *   description: "Add two numbers",
 *   parameters: Schema.Struct({ a: Schema.Number, b: Schema.Number }),
 *   handler: ({ a, b }) => Effect.succeed(a + b)
 * })
 * const options: ChatModel.RunToolsOptions<readonly [typeof add]> = {
 *   tools: [add],
 *   maxSteps: 4,
 *   failureMode: "fail",
 *   toolConcurrency: 2
 * }
 * const transcript = ChatModel.runTools("What is 2 + 2?", options)
 * ```
 *
 * @since 0.1.0
 */
export interface RunToolsOptions<Tools extends ReadonlyArray<Tool.Any>> extends CallOptions {
  readonly tools: Tools
  readonly maxSteps?: number
  readonly failureMode?: "return" | "fail"
  readonly toolConcurrency?: number
}

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
