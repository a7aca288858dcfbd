/**
 * Constructors and configuration: `make`, `layer`, `layerConfig` (environment through
 * `Config`), identifying params and model profiles.
 */

import { FetchHttpClient } from "@effect/platform"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { ChatModel } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Config, ConfigProvider, Effect, Layer, Redacted } from "effect"
import { OpenAiChatModel } from "../../src/index.js"
import { apiKey, expectValidRequests, fixture, track } from "../support/chat.js"

afterEach(expectValidRequests)

const invokeWith = (layer: Layer.Layer<ChatModel.ChatModel, unknown, never>) =>
  Effect.flatMap(ChatModel.ChatModel, (model) => Effect.as(model.invoke("Hi"), model)).pipe(
    Effect.provide(layer)
  )

describe("layerConfig", () => {
  it.scoped("reads OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID and OPENAI_MODEL", () =>
    Effect.gen(function* () {
      const server = track(yield* WireServer.make(fixture("text.json")))
      const env = new Map([
        ["OPENAI_API_KEY", apiKey],
        ["OPENAI_BASE_URL", `${server.url}/v1`],
        ["OPENAI_ORG_ID", "org-env"],
        ["OPENAI_PROJECT_ID", "proj-env"],
        ["OPENAI_MODEL", "gpt-4o-mini"]
      ])
      const layer = OpenAiChatModel.layerConfig().pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(env)))
      )
      const model = yield* invokeWith(layer)
      const request = server.requests[0]!
      expect(request.headers).toMatchObject({
        authorization: `Bearer ${apiKey}`,
        "openai-organization": "org-env",
        "openai-project": "proj-env"
      })
      expect(request.body).toMatchObject({ model: "gpt-4o-mini" })
      expect(model.identifyingParams).toMatchObject({ provider: "openai", model: "gpt-4o-mini" })
    })
  )

  it.scoped("given values (plain or Config) win over the environment; no key sends no authorization", () =>
    Effect.gen(function* () {
      const server = track(yield* WireServer.make(fixture("text.json")))
      const env = new Map([
        ["OPENAI_BASE_URL", "http://127.0.0.1:9/unused"],
        ["TEMPERATURE", "0.25"]
      ])
      const layer = OpenAiChatModel.layerConfig({
        model: "gpt-4.1",
        baseUrl: `${server.url}/v1`,
        temperature: Config.number("TEMPERATURE"),
        maxTokens: 64
      }).pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(env)))
      )
      yield* invokeWith(layer)
      const request = server.requests[0]!
      expect(request.headers.authorization).toBeUndefined()
      expect(request.body).toMatchObject({ model: "gpt-4.1", temperature: 0.25, max_completion_tokens: 64 })
    })
  )

  it.effect("a Config that fails is a ConfigError of the layer", () =>
    Effect.gen(function* () {
      const layer = OpenAiChatModel.layerConfig({ temperature: Config.number("MISSING_TEMPERATURE") }).pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map())))
      )
      const result = yield* Effect.either(Layer.build(layer).pipe(Effect.scoped))
      expect(result._tag).toBe("Left")
    })
  )
})

describe("make and layer", () => {
  it.scoped("layer provides the model under the ChatModel tag; identifying params list what is set", () =>
    Effect.gen(function* () {
      const server = track(yield* WireServer.make(fixture("text.json")))
      const model = yield* invokeWith(
        OpenAiChatModel.layer({
          model: "gpt-4.1-mini",
          baseUrl: `${server.url}/v1`,
          apiKey: Redacted.make(apiKey),
          temperature: 0,
          seed: 7,
          n: 1
        }).pipe(Layer.provide(FetchHttpClient.layer))
      )
      expect(model.llmType).toBe("openai-chat")
      expect(model.identifyingParams).toEqual({
        provider: "openai",
        model: "gpt-4.1-mini",
        baseUrl: `${server.url}/v1`,
        temperature: 0,
        seed: 7,
        n: 1
      })
      expect(JSON.stringify(model.identifyingParams)).not.toContain(apiKey)
    })
  )

  it.effect("profiles: known OpenAI models, unknown ones, compatible servers, overrides", () =>
    Effect.gen(function* () {
      const profile = (config: Partial<OpenAiChatModel.Config>) =>
        Effect.map(
          OpenAiChatModel.make({ model: "gpt-4.1-mini", ...config }).pipe(
            Effect.provide(FetchHttpClient.layer)
          ),
          (model) => model.profile
        )
      expect(yield* profile({ model: "gpt-4.1-2025-04-14" })).toMatchObject({
        maxInputTokens: 1_047_576,
        maxOutputTokens: 32_768,
        toolCalling: true,
        structuredOutput: true,
        imageInputs: true,
        pdfInputs: true,
        reasoningOutput: false
      })
      expect(yield* profile({ model: "gpt-4o-mini" })).toMatchObject({
        maxInputTokens: 128_000,
        maxOutputTokens: 16_384
      })
      expect(yield* profile({ model: "o3-mini" })).toMatchObject({
        maxInputTokens: 200_000,
        imageInputs: false
      })
      expect(yield* profile({ model: "gpt-5-mini" })).toMatchObject({
        maxInputTokens: 272_000,
        maxOutputTokens: 128_000
      })
      expect(yield* profile({ model: "gpt-4o-audio-preview" })).toMatchObject({ audioInputs: true })
      expect(yield* profile({ model: "some-future-model" })).toMatchObject({
        toolCalling: true,
        structuredOutput: false,
        imageInputs: false
      })
      expect(yield* profile({ model: "llama3.2", compat: "ollama" })).toMatchObject({ toolCalling: false })
      expect(
        yield* profile({
          model: "llama3.2",
          compat: "ollama",
          profile: { toolCalling: true, jsonMode: true }
        })
      ).toMatchObject({
        toolCalling: true,
        jsonMode: true
      })
    })
  )
})
