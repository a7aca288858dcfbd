/**
 * OpenAI's Responses API (`POST /responses`) as a `ChatModel`: the same surface as
 * `OpenAiChatModel` (`make`, `layer`, `layerConfig`, the shared configuration fields),
 * llmType `"openai-responses"`.
 *
 * What it maps (both ways, from OpenAI's API reference):
 * - messages to input items: system / developer and user messages (text, images by URL
 *   or data URL, files), earlier answers (text as `output_text`, reasoning as
 *   `reasoning` items, tool calls as `function_call` items) and tool results as
 *   `function_call_output` items. A tool call's `id` is the Responses `call_id` (not
 *   the item id, which is kept in `additionalKwargs.functionCallItemIds`);
 * - reasoning: each `reasoning` output item is a `{ type: "reasoning", reasoning, encrypted }`
 *   block (its summary text, its `encrypted_content`), its item id in
 *   `additionalKwargs.itemIds` (by block index), sent back on the next turn. With
 *   `store: false`, `include: ["reasoning.encrypted_content"]` is requested for reasoning
 *   models so the reasoning can be sent back without the server keeping it;
 * - tools (flat `function` tools, strict when the tool's schema is), `toolChoice`
 *   (`"any"` is `required`), parallel tool calls, structured output through
 *   `text.format` (`json_schema` or `json_object`), refusals (`additionalKwargs.refusal`);
 * - usage (cached and reasoning tokens), identical streaming or not; finish reasons from
 *   `status` and `incomplete_details`; the response id and model in `responseMetadata`;
 * - streaming events, including `response.failed` and `error` events, which fail the
 *   stream with their typed `ChatError`.
 *
 * The Responses API has no `stop`, `seed` or `n`: stop sequences given to a call are
 * applied by `ChatModel` itself. Anything else goes through `providerOptions` with its
 * wire name (`previous_response_id`, `instructions`, `truncation`, `prompt_cache_key`,
 * `background`, …), added to the body last.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { OpenAiResponsesModel } from "@effect-chat/openai"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 *
 * const Model = OpenAiResponsesModel.layerConfig({ model: "o4-mini", reasoningSummary: "auto" }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 *
 * const program = Effect.gen(function* () {
 *   const answer = yield* ChatModel.invoke("Why is the sky blue? One sentence.")
 *   console.log(answer.content)
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(Model)))
 * ```
 *
 * @since 0.1.0
 */

import type * as HttpClient from "@effect/platform/HttpClient"
import type { ChatModel, ModelProfile } from "@effect-chat/core"
import { ChatModel as ChatModelTag } from "@effect-chat/core"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as config from "./internal/config.js"
import * as model from "./internal/responses/model.js"

/**
 * The configuration: the fields shared with `OpenAiChatModel` (`model`, `apiKey`,
 * `baseUrl`, `organization`, `project`, `headers`, `timeout`, `apiVersion`,
 * `temperature`, `maxTokens` sent as `max_output_tokens`, `topP`, `reasoningEffort`
 * sent as `reasoning.effort`, `serviceTier`, `user`) and the Responses API's own.
 *
 * @example
 * ```ts
 * import type { OpenAiResponsesModel } from "@effect-chat/openai"
 * import { Redacted } from "effect"
 *
 * const config: OpenAiResponsesModel.Config = {
 *   model: "o4-mini",
 *   apiKey: Redacted.make("sk-..."),
 *   reasoningEffort: "low",
 *   reasoningSummary: "auto",
 *   store: false
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface Config extends config.CommonConfig {
  /**
   * Whether OpenAI stores the responses (`store`; the API's default is `true`). With
   * `false`, earlier item ids are not sent back (the server has no such items) and
   * reasoning models are asked for `reasoning.encrypted_content`, which is sent back
   * instead. `providerOptions.store` overrides it per call.
   */
  readonly store?: boolean | undefined
  /** Extra `include` values (`"reasoning.encrypted_content"`, `"message.output_text.logprobs"`, …). */
  readonly include?: ReadonlyArray<string> | undefined
  /** Ask for reasoning summaries (`reasoning.summary`): `"auto"`, `"concise"` or `"detailed"`. */
  readonly reasoningSummary?: "auto" | "concise" | "detailed" | undefined
  /** Up to 16 string pairs stored with the response (`metadata`). */
  readonly metadata?: Readonly<Record<string, string>> | undefined
  /** Return the log probabilities of the output text (in `responseMetadata.logprobs`). */
  readonly logprobs?: boolean | undefined
  /** How many most likely tokens to return at each position (`top_logprobs`, 0 to 20). */
  readonly topLogprobs?: number | undefined
  /** Overrides the model's profile (for models and servers the profile table does not know). */
  readonly profile?: Partial<ModelProfile.ModelProfile> | undefined
}

/**
 * The model `layerConfig` uses when neither the config nor `OPENAI_MODEL` names one.
 *
 * @example
 * ```ts
 * import { OpenAiResponsesModel } from "@effect-chat/openai"
 *
 * console.log(OpenAiResponsesModel.defaultModel) // "gpt-4.1-mini"
 * ```
 *
 * @since 0.1.0
 */
export const defaultModel = "gpt-4.1-mini"

/**
 * Builds the model on the `HttpClient` of the context.
 *
 * @example
 * ```ts
 * import { OpenAiResponsesModel } from "@effect-chat/openai"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const model = yield* OpenAiResponsesModel.make({ model: "gpt-4.1-mini", apiKey: Redacted.make("sk-...") })
 *   return yield* model.invoke("Hello!")
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer)))
 * ```
 *
 * @since 0.1.0
 */
export const make = (options: Config): Effect.Effect<ChatModel.Service, never, HttpClient.HttpClient> =>
  model.make(options)

/**
 * The model as a `ChatModel` layer.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { OpenAiResponsesModel } from "@effect-chat/openai"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const Model = OpenAiResponsesModel.layer({ model: "gpt-4.1-mini", apiKey: Redacted.make("sk-...") }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * const answer = ChatModel.invoke("Hello!").pipe(Effect.provide(Model))
 * ```
 *
 * @since 0.1.0
 */
export const layer = (options: Config): Layer.Layer<ChatModel.ChatModel, never, HttpClient.HttpClient> =>
  Layer.effect(ChatModelTag.ChatModel, model.make(options))

/**
 * The model as a layer read from `Config`: each field given as a value or a `Config`;
 * the key from `OPENAI_API_KEY` (redacted), the base URL from `OPENAI_BASE_URL`, the
 * organization from `OPENAI_ORG_ID`, the project from `OPENAI_PROJECT_ID` and the
 * model from `OPENAI_MODEL` (default `defaultModel`) when not given.
 *
 * @example
 * ```ts
 * import { OpenAiResponsesModel } from "@effect-chat/openai"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Config, Layer } from "effect"
 *
 * const Model = OpenAiResponsesModel.layerConfig({
 *   model: Config.withDefault(Config.string("MY_MODEL"), "o4-mini"),
 *   store: false
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 */
export const layerConfig = (
  options?: config.ConfigInput<Config>
): Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(config.resolve<Config>(options, defaultModel), layer))
