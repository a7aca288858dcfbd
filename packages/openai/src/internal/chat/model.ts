/**
 * The Chat Completions model: a `ChatModel.Service` built from a configuration, a
 * `Provider` client and a compatibility profile (`generate` posts a request, `stream`
 * reads its server-sent events).
 *
 * @internal
 */

import type * as HttpClient from "@effect/platform/HttpClient"
import { ChatModel, ModelProfile, Provider } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import type { Config } from "../../OpenAiChatModel.js"
import { type CompatProfile, endpoint, resolveCompat } from "../compat.js"
import { defaultBaseUrl, makeClient } from "../config.js"
import { isReasoningModel, lookup, unknownOpenAiModel } from "../profiles.js"
import { type Settings, toBody } from "./request.js"
import { toResult } from "./response.js"
import { toChunks } from "./stream.js"

/** The compatibility profile of a configuration (`compat`, or detected from `baseUrl`). */
export const compatOf = (config: Config): CompatProfile =>
  resolveCompat(config.compat, config.baseUrl ?? defaultBaseUrl)

/**
 * The model profile: OpenAI's own models from the profile table (unknown ones:
 * conservative with tool calling), compatible servers conservative; `config.profile`
 * over both. Chat Completions returns no reasoning text from OpenAI, so
 * `reasoningOutput` is off unless `config.profile` turns it on.
 */
export const profileOf = (config: Config, compat: CompatProfile): ModelProfile.ModelProfile => {
  const own =
    compat.name === "openai" || compat.name === "azure"
      ? (lookup(config.model)?.profile ?? unknownOpenAiModel)
      : ModelProfile.conservative
  return { ...own, reasoningOutput: false, ...config.profile }
}

const identifyingParams = (config: Config, compat: CompatProfile): Record<string, unknown> => {
  const params: Record<string, unknown> = { provider: compat.name, model: config.model }
  const optional: Record<string, unknown> = {
    baseUrl: config.baseUrl,
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    topP: config.topP,
    seed: config.seed,
    stop: config.stop,
    n: config.n,
    logprobs: config.logprobs,
    topLogprobs: config.topLogprobs,
    reasoningEffort: config.reasoningEffort,
    serviceTier: config.serviceTier,
    frequencyPenalty: config.frequencyPenalty,
    presencePenalty: config.presencePenalty
  }
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) params[key] = value
  return params
}

/** The service of a configuration on a ready client. */
export const build = (config: Config, compat: CompatProfile, client: Provider.Client): ChatModel.Service => {
  const settings: Settings = { config, compat, reasoning: isReasoningModel(config.model) }
  const { path, urlParams } = endpoint(compat, client.baseUrl, config.model, config.apiVersion)
  return ChatModel.make({
    llmType: "openai-chat",
    identifyingParams: identifyingParams(config, compat),
    profile: profileOf(config, compat),
    generate: (request) =>
      Either.match(toBody(request, settings, false), {
        onLeft: Effect.fail,
        onRight: (body) =>
          Effect.flatMap(Provider.postJson(client, { path, body, urlParams }), (response) =>
            toResult(response, compat)
          )
      }),
    stream: (request) =>
      Either.match(toBody(request, settings, true), {
        onLeft: Stream.fail,
        onRight: (body) => toChunks(Provider.streamSse(client, { path, body, urlParams }), compat)
      })
  })
}

/** Builds the service on the `HttpClient` of the context. */
export const make = (config: Config): Effect.Effect<ChatModel.Service, never, HttpClient.HttpClient> => {
  const compat = compatOf(config)
  return Effect.map(makeClient(config, { provider: compat.name, azure: compat.azure }), (client) =>
    build(config, compat, client)
  )
}
