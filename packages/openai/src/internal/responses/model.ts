/**
 * The Responses API model: a `ChatModel.Service` built from a configuration and a
 * `Provider` client (`generate` posts `/responses`, `stream` reads its server-sent
 * events).
 *
 * @internal
 */

import type * as HttpClient from "@effect/platform/HttpClient"
import { ChatModel, ModelProfile, Provider } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import type { Config } from "../../OpenAiResponsesModel.js"
import { defaultBaseUrl, hostOf, isAzureUrl, makeClient } from "../config.js"
import { lookup, unknownOpenAiModel } from "../profiles.js"
import { toBody } from "./request.js"
import { toResult } from "./response.js"
import { toChunks } from "./stream.js"

/** The endpoint, relative to the base URL. */
export const path = "/responses"

/** Whether the base URL is OpenAI's own API or an Azure OpenAI resource (the profile table applies). */
const isOpenAi = (baseUrl: string): boolean => hostOf(baseUrl) === "api.openai.com" || isAzureUrl(baseUrl)

/**
 * The model profile: a model id the profile table knows takes its profile wherever it is
 * served (reasoning models return reasoning summaries here); an unknown model is
 * conservative with tool calling on OpenAI and Azure, conservative elsewhere;
 * `config.profile` over all.
 */
export const profileOf = (config: Config): ModelProfile.ModelProfile => {
  const known = lookup(config.model)?.profile
  const own =
    known ?? (isOpenAi(config.baseUrl ?? defaultBaseUrl) ? unknownOpenAiModel : ModelProfile.conservative)
  return { ...own, ...config.profile }
}

const identifyingParams = (config: Config, provider: string): Record<string, unknown> => {
  const params: Record<string, unknown> = { provider, model: config.model }
  const optional: Record<string, unknown> = {
    baseUrl: config.baseUrl,
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    topP: config.topP,
    topLogprobs: config.topLogprobs,
    reasoningEffort: config.reasoningEffort,
    reasoningSummary: config.reasoningSummary,
    serviceTier: config.serviceTier,
    store: config.store
  }
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) params[key] = value
  return params
}

/** The service of a configuration on a ready client. */
export const build = (config: Config, client: Provider.Client): ChatModel.Service => {
  const provider = client.provider
  const profile = profileOf(config)
  const urlParams = config.apiVersion === undefined ? undefined : { "api-version": config.apiVersion }
  return ChatModel.make({
    llmType: "openai-responses",
    identifyingParams: identifyingParams(config, provider),
    profile,
    generate: (request) =>
      Either.match(toBody(config, profile, request, provider), {
        onLeft: Effect.fail,
        onRight: (body) =>
          Effect.flatMap(Provider.postJson(client, { path, body, urlParams }), (response) =>
            toResult(response, provider)
          )
      }),
    stream: (request) =>
      Either.match(toBody(config, profile, request, provider), {
        onLeft: Stream.fail,
        onRight: (body) =>
          toChunks(Provider.streamSse(client, { path, body: { ...body, stream: true }, urlParams }), provider)
      })
  })
}

/** Builds the service on the `HttpClient` of the context. */
export const make = (config: Config): Effect.Effect<ChatModel.Service, never, HttpClient.HttpClient> => {
  const azure = isAzureUrl(config.baseUrl ?? defaultBaseUrl)
  return Effect.map(makeClient(config, { provider: azure ? "azure" : "openai", azure }), (client) =>
    build(config, client)
  )
}
