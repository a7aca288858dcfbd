/**
 * OpenAI's Chat Completions API (`POST /chat/completions`) as a `ChatModel`, and every
 * OpenAI-compatible server (vLLM, llama.cpp's server, Ollama's `/v1`, LM Studio, Groq,
 * Together, DeepSeek, xAI, OpenRouter, Azure OpenAI) through `baseUrl` and a `compat`
 * profile.
 *
 * What it maps, both ways: system messages (`developer` for reasoning models and for
 * system messages with `additionalKwargs.role === "developer"`), user text, images (URL
 * or base64 as a data URL), audio (`input_audio`, wav or mp3) and PDF files
 * (`file_data`), assistant text with tool calls, tool results, names; tools, tool choice
 * (`"any"` is `"required"`), parallel tool calls, strict function tools, JSON mode and
 * JSON Schema response formats, refusals (`additionalKwargs.refusal`), stop sequences,
 * usage (cached input and reasoning tokens), finish reasons, logprobs, and `n` > 1.
 * Reasoning blocks in a history are left out (Chat Completions has no field for them).
 * Content the API cannot take fails with `UnsupportedFeatureError` before any request.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { OpenAiChatModel } from "@effect-chat/openai"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 *
 * const Model = OpenAiChatModel.layerConfig({ model: "gpt-4.1-mini" }).pipe(Layer.provide(FetchHttpClient.layer))
 *
 * const program = Effect.gen(function* () {
 *   const reply = yield* ChatModel.invoke("Say hello in French.")
 *   console.log(reply.content)
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(Model)))
 * ```
 *
 * @since 0.1.0
 */

import type * as HttpClient from "@effect/platform/HttpClient"
import { ChatModel, type ModelProfile } from "@effect-chat/core"
import type * as ConfigError from "effect/ConfigError"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as internal from "./internal/chat/model.js"
import * as compat from "./internal/compat.js"
import { type ConfigInput, resolve } from "./internal/config.js"

/**
 * A server family with a built-in compatibility profile.
 *
 * @example
 * ```ts
 * import type { OpenAiChatModel } from "@effect-chat/openai"
 *
 * const family: OpenAiChatModel.CompatName = "vllm"
 * ```
 *
 * @since 0.1.0
 */
export type CompatName = compat.CompatName

/**
 * What a server family does differently from OpenAI (see `compatProfiles`):
 * `developerRole`, `maxTokensField`, `streamOptions` (`stream_options.include_usage`),
 * `strictTools`, `parallelToolCalls`, `jsonSchema`, `messageNames`, `logprobs`,
 * `multipleChoices` (`n` > 1), `reasoningFields` (`reasoning_content`, `reasoning`),
 * `reasoningInCompletion`, `cacheHitField`, `usageContainer` and `azure` (deployment URLs,
 * `api-key` auth).
 *
 * @example
 * ```ts
 * import { OpenAiChatModel } from "@effect-chat/openai"
 *
 * OpenAiChatModel.compatProfiles.deepseek.reasoningFields // ["reasoning_content"]
 * ```
 *
 * @since 0.1.0
 */
export type CompatProfile = compat.CompatProfile

/**
 * A custom compatibility profile: a built-in one (`extends`; default the one detected
 * from `baseUrl`, else `"openai"`) with some fields changed.
 *
 * @example
 * ```ts
 * import type { OpenAiChatModel } from "@effect-chat/openai"
 *
 * const myServer: OpenAiChatModel.CompatOptions = { extends: "vllm", streamOptions: false }
 * ```
 *
 * @since 0.1.0
 */
export type CompatOptions = compat.CompatOptions

/**
 * The built-in compatibility profiles, by family.
 *
 * @example
 * ```ts
 * import { OpenAiChatModel } from "@effect-chat/openai"
 *
 * OpenAiChatModel.compatProfiles.groq.messageNames // false: Groq rejects `messages[].name`
 * ```
 *
 * @since 0.1.0
 */
export const compatProfiles: Readonly<Record<CompatName, CompatProfile>> = compat.profiles

/**
 * The family a base URL names unambiguously (`api.groq.com`, `api.deepseek.com`,
 * `api.x.ai`, `openrouter.ai`, `api.together.xyz`, `*.openai.azure.com`,
 * `localhost:11434` for Ollama, `api.openai.com`), if any.
 *
 * @example
 * ```ts
 * import { OpenAiChatModel } from "@effect-chat/openai"
 *
 * OpenAiChatModel.detectCompat("https://api.groq.com/openai/v1") // "groq"
 * OpenAiChatModel.detectCompat("http://10.0.0.5:8000/v1") // undefined (pass `compat`)
 * ```
 *
 * @since 0.1.0
 */
export const detectCompat = (baseUrl: string): CompatName | undefined => compat.detect(baseUrl)

/**
 * The configuration of a Chat Completions model.
 *
 * @example
 * ```ts
 * import type { OpenAiChatModel } from "@effect-chat/openai"
 * import { Redacted } from "effect"
 *
 * const config: OpenAiChatModel.Config = {
 *   model: "gpt-4.1-mini",
 *   apiKey: Redacted.make("sk-..."),
 *   temperature: 0.2,
 *   maxTokens: 512
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface Config {
  /** The model id (`"gpt-4.1-mini"`); Azure deployment URLs: the deployment name. */
  readonly model: string
  /** The API key (`Redacted`); absent for keyless local servers. Sent as a bearer token (Azure: `api-key`). */
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** The API root (default `https://api.openai.com/v1`): a compatible server's `/v1` URL, an Azure resource URL. */
  readonly baseUrl?: string | undefined
  /** Sampling temperature, 0 to 2 (`temperature`). */
  readonly temperature?: number | undefined
  /** The most tokens to generate: `max_completion_tokens` for OpenAI and Azure (`max_tokens` is deprecated and refused by reasoning models), `max_tokens` for compatible servers. */
  readonly maxTokens?: number | undefined
  /** Nucleus sampling, 0 to 1 (`top_p`). */
  readonly topP?: number | undefined
  /** Best-effort deterministic sampling (`seed`). */
  readonly seed?: number | undefined
  /** Stop sequences sent with every request unless a call gives its own (`stop`, at most 4). */
  readonly stop?: ReadonlyArray<string> | undefined
  /** A connection-level timeout: the whole exchange of `invoke`, the wait for a stream's response headers (`TimeoutError`). */
  readonly timeout?: Duration.DurationInput | undefined
  /** How many choices to generate (`n`): `generate` returns them all; `stream` streams the first. */
  readonly n?: number | undefined
  /** Return the log probabilities of output tokens (`logprobs`), in `responseMetadata.logprobs`. */
  readonly logprobs?: boolean | undefined
  /** How many most likely tokens to return at each position, 0 to 20 (`top_logprobs`; needs `logprobs`). */
  readonly topLogprobs?: number | undefined
  /** Reasoning effort of reasoning models (`reasoning_effort`: `"minimal"`, `"low"`, `"medium"`, `"high"`, …). */
  readonly reasoningEffort?: string | undefined
  /** Processing tier (`service_tier`: `"auto"`, `"default"`, `"flex"`, `"priority"`, …). */
  readonly serviceTier?: string | undefined
  /** Sent as the `openai-organization` header. */
  readonly organization?: string | undefined
  /** Sent as the `openai-project` header. */
  readonly project?: string | undefined
  /** A stable identifier of the end user (`user`). */
  readonly user?: string | undefined
  /** Penalizes tokens by how often they appeared, -2 to 2 (`frequency_penalty`). */
  readonly frequencyPenalty?: number | undefined
  /** Penalizes tokens that appeared at all, -2 to 2 (`presence_penalty`). */
  readonly presencePenalty?: number | undefined
  /** Ask for usage at the end of streams (`stream_options.include_usage`, default `true`; never sent to servers whose profile refuses it). */
  readonly streamUsage?: boolean | undefined
  /** The server family (`"vllm"`, `"groq"`, …) or a custom profile; default: detected from `baseUrl`, else `"openai"`. */
  readonly compat?: CompatName | CompatOptions | undefined
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Azure OpenAI: the `api-version` query parameter of deployment URLs (default `"2024-10-21"`, the latest GA version). */
  readonly apiVersion?: string | undefined
  /** Capabilities over the built-in profile (compatible servers start conservative: say what the model can do). */
  readonly profile?: Partial<ModelProfile.ModelProfile> | undefined
}

/**
 * Builds a Chat Completions model on the `HttpClient` of the context.
 *
 * @example
 * ```ts
 * import { OpenAiChatModel } from "@effect-chat/openai"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const model = yield* OpenAiChatModel.make({ model: "gpt-4.1-mini", apiKey: Redacted.make("sk-...") })
 *   return yield* model.invoke("What is Effect?")
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer)))
 * ```
 *
 * @since 0.1.0
 */
export const make = (config: Config): Effect.Effect<ChatModel.Service, never, HttpClient.HttpClient> =>
  internal.make(config)

/**
 * A layer providing a Chat Completions model under the `ChatModel` tag.
 *
 * @example
 * ```ts
 * import { OpenAiChatModel } from "@effect-chat/openai"
 *
 * // a local vLLM server: no key, compatibility profile chosen explicitly
 * const Local = OpenAiChatModel.layer({
 *   model: "Qwen/Qwen3-8B",
 *   baseUrl: "http://127.0.0.1:8000/v1",
 *   compat: "vllm",
 *   profile: { toolCalling: true }
 * })
 * ```
 *
 * @since 0.1.0
 */
export const layer = (config: Config): Layer.Layer<ChatModel.ChatModel, never, HttpClient.HttpClient> =>
  Layer.effect(ChatModel.ChatModel, make(config))

/**
 * A layer reading its configuration with `Config`: each field given (a plain value or
 * a `Config`) wins; the rest come from the environment: `OPENAI_API_KEY` (redacted,
 * optional for keyless servers), `OPENAI_BASE_URL` (default OpenAI's),
 * `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, and `OPENAI_MODEL` (default `"gpt-4.1-mini"`).
 *
 * @example
 * ```ts
 * import { OpenAiChatModel } from "@effect-chat/openai"
 * import { Config } from "effect"
 *
 * const Model = OpenAiChatModel.layerConfig({
 *   model: "gpt-4.1",
 *   temperature: Config.number("TEMPERATURE").pipe(Config.withDefault(0.2))
 * })
 * ```
 *
 * @since 0.1.0
 */
export const layerConfig = (
  config?: ConfigInput<Config>
): Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(ChatModel.ChatModel, Effect.flatMap(resolve<Config>(config, defaultModel), make))

/**
 * The model `layerConfig` uses when neither its input nor `OPENAI_MODEL` names one.
 *
 * @example
 * ```ts
 * import { OpenAiChatModel } from "@effect-chat/openai"
 *
 * OpenAiChatModel.defaultModel // "gpt-4.1-mini"
 * ```
 *
 * @since 0.1.0
 */
export const defaultModel = "gpt-4.1-mini"

/**
 * Each configuration field as a plain value or a `Config` reading it (the input of
 * `layerConfig`).
 *
 * @example
 * ```ts
 * import type { OpenAiChatModel } from "@effect-chat/openai"
 * import { Config } from "effect"
 *
 * const input: OpenAiChatModel.ConfigValues = { model: Config.string("MODEL"), maxTokens: 256 }
 * ```
 *
 * @since 0.1.0
 */
export type ConfigValues = ConfigInput<Config>
