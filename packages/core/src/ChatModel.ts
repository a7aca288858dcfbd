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
import type * as Layer from "effect/Layer"
import type { InvalidInputError } from "./ChatError.js"
import type { ChatModel } from "./internal/model.js"
import * as registry from "./internal/registry.js"

export {
  /** @since 0.1.0 */
  batch,
  /** @since 0.1.0 */
  batchAsCompleted,
  /** @since 0.1.0 */
  generate,
  /** @since 0.1.0 */
  generatePrompt,
  /** @since 0.1.0 */
  invoke,
  /** @since 0.1.0 */
  runTools,
  /** @since 0.1.0 */
  stream,
  /** @since 0.1.0 */
  streamEvents
} from "./internal/accessors.js"
export type {
  /** @since 0.1.0 */
  BatchOptions,
  /** @since 0.1.0 */
  Callbacks,
  /** @since 0.1.0 */
  CallOptions,
  /** @since 0.1.0 */
  ChatModelEvent,
  /** @since 0.1.0 */
  EventOf,
  /** @since 0.1.0 */
  LLMResult,
  /** @since 0.1.0 */
  RunInfo,
  /** @since 0.1.0 */
  RunToolsOptions,
  /** @since 0.1.0 */
  Service
} from "./internal/calls.js"
export type {
  /** @since 0.1.0 */
  BindToolsOptions,
  /** @since 0.1.0 */
  FallbackOptions,
  /** @since 0.1.0 */
  RetryOptions,
  /** @since 0.1.0 */
  WithToolCalls
} from "./internal/combinatorOptions.js"
export {
  /** @since 0.1.0 */
  bindTools,
  /** @since 0.1.0 */
  withFallbacks,
  /** @since 0.1.0 */
  withRetry,
  /** @since 0.1.0 */
  withStructuredOutput
} from "./internal/combinators.js"
export {
  /** @since 0.1.0 */
  ChatModel,
  /** @since 0.1.0 */
  CurrentCallbacks,
  /** @since 0.1.0 */
  decorate,
  /** @since 0.1.0 */
  isChatModel,
  /** @since 0.1.0 */
  layer,
  /** @since 0.1.0 */
  layerCallbacks,
  /** @since 0.1.0 */
  make,
  /** @since 0.1.0 */
  TypeId
} from "./internal/model.js"
export type {
  /** @since 0.1.0 */
  ChatGeneration,
  /** @since 0.1.0 */
  ChatRequest,
  /** @since 0.1.0 */
  ChatResult,
  /** @since 0.1.0 */
  ChatResultInput,
  /** @since 0.1.0 */
  DisableStreaming,
  /** @since 0.1.0 */
  GenerationInput,
  /** @since 0.1.0 */
  Impl,
  /** @since 0.1.0 */
  ResponseFormat,
  /** @since 0.1.0 */
  ToolChoice,
  /** @since 0.1.0 */
  ToolDefinition
} from "./internal/protocol.js"

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
