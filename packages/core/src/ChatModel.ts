/**
 * The chat-model service: LangChain's `BaseChatModel` surface (`invoke`, `stream`,
 * `batch`, `batchAsCompleted`, `generate`, `generatePrompt`, `streamEvents`) as an
 * Effect service, built from a small provider protocol with `ChatModel.make`, provided
 * as a layer, and decorated with combinators (`withRetry`, `withFallbacks`).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const reply = yield* ChatModel.invoke("Hello!")
 *   console.log(reply.content)
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(ChatModel.layer(FakeChatModel.fromResponses(["Hi there!"])))))
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { ChatError, InvalidInputError } from "./ChatError.js"
import type {
  BatchOptions,
  BindToolsOptions,
  Callbacks,
  CallOptions,
  ChatModelEvent,
  FallbackOptions,
  Impl,
  LLMResult,
  RetryOptions,
  RunToolsOptions,
  Service,
  WithToolCalls
} from "./internal/protocol.js"
import * as registry from "./internal/registry.js"
import * as resilience from "./internal/resilience.js"
import * as service from "./internal/service.js"
import * as structured from "./internal/structured.js"
import * as tools from "./internal/tools.js"
import type * as Message from "./Message.js"
import type { PromptValue } from "./PromptValue.js"
import type * as StructuredOutput from "./StructuredOutput.js"
import type * as Tool from "./Tool.js"

export type {
  /** @since 0.1.0 */
  BatchOptions,
  /** @since 0.1.0 */
  BindToolsOptions,
  /** @since 0.1.0 */
  Callbacks,
  /** @since 0.1.0 */
  CallOptions,
  /** @since 0.1.0 */
  ChatGeneration,
  /** @since 0.1.0 */
  ChatModelEvent,
  /** @since 0.1.0 */
  ChatRequest,
  /** @since 0.1.0 */
  ChatResult,
  /** @since 0.1.0 */
  ChatResultInput,
  /** @since 0.1.0 */
  DisableStreaming,
  /** @since 0.1.0 */
  EventOf,
  /** @since 0.1.0 */
  FallbackOptions,
  /** @since 0.1.0 */
  GenerationInput,
  /** @since 0.1.0 */
  Impl,
  /** @since 0.1.0 */
  LLMResult,
  /** @since 0.1.0 */
  ResponseFormat,
  /** @since 0.1.0 */
  RetryOptions,
  /** @since 0.1.0 */
  RunInfo,
  /** @since 0.1.0 */
  RunToolsOptions,
  /** @since 0.1.0 */
  Service,
  /** @since 0.1.0 */
  ToolChoice,
  /** @since 0.1.0 */
  ToolDefinition,
  /** @since 0.1.0 */
  WithToolCalls
} from "./internal/protocol.js"

// ---------------------------------------------------------------------------
// the service
// ---------------------------------------------------------------------------

/**
 * The brand of chat-model services (the key `isChatModel` looks for).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * ChatModel.TypeId in FakeChatModel.fromResponses(["hi"]) // true
 * ```
 *
 * @since 0.1.0
 */
export const TypeId: typeof service.TypeId = service.TypeId

/**
 * The type of the brand of chat-model services.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const brandOf = (model: ChatModel.Service): ChatModel.TypeId => model[ChatModel.TypeId]
 * ```
 *
 * @since 0.1.0
 */
export type TypeId = typeof TypeId

/**
 * The tag of the chat model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const model = yield* ChatModel.ChatModel
 *   return yield* model.invoke("hi")
 * })
 * ```
 *
 * @since 0.1.0
 */
export class ChatModel extends Context.Tag("@effect-chat/core/ChatModel")<ChatModel, Service>() {}

/**
 * Builds a chat model from the provider protocol. Everything else (input coercion,
 * generate from stream and stream from generate, stop sequences, callbacks, events,
 * tracing, batching, the combinators) is supplied here, once for every provider.
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const echo = ChatModel.make({
 *   llmType: "echo",
 *   generate: (request) =>
 *     Effect.succeed({ generations: [{ message: Message.ai(Message.text(request.messages.at(-1)!)) }] })
 * })
 * ```
 *
 * @since 0.1.0
 */
export const make = (impl: Impl): Service => service.make(impl)

/**
 * Tells whether a value is a chat-model service.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * ChatModel.isChatModel({}) // false
 * ```
 *
 * @since 0.1.0
 */
export const isChatModel = (value: unknown): value is Service => service.isService(value)

/**
 * A layer that provides the given service under the `ChatModel` tag.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const ModelLive = ChatModel.layer(FakeChatModel.fromResponses(["hello"]))
 * ```
 *
 * @since 0.1.0
 */
export const layer = (model: Service<unknown>): Layer.Layer<ChatModel> =>
  // a model with bound tools answers messages whose tool-call args are decoded values
  // (possibly class instances): at runtime they are still the records the tag promises
  Layer.succeed(ChatModel, model as Service)

/**
 * Applies a combinator to the model of a layer.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const ModelLive = ChatModel.layer(FakeChatModel.fromResponses(["hello"])).pipe(
 *   ChatModel.decorate(ChatModel.withRetry({ maxRetries: 3 }))
 * )
 * ```
 *
 * @since 0.1.0
 */
export const decorate =
  (f: (model: Service) => Service) =>
  <E, R>(self: Layer.Layer<ChatModel, E, R>): Layer.Layer<ChatModel, E, R> =>
    Layer.map(self, (context) => Context.add(context, ChatModel, f(Context.get(context, ChatModel))))

/**
 * Callbacks for every call of a program (in addition to the callbacks of each call).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const Logging = ChatModel.layerCallbacks({
 *   onEnd: ({ runId, result }) => Effect.log(`run ${runId}: ${result.generations[0].text}`)
 * })
 * ```
 *
 * @since 0.1.0
 */
export const layerCallbacks = (
  callbacks: Callbacks | ReadonlyArray<Callbacks>
): Layer.Layer<CurrentCallbacks> => Layer.succeed(CurrentCallbacks, service.toCallbackList(callbacks))

/**
 * The callbacks every call of a program runs (empty unless `layerCallbacks` provides
 * some). A `Context.Reference`: reading it never needs a layer.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const callbacks = Effect.map(ChatModel.CurrentCallbacks, (list) => list.length)
 * ```
 *
 * @since 0.1.0
 */
export const CurrentCallbacks: typeof service.CurrentCallbacks = service.CurrentCallbacks

/**
 * The identifier of `CurrentCallbacks` in a context: what a layer of program-wide
 * callbacks provides.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect, type Layer } from "effect"
 *
 * const Logging: Layer.Layer<ChatModel.CurrentCallbacks> = ChatModel.layerCallbacks({
 *   onStart: ({ runId }) => Effect.log(`run ${runId} started`)
 * })
 * ```
 *
 * @since 0.1.0
 */
export type CurrentCallbacks = service.CurrentCallbacks

// ---------------------------------------------------------------------------
// accessors
// ---------------------------------------------------------------------------

/**
 * `invoke` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const reply = ChatModel.invoke([["system", "Be brief."], ["user", "hi"]])
 * ```
 *
 * @since 0.1.0
 */
export const invoke = (
  input: Message.ChatInput,
  options?: CallOptions
): Effect.Effect<Message.AIMessage, ChatError, ChatModel> =>
  Effect.flatMap(ChatModel, (model) => model.invoke(input, options))

/**
 * `stream` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { Effect, Stream } from "effect"
 *
 * const printed = ChatModel.stream("Tell me a story").pipe(
 *   Stream.runForEach((chunk) => Effect.sync(() => process.stdout.write(Message.text(chunk))))
 * )
 * ```
 *
 * @since 0.1.0
 */
export const stream = (
  input: Message.ChatInput,
  options?: CallOptions
): Stream.Stream<Message.AIMessageChunk, ChatError, ChatModel> =>
  Stream.unwrap(Effect.map(ChatModel, (model) => model.stream(input, options)))

/**
 * `batch` on the model in the context: the answers in input order, failing with the
 * first error; with `returnExceptions: true`, each answer or error as an `Either`
 * (never failing).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect, Either } from "effect"
 *
 * const replies = ChatModel.batch(["one", "two", "three"], { concurrency: 2 })
 * const answered = ChatModel.batch(["one", "two"], { returnExceptions: true }).pipe(
 *   Effect.map((results) => results.filter(Either.isRight).length)
 * )
 * ```
 *
 * @since 0.1.0
 */
export function batch(
  inputs: ReadonlyArray<Message.ChatInput>,
  options: BatchOptions & { readonly returnExceptions: true }
): Effect.Effect<ReadonlyArray<Either.Either<Message.AIMessage, ChatError>>, never, ChatModel>
export function batch(
  inputs: ReadonlyArray<Message.ChatInput>,
  options?: BatchOptions & { readonly returnExceptions?: false }
): Effect.Effect<ReadonlyArray<Message.AIMessage>, ChatError, ChatModel>
export function batch(
  inputs: ReadonlyArray<Message.ChatInput>,
  options?: BatchOptions & { readonly returnExceptions?: boolean }
): Effect.Effect<
  ReadonlyArray<Message.AIMessage | Either.Either<Message.AIMessage, ChatError>>,
  ChatError,
  ChatModel
> {
  return options?.returnExceptions === true
    ? Effect.flatMap(ChatModel, (model) => model.batch(inputs, { ...options, returnExceptions: true }))
    : Effect.flatMap(ChatModel, (model) => model.batch(inputs, { ...options, returnExceptions: false }))
}

/**
 * `batchAsCompleted` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const results = ChatModel.batchAsCompleted(["slow question", "quick question"])
 * ```
 *
 * @since 0.1.0
 */
export const batchAsCompleted = (
  inputs: ReadonlyArray<Message.ChatInput>,
  options?: BatchOptions
): Stream.Stream<
  readonly [index: number, result: Either.Either<Message.AIMessage, ChatError>],
  never,
  ChatModel
> => Stream.unwrap(Effect.map(ChatModel, (model) => model.batchAsCompleted(inputs, options)))

/**
 * `generate` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const result = ChatModel.generate([[["user", "hi"]], [["user", "bye"]]])
 * ```
 *
 * @since 0.1.0
 */
export const generate = (
  conversations: ReadonlyArray<ReadonlyArray<Message.MessageLike>>,
  options?: BatchOptions
): Effect.Effect<LLMResult, ChatError, ChatModel> =>
  Effect.flatMap(ChatModel, (model) => model.generate(conversations, options))

/**
 * `generatePrompt` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel, PromptValue } from "@effect-chat/core"
 *
 * const result = ChatModel.generatePrompt([PromptValue.fromString("hi")])
 * ```
 *
 * @since 0.1.0
 */
export const generatePrompt = (
  prompts: ReadonlyArray<PromptValue>,
  options?: BatchOptions
): Effect.Effect<LLMResult, ChatError, ChatModel> =>
  Effect.flatMap(ChatModel, (model) => model.generatePrompt(prompts, options))

/**
 * `streamEvents` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const events = ChatModel.streamEvents("hi")
 * ```
 *
 * @since 0.1.0
 */
export const streamEvents = (
  input: Message.ChatInput,
  options?: CallOptions
): Stream.Stream<ChatModelEvent, ChatError, ChatModel> =>
  Stream.unwrap(Effect.map(ChatModel, (model) => model.streamEvents(input, options)))

// ---------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------

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

/**
 * `runTools` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel, Message, Tool } from "@effect-chat/core"
 * import { Effect, Schema, Stream } from "effect"
 *
 * const add = Tool.make("add", {
 *   description: "Add two numbers",
 *   parameters: Schema.Struct({ a: Schema.Number, b: Schema.Number }),
 *   handler: ({ a, b }) => Effect.succeed(a + b)
 * })
 * const transcript = ChatModel.runTools("What is 2 + 2?", { tools: [add], maxSteps: 4 }).pipe(
 *   Stream.runForEach((message) => Effect.log(message._tag, Message.text(message)))
 * )
 * ```
 *
 * @since 0.1.0
 */
export const runTools = <const Tools extends ReadonlyArray<Tool.Any>>(
  input: Message.ChatInput,
  options: RunToolsOptions<Tools>
): Stream.Stream<Message.Message, ChatError | Tool.ToolError, ChatModel | Tool.Requirements<Tools[number]>> =>
  Stream.unwrap(Effect.map(ChatModel, (model) => model.runTools(input, options)))

// ---------------------------------------------------------------------------
// models by name
// ---------------------------------------------------------------------------

/**
 * What a provider registers with `registerProvider`: the layer of its chat model for a
 * model name and the options given to `fromString` (a string `apiKey` arrives as
 * `Redacted`).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Layer } from "effect"
 *
 * const factory: ChatModel.ProviderFactory = (model) =>
 *   Layer.succeed(ChatModel.ChatModel, FakeChatModel.fromResponses([`I am ${model}`]))
 * ```
 *
 * @since 0.1.0
 */
export type ProviderFactory = (
  model: string,
  options: Readonly<Record<string, unknown>>
) => Layer.Layer<ChatModel, InvalidInputError | ConfigError.ConfigError, HttpClient.HttpClient>

/**
 * Registers a provider for `fromString` under a name (case-insensitive; a later
 * registration replaces an earlier one). Provider packages call it when they are
 * imported: `@effect-chat/openai` registers `"openai"` (Chat Completions) and
 * `"openai-responses"` (the Responses API).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Layer } from "effect"
 *
 * ChatModel.registerProvider("fake", (model) =>
 *   Layer.succeed(ChatModel.ChatModel, FakeChatModel.fromResponses([`I am ${model}`]))
 * )
 * const Model = ChatModel.fromString("fake:echo-1")
 * ```
 *
 * @since 0.1.0
 */
export const registerProvider = (name: string, factory: ProviderFactory): void =>
  registry.register(name, factory)

/**
 * The names of the registered providers, sorted.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import "@effect-chat/openai"
 *
 * ChatModel.registeredProviders() // ["openai", "openai-responses"]
 * ```
 *
 * @since 0.1.0
 */
export const registeredProviders = (): ReadonlyArray<string> => registry.registered()

/**
 * The provider a model name implies, as LangChain's `init_chat_model` infers it:
 * `gpt-…`, `chatgpt…`, `o1…`, `o3…`, `o4…`, `text-davinci…` and `ft:gpt-…` are
 * `"openai"`; `claude…` `"anthropic"`; `gemini…` `"google"`; `command…` `"cohere"`;
 * `mistral…`, `mixtral…`, `codestral…` `"mistralai"`; `deepseek…` `"deepseek"`; `grok…`
 * `"xai"`; `sonar…` `"perplexity"`. `undefined` when no rule applies.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * ChatModel.inferProvider("claude-sonnet-4-5") // "anthropic"
 * ChatModel.inferProvider("llama3.2") // undefined
 * ```
 *
 * @since 0.1.0
 */
export const inferProvider = (model: string): string | undefined => registry.infer(model)

/**
 * A chat model chosen by a string (LangChain's `init_chat_model`): `"provider:model"`
 * (`"openai:gpt-4.1-mini"`), or a bare model name whose provider is inferred (see
 * `inferProvider`). The part before the first `:` is the provider only when it names one
 * (so `"ollama:llama3.2:1b"` is Ollama's `llama3.2:1b`). `options` go to the provider's
 * factory (its configuration fields, such as `temperature`, `baseUrl` or `apiKey`; a
 * string `apiKey` is wrapped in `Redacted`). The spec is resolved when the layer is
 * built: an empty spec, a provider that cannot be inferred, or one that is not
 * registered (its package not imported) fails with `InvalidInputError` listing the
 * registered providers.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import "@effect-chat/openai" // registers "openai" and "openai-responses"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 *
 * const Model = ChatModel.fromString("openai:gpt-4.1-mini", { temperature: 0 }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 *
 * Effect.runPromise(ChatModel.invoke("Hello!").pipe(Effect.provide(Model)))
 * ```
 *
 * @since 0.1.0
 */
export const fromString = (
  spec: string,
  options?: Readonly<Record<string, unknown>>
): Layer.Layer<ChatModel, InvalidInputError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  registry.fromString(spec, options)
