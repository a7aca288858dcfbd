/**
 * `ChatModel.fromString` (LangChain's `init_chat_model`): providers registered by name,
 * "provider:model" specs, the provider inferred from a bare model name, options passed
 * through, and typed errors for specs that name nothing registered.
 */

import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Config, ConfigProvider, Effect, Layer, Redacted } from "effect"

/** Every call a fake factory received. */
const calls: Array<{ readonly provider: string; readonly model: string; readonly options: unknown }> = []

/** A fake provider: a fake model that answers with its provider and model. */
const fakeProvider =
  (provider: string): ChatModel.ProviderFactory =>
  (model, options) => {
    calls.push({ provider, model, options })
    return ChatModel.layer(
      FakeChatModel.fromResponses([`${provider}/${model}`], { model: `${provider}/${model}` })
    )
  }

ChatModel.registerProvider("fake", fakeProvider("fake"))
ChatModel.registerProvider("openai", fakeProvider("openai"))
ChatModel.registerProvider("Ollama", fakeProvider("ollama"))

/** Builds the layer of a spec (HTTP client provided, never used by the fakes) and asks the model once. */
const answer = (spec: string, options?: Record<string, unknown>) =>
  ChatModel.invoke("hi").pipe(
    Effect.map((reply) => reply.content),
    Effect.provide(ChatModel.fromString(spec, options).pipe(Layer.provide(FetchHttpClient.layer)))
  )

const failure = (spec: string) =>
  ChatModel.fromString(spec).pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.build,
    Effect.scoped,
    Effect.flip
  )

describe("ChatModel.fromString", () => {
  it.effect(
    'builds the registered provider\'s layer for "provider:model", with the options passed through',
    () =>
      Effect.gen(function* () {
        calls.length = 0
        expect(yield* answer("fake:echo-1", { temperature: 0.5, maxTokens: 10 })).toBe("fake/echo-1")
        expect(calls).toEqual([
          { provider: "fake", model: "echo-1", options: { temperature: 0.5, maxTokens: 10 } }
        ])
      })
  )

  it.effect("passes no options as an empty record", () =>
    Effect.gen(function* () {
      calls.length = 0
      yield* answer("fake:m")
      expect(calls[0]!.options).toEqual({})
    })
  )

  it.effect("wraps a string apiKey in Redacted before the provider sees it", () =>
    Effect.gen(function* () {
      calls.length = 0
      yield* answer("fake:m", { apiKey: "sk-plain" })
      const options = calls[0]!.options as { readonly apiKey: unknown }
      expect(Redacted.isRedacted(options.apiKey)).toBe(true)
      if (Redacted.isRedacted(options.apiKey)) expect(Redacted.value(options.apiKey)).toBe("sk-plain")
      expect(String(options.apiKey)).not.toContain("sk-plain")
    })
  )

  it.effect("provider names are case-insensitive; model names keep their colons", () =>
    Effect.gen(function* () {
      expect(yield* answer("FAKE:Echo")).toBe("fake/Echo")
      expect(yield* answer("ollama:llama3.2:1b")).toBe("ollama/llama3.2:1b")
      expect(yield* answer("  fake : spaced ")).toBe("fake/spaced")
    })
  )

  it.effect("infers the provider from a bare model name", () =>
    Effect.gen(function* () {
      expect(yield* answer("gpt-4.1-mini")).toBe("openai/gpt-4.1-mini")
      expect(yield* answer("o4-mini")).toBe("openai/o4-mini")
      expect(yield* answer("ft:gpt-4o-mini:acme::abc123")).toBe("openai/ft:gpt-4o-mini:acme::abc123")
    })
  )

  it("inferProvider follows LangChain's prefixes", () => {
    expect(ChatModel.inferProvider("gpt-4o")).toBe("openai")
    expect(ChatModel.inferProvider("chatgpt-4o-latest")).toBe("openai")
    expect(ChatModel.inferProvider("o1-preview")).toBe("openai")
    expect(ChatModel.inferProvider("o3")).toBe("openai")
    expect(ChatModel.inferProvider("claude-sonnet-4-5")).toBe("anthropic")
    expect(ChatModel.inferProvider("gemini-2.5-flash")).toBe("google")
    expect(ChatModel.inferProvider("Gemini-2.5-Pro")).toBe("google")
    expect(ChatModel.inferProvider("command-r-plus")).toBe("cohere")
    expect(ChatModel.inferProvider("mistral-large-latest")).toBe("mistralai")
    expect(ChatModel.inferProvider("deepseek-chat")).toBe("deepseek")
    expect(ChatModel.inferProvider("grok-4")).toBe("xai")
    expect(ChatModel.inferProvider("llama3.2")).toBeUndefined()
  })

  it.effect("an unknown provider fails with InvalidInputError listing the registered ones", () =>
    Effect.gen(function* () {
      const error = yield* failure("nope:some-model")
      expect(error).toBeInstanceOf(ChatError.InvalidInputError)
      expect(error.message).toContain('unknown chat model provider "nope"')
      expect(error.message).toContain("registered providers: fake, ollama, openai")
    })
  )

  it.effect("a known provider whose package was not imported says it is not registered", () =>
    Effect.gen(function* () {
      const named = yield* failure("anthropic:claude-sonnet-4-5")
      expect(named.message).toContain(
        'chat model provider "anthropic" (for "anthropic:claude-sonnet-4-5") is not registered'
      )
      const inferred = yield* failure("claude-sonnet-4-5")
      expect(inferred).toBeInstanceOf(ChatError.InvalidInputError)
      expect(inferred.message).toContain('"anthropic"')
      expect(inferred.message).toContain("registered providers: fake, ollama, openai")
    })
  )

  it.effect("a model whose provider cannot be inferred, an empty spec and a missing model fail", () =>
    Effect.gen(function* () {
      expect((yield* failure("llama3.2")).message).toContain('cannot infer the provider of model "llama3.2"')
      expect((yield* failure("")).message).toContain("empty model spec")
      expect((yield* failure("fake:")).message).toContain('no model named in "fake:"')
    })
  )

  it.effect("the spec is resolved when the layer is built, so a later registration counts", () =>
    Effect.gen(function* () {
      const layer = ChatModel.fromString("late:model-x")
      ChatModel.registerProvider("late", fakeProvider("late"))
      const reply = yield* ChatModel.invoke("hi").pipe(
        Effect.provide(layer.pipe(Layer.provide(FetchHttpClient.layer)))
      )
      expect(reply.content).toBe("late/model-x")
      expect(ChatModel.registeredProviders()).toContain("late")
    })
  )

  it.effect("a provider's configuration error reaches the caller", () =>
    Effect.gen(function* () {
      ChatModel.registerProvider("configured", (model) =>
        Layer.effect(
          ChatModel.ChatModel,
          Effect.map(Config.string("CONFIGURED_API_KEY"), () => FakeChatModel.fromResponses([model]))
        )
      )
      const error = yield* failure("configured:m").pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      expect(error._tag).toBe("ConfigError")
    })
  )
})
