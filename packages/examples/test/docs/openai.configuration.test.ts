// The examples of docs/providers/openai.md, run against loopback servers (no key, no
// network): setup from the OPENAI_* variables, every configuration field's wire name,
// providerOptions, and usage in invoke and stream.

import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message } from "@effect-chat/core"
import { OpenAiChatModel } from "@effect-chat/openai"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Effect, Layer, Redacted } from "effect"
import * as Docs from "../../src/docs/openai.js"
import { bodyOf, chatServer, collect, env, key, redirectTo } from "./support/openai.js"

describe("setup: layerConfig from the OPENAI_* variables", () => {
  it.scoped("main reads key, base URL, organization, project and model from the environment", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("Bonjour !"))
      const { reply, streamed } = yield* Docs.main.pipe(
        env({
          OPENAI_API_KEY: key,
          OPENAI_BASE_URL: `${server.url}/v1`,
          OPENAI_ORG_ID: "org-123",
          OPENAI_PROJECT_ID: "proj_456",
          OPENAI_MODEL: "gpt-4.1"
        })
      )
      expect(reply.content).toBe("Bonjour !")
      expect(Message.text(streamed)).toBe("Bonjour !")
      expect(streamed.usageMetadata).toEqual(reply.usageMetadata)
      const [invoked, stream] = server.requests
      expect(invoked!.path).toBe("/v1/chat/completions")
      expect(invoked!.headers).toMatchObject({
        authorization: `Bearer ${key}`,
        "openai-organization": "org-123",
        "openai-project": "proj_456"
      })
      expect(invoked!.body).toEqual({
        model: "gpt-4.1",
        messages: [{ role: "user", content: "Say hello in French." }]
      })
      expect(stream!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } })
    })
  )

  it.effect("without OPENAI_MODEL the model is gpt-4.1-mini", () =>
    Effect.gen(function* () {
      const model = yield* ChatModel.ChatModel.pipe(
        Effect.provide(Docs.OpenAiLive),
        env({ OPENAI_API_KEY: key })
      )
      expect(model.identifyingParams.model).toBe(OpenAiChatModel.defaultModel)
      expect(OpenAiChatModel.defaultModel).toBe("gpt-4.1-mini")
    })
  )
})

describe("configuration", () => {
  it.scoped("configured: each field in code reaches its wire field", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("ok"))
      const asked: Array<string> = []
      yield* ChatModel.invoke("Hi").pipe(
        Effect.provide(Docs.configured(Redacted.make(key)).pipe(Layer.provide(redirectTo(server, asked)))),
        env()
      )
      expect(asked).toEqual(["https://api.openai.com/v1/chat/completions"])
      expect(server.requests[0]!.headers).toMatchObject({
        authorization: `Bearer ${key}`,
        "openai-organization": "org-example",
        "openai-project": "proj_example"
      })
      expect(bodyOf(server)).toEqual({
        model: "gpt-4.1",
        messages: [{ role: "user", content: "Hi" }],
        temperature: 0.2,
        max_completion_tokens: 1024,
        seed: 42,
        stop: ["\n\nUser:"],
        user: "user-1234"
      })
    })
  )

  it.scoped("the table: every Chat Completions field and its wire name", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("ok"))
      const model = yield* OpenAiChatModel.make({
        model: "gpt-4.1-mini",
        apiKey: Redacted.make(key),
        baseUrl: `${server.url}/v1`,
        temperature: 0.5,
        maxTokens: 100,
        topP: 0.9,
        seed: 7,
        stop: ["END"],
        n: 2,
        logprobs: true,
        topLogprobs: 3,
        reasoningEffort: "low",
        serviceTier: "flex",
        organization: "org-1",
        project: "proj-1",
        user: "u-1",
        frequencyPenalty: 0.1,
        presencePenalty: 0.2,
        streamUsage: false,
        headers: { "x-trace": "abc" },
        timeout: "30 seconds"
      }).pipe(Effect.provide(FetchHttpClient.layer))
      yield* model.invoke("Hi")
      yield* collect(model.stream("Hi"))
      expect(bodyOf(server, 0)).toEqual({
        model: "gpt-4.1-mini",
        messages: [{ role: "user", content: "Hi" }],
        temperature: 0.5,
        top_p: 0.9,
        max_completion_tokens: 100,
        seed: 7,
        n: 2,
        logprobs: true,
        top_logprobs: 3,
        reasoning_effort: "low",
        service_tier: "flex",
        user: "u-1",
        frequency_penalty: 0.1,
        presence_penalty: 0.2,
        stop: ["END"]
      })
      expect(server.requests[0]!.headers).toMatchObject({
        "openai-organization": "org-1",
        "openai-project": "proj-1",
        "x-trace": "abc"
      })
      // streamUsage: false: no stream_options
      expect(bodyOf(server, 1).stream).toBe(true)
      expect(bodyOf(server, 1)).not.toHaveProperty("stream_options")
    })
  )

  it.scoped("a call's stop replaces the configured one; compatible servers get max_tokens", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("ok"))
      const model = yield* OpenAiChatModel.make({
        model: "local",
        baseUrl: `${server.url}/v1`,
        compat: "llamacpp",
        maxTokens: 64,
        stop: ["END"]
      }).pipe(Effect.provide(FetchHttpClient.layer))
      yield* model.invoke("Hi", { stop: ["STOP"] })
      expect(bodyOf(server)).toMatchObject({ max_tokens: 64, stop: ["STOP"] })
      expect(bodyOf(server)).not.toHaveProperty("max_completion_tokens")
      expect(server.requests[0]!.headers).not.toHaveProperty("authorization")
    })
  )

  it.scoped("Tuned: given values win over OPENAI_MODEL; Config values read your own variables", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("ok"))
      yield* ChatModel.invoke("Hi").pipe(
        Effect.provide(Docs.Tuned.pipe(Layer.provide(FetchHttpClient.layer))),
        env({
          OPENAI_API_KEY: key,
          OPENAI_BASE_URL: `${server.url}/v1`,
          OPENAI_MODEL: "gpt-4o",
          CHAT_TEMPERATURE: "0.7"
        })
      )
      expect(bodyOf(server)).toMatchObject({
        model: "gpt-4.1-mini",
        temperature: 0.7,
        max_completion_tokens: 1024
      })
    })
  )

  it.scoped("providerOptions: added to the body last; undefined removes a field (Chat Completions)", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("A summary."))
      const Model = OpenAiChatModel.layer({
        model: "gpt-4.1-mini",
        apiKey: Redacted.make(key),
        baseUrl: `${server.url}/v1`
      }).pipe(Layer.provide(FetchHttpClient.layer))
      const summary = yield* Docs.summarize("A long text.").pipe(Effect.provide(Model))
      expect(summary.content).toBe("A summary.")
      expect(bodyOf(server)).toMatchObject({
        prompt_cache_key: "summaries-v1",
        safety_identifier: "user-1234"
      })
      yield* collect(
        ChatModel.stream("Hi", { providerOptions: { stream_options: undefined, temperature: 1 } })
      ).pipe(Effect.provide(Model))
      expect(bodyOf(server, 1)).not.toHaveProperty("stream_options")
      expect(bodyOf(server, 1)).toMatchObject({ stream: true, temperature: 1 })
    })
  )
})

describe("streaming and usage", () => {
  it.scoped("usageBothWays: the final chunk carries the invoke usage, no other chunk any", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("Types catch the bug"))
      const result = yield* Docs.usageBothWays.pipe(
        Effect.provide(Docs.OpenAiLive),
        env({ OPENAI_API_KEY: key, OPENAI_BASE_URL: `${server.url}/v1` })
      )
      expect(result.invoked).toEqual({ inputTokens: 12, outputTokens: 5, totalTokens: 17 })
      expect(result.streamed).toEqual(result.invoked)
      expect(result.chunksWithUsage).toBe(1)
    })
  )
})
