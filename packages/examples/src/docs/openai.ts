/**
 * The examples of docs/providers/openai.md: OpenAI's Chat Completions and Responses APIs
 * and OpenAI-compatible servers through `@effect-chat/openai`. Each layer needs an
 * `HttpClient` (the `...Live` ones provide `FetchHttpClient.layer` themselves);
 * test/docs/openai.*.test.ts runs every one of them against a loopback server.
 *
 * Importing this module runs nothing but the OpenAI package's registration of
 * `"openai"` and `"openai-responses"` for `ChatModel.fromString`.
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { type ChatError, ChatModel, Message, type ModelProfile } from "@effect-chat/core"
import { OpenAiChatModel, OpenAiResponsesModel } from "@effect-chat/openai"
import { Config, type ConfigError, Effect, Layer, type Redacted, Stream } from "effect"

// ---------------------------------------------------------------------------
// Setup
// ---------------------------------------------------------------------------

/**
 * OpenAI's Chat Completions, configured from the environment: `OPENAI_API_KEY`,
 * `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, `OPENAI_MODEL`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OpenAiLive, program } from "./openai.js"
 *
 * Effect.runPromise(program.pipe(Effect.provide(OpenAiLive)))
 * ```
 */
export const OpenAiLive: Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError> =
  OpenAiChatModel.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

/** What `program` got back. */
export interface ProgramResult {
  readonly reply: Message.AIMessage
  readonly streamed: Message.AIMessage
}

/**
 * One call and one stream with whatever model the context provides.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { main } from "./openai.js"
 *
 * Effect.runPromise(main).then(({ reply }) => console.log(reply.content))
 * ```
 */
export const program: Effect.Effect<ProgramResult, ChatError.ChatError, ChatModel.ChatModel> = Effect.gen(
  function* () {
    const reply = yield* ChatModel.invoke("Say hello in French.")
    const merged = yield* ChatModel.stream("Now in Spanish.").pipe(
      Stream.tap((chunk) => Effect.sync(() => process.stdout.write(Message.text(chunk)))),
      Stream.runFold(Message.chunk({ content: "" }), Message.concat)
    )
    return { reply, streamed: Message.toMessage(merged) }
  }
)

/** `program` with OpenAI from the environment. */
export const main: Effect.Effect<ProgramResult, ChatError.ChatError | ConfigError.ConfigError> = program.pipe(
  Effect.provide(OpenAiLive)
)

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/**
 * Every field given in code: `layer` reads nothing from the environment.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 * import { configured } from "./openai.js"
 *
 * const Model = configured(Redacted.make("sk-...")).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const configured = (
  apiKey: Redacted.Redacted<string>
): Layer.Layer<ChatModel.ChatModel, never, HttpClient.HttpClient> =>
  OpenAiChatModel.layer({
    model: "gpt-4.1",
    apiKey,
    temperature: 0.2,
    maxTokens: 1024,
    seed: 42,
    stop: ["\n\nUser:"],
    timeout: "60 seconds",
    organization: "org-example",
    project: "proj_example",
    user: "user-1234"
  })

/**
 * Some fields fixed, some read from variables of your own, the rest (key, base URL,
 * organization, project) from the `OPENAI_*` variables.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { Tuned } from "./openai.js"
 *
 * const Model = Tuned.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const Tuned: Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError, HttpClient.HttpClient> =
  OpenAiChatModel.layerConfig({
    model: Config.string("CHAT_MODEL").pipe(Config.withDefault("gpt-4.1-mini")),
    temperature: Config.number("CHAT_TEMPERATURE").pipe(Config.withDefault(0.2)),
    maxTokens: 1024
  })

/**
 * Request fields the configuration does not name, per call, with their wire names.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OpenAiLive, summarize } from "./openai.js"
 *
 * const summary = summarize("A long text…").pipe(Effect.provide(OpenAiLive))
 * ```
 */
export const summarize = (
  text: string
): Effect.Effect<Message.AIMessage, ChatError.ChatError, ChatModel.ChatModel> =>
  ChatModel.invoke(
    [
      ["system", "Summarize the user's text in one sentence."],
      ["user", text]
    ],
    { providerOptions: { prompt_cache_key: "summaries-v1", safety_identifier: "user-1234" } }
  )

// ---------------------------------------------------------------------------
// The Responses API
// ---------------------------------------------------------------------------

/**
 * The Responses API with a reasoning model, nothing stored on OpenAI's side: the
 * reasoning comes back encrypted, to be sent back with the next turn.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ResponsesLive, twoTurns } from "./openai.js"
 *
 * Effect.runPromise(twoTurns.pipe(Effect.provide(ResponsesLive)))
 * ```
 */
export const ResponsesLive: Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError> =
  OpenAiResponsesModel.layerConfig({
    model: "o4-mini",
    reasoningEffort: "low",
    reasoningSummary: "auto",
    store: false
  }).pipe(Layer.provide(FetchHttpClient.layer))

/** The two answers of `twoTurns`. */
export interface TwoTurns {
  readonly first: Message.AIMessage
  readonly second: Message.AIMessage
}

/**
 * A conversation of two turns: the first answer goes back into the history as it is
 * (its reasoning blocks and their encrypted content included).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ResponsesLive, twoTurns } from "./openai.js"
 *
 * Effect.runPromise(twoTurns.pipe(Effect.provide(ResponsesLive))).then(({ second }) => console.log(second.content))
 * ```
 */
export const twoTurns: Effect.Effect<TwoTurns, ChatError.ChatError, ChatModel.ChatModel> = Effect.gen(
  function* () {
    const question = Message.human("Which is larger, 9.11 or 9.9?")
    const first = yield* ChatModel.invoke([question])
    // `first` holds { type: "reasoning", reasoning: <summary>, encrypted: <blob> } blocks
    const second = yield* ChatModel.invoke([question, first, Message.human("By how much?")])
    return { first, second }
  }
)

// ---------------------------------------------------------------------------
// OpenAI-compatible servers
// ---------------------------------------------------------------------------

/**
 * Ollama's OpenAI-compatible endpoint: no key; the `ollama` profile is detected from
 * the host (`localhost:11434`).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { Ollama } from "./openai.js"
 *
 * const Model = Ollama.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const Ollama: Layer.Layer<ChatModel.ChatModel, never, HttpClient.HttpClient> = OpenAiChatModel.layer({
  model: "llama3.2",
  baseUrl: "http://localhost:11434/v1"
})

/**
 * vLLM on a host of its own: nothing to detect, so the family is named, and the
 * profile says what the served model can do.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { Vllm } from "./openai.js"
 *
 * const Model = Vllm.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const Vllm: Layer.Layer<ChatModel.ChatModel, never, HttpClient.HttpClient> = OpenAiChatModel.layer({
  model: "Qwen/Qwen3-8B",
  baseUrl: "http://10.0.0.5:8000/v1",
  compat: "vllm",
  profile: { toolCalling: true, toolChoice: true, maxInputTokens: 32_768 }
})

/**
 * Groq, detected from its host, with its own key variable.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { Groq } from "./openai.js"
 *
 * const Model = Groq.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const Groq: Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError, HttpClient.HttpClient> =
  OpenAiChatModel.layerConfig({
    model: "llama-3.3-70b-versatile",
    baseUrl: "https://api.groq.com/openai/v1",
    apiKey: Config.redacted("GROQ_API_KEY")
  })

/**
 * A server of your own: a built-in family with the fields that differ.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { InHouse } from "./openai.js"
 *
 * const Model = InHouse.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const InHouse: Layer.Layer<ChatModel.ChatModel, never, HttpClient.HttpClient> = OpenAiChatModel.layer({
  model: "house-model-7b",
  baseUrl: "https://llm.internal.example/v1",
  compat: { extends: "vllm", name: "in-house", streamOptions: false, reasoningFields: ["thinking"] }
})

/**
 * Azure OpenAI: the deployment's name as the model, the resource URL as the base URL.
 * Requests go to `/openai/deployments/<deployment>/chat/completions?api-version=…` with
 * the key in the `api-key` header.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { Azure } from "./openai.js"
 *
 * const Model = Azure.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const Azure: Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError, HttpClient.HttpClient> =
  OpenAiChatModel.layerConfig({
    model: "my-gpt-41-deployment",
    baseUrl: "https://my-resource.openai.azure.com",
    apiKey: Config.redacted("AZURE_OPENAI_API_KEY"),
    apiVersion: "2024-10-21",
    // a deployment name says nothing about the model behind it: give its profile
    profile: { toolCalling: true, toolChoice: true, structuredOutput: true, maxInputTokens: 1_047_576 }
  })

/**
 * Azure OpenAI's v1 API: the base URL ends in `/openai/v1`, the model goes in the body.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { AzureV1 } from "./openai.js"
 *
 * const Model = AzureV1.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export const AzureV1: Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError, HttpClient.HttpClient> =
  OpenAiChatModel.layerConfig({
    model: "gpt-4.1-mini",
    baseUrl: "https://my-resource.openai.azure.com/openai/v1",
    apiKey: Config.redacted("AZURE_OPENAI_API_KEY")
  })

// ---------------------------------------------------------------------------
// Model profiles
// ---------------------------------------------------------------------------

/** The profiles `profiles` read. */
export interface Profiles {
  readonly openai: ModelProfile.ModelProfile
  readonly local: ModelProfile.ModelProfile
}

/**
 * The profile of a known OpenAI model, and of a model on a compatible server (which
 * starts conservative: you say what it can do).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { profiles } from "./openai.js"
 *
 * Effect.runPromise(profiles.pipe(Effect.provide(FetchHttpClient.layer))).then(console.log)
 * ```
 */
export const profiles: Effect.Effect<Profiles, never, HttpClient.HttpClient> = Effect.gen(function* () {
  const openai = yield* OpenAiChatModel.make({ model: "gpt-4.1-mini" })
  const local = yield* OpenAiChatModel.make({
    model: "qwen3:8b",
    baseUrl: "http://localhost:11434/v1",
    profile: { toolCalling: true, toolChoice: true }
  })
  // openai.profile: { maxInputTokens: 1047576, maxOutputTokens: 32768, toolCalling: true, … }
  // local.profile: conservative, plus toolCalling and toolChoice
  return { openai: openai.profile, local: local.profile }
})

// ---------------------------------------------------------------------------
// Streaming and usage
// ---------------------------------------------------------------------------

/** What `usageBothWays` saw. */
export interface UsageBothWays {
  readonly invoked: Message.UsageMetadata | undefined
  readonly streamed: Message.UsageMetadata | undefined
  readonly chunksWithUsage: number
}

/**
 * The same prompt invoked and streamed: the final chunk of the stream carries the same
 * usage as the invoked answer, and no other chunk carries any.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OpenAiLive, usageBothWays } from "./openai.js"
 *
 * Effect.runPromise(usageBothWays.pipe(Effect.provide(OpenAiLive))).then(console.log)
 * ```
 */
export const usageBothWays: Effect.Effect<UsageBothWays, ChatError.ChatError, ChatModel.ChatModel> =
  Effect.gen(function* () {
    const prompt = "Write a haiku about type systems."
    const invoked = yield* ChatModel.invoke(prompt)
    const chunks = yield* Stream.runCollect(ChatModel.stream(prompt))
    const final = [...chunks].at(-1) // marked `last: true`
    return {
      invoked: invoked.usageMetadata,
      streamed: final?.usageMetadata,
      chunksWithUsage: [...chunks].filter((chunk) => chunk.usageMetadata !== undefined).length
    }
  })

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/**
 * An answer, or a sentence saying why there is none, for the failures a user can act
 * on; every other `ChatError` is left to the caller.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ask, Resilient } from "./openai.js"
 *
 * Effect.runPromise(ask("What is Effect?").pipe(Effect.provide(Resilient))).then(console.log)
 * ```
 */
export const ask = (question: string): Effect.Effect<string, ChatError.ChatError, ChatModel.ChatModel> =>
  ChatModel.invoke(question).pipe(
    Effect.map(Message.text),
    Effect.catchTags({
      ContextLengthExceededError: () => Effect.succeed("(the conversation is too long for this model)"),
      ContentFilterError: () => Effect.succeed("(the request was refused by the content filter)"),
      RateLimitError: (error) =>
        error.retryable ? Effect.fail(error) : Effect.succeed("(the account's quota is exhausted)")
    })
  )

/**
 * OpenAI from the environment, retrying rate limits (after the wait OpenAI asks for),
 * timeouts, 5xx answers and lost connections.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ask, Resilient } from "./openai.js"
 *
 * const answer = ask("Hello").pipe(Effect.provide(Resilient))
 * ```
 */
export const Resilient: Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError> = OpenAiLive.pipe(
  ChatModel.decorate(ChatModel.withRetry({ maxRetries: 3 }))
)

// ---------------------------------------------------------------------------
// Models by name
// ---------------------------------------------------------------------------

/**
 * A model named by a string (importing `@effect-chat/openai` registered `"openai"` and
 * `"openai-responses"`); the options are configuration fields, the rest comes from the
 * `OPENAI_*` variables.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 * import { FromSpec } from "./openai.js"
 *
 * const reply = ChatModel.invoke("Hello").pipe(Effect.provide(FromSpec))
 * ```
 */
export const FromSpec: Layer.Layer<
  ChatModel.ChatModel,
  ChatError.InvalidInputError | ConfigError.ConfigError
> = ChatModel.fromString("openai:gpt-4.1-mini", { temperature: 0 }).pipe(Layer.provide(FetchHttpClient.layer))

/**
 * The Responses API by name.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 * import { ResponsesFromSpec } from "./openai.js"
 *
 * const reply = ChatModel.invoke("Hello").pipe(Effect.provide(ResponsesFromSpec))
 * ```
 */
export const ResponsesFromSpec: Layer.Layer<
  ChatModel.ChatModel,
  ChatError.InvalidInputError | ConfigError.ConfigError
> = ChatModel.fromString("openai-responses:o4-mini", { reasoningEffort: "low" }).pipe(
  Layer.provide(FetchHttpClient.layer)
)
