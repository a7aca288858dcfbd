/**
 * OpenAI-compatible servers: profile detection, what each profile changes in the
 * request, and how their answers are read (reasoning content, usage elsewhere or not at
 * all, no `[DONE]`, tool-call deltas without index, Azure's URLs and auth).
 */

import { FetchHttpClient } from "@effect/platform"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Effect, Either, Redacted, Schema } from "effect"
import { OpenAiChatModel } from "../../src/index.js"
import {
  apiKey,
  bodyOf,
  collect,
  expectValidRequests,
  finish,
  fixture,
  setup,
  track,
  usages
} from "../support/chat.js"

afterEach(expectValidRequests)

describe("compat detection", () => {
  it("detects families from unambiguous hosts", () => {
    expect(OpenAiChatModel.detectCompat("https://api.openai.com/v1")).toBe("openai")
    expect(OpenAiChatModel.detectCompat("https://api.groq.com/openai/v1")).toBe("groq")
    expect(OpenAiChatModel.detectCompat("https://api.deepseek.com")).toBe("deepseek")
    expect(OpenAiChatModel.detectCompat("https://api.x.ai/v1")).toBe("xai")
    expect(OpenAiChatModel.detectCompat("https://openrouter.ai/api/v1")).toBe("openrouter")
    expect(OpenAiChatModel.detectCompat("https://api.together.xyz/v1")).toBe("together")
    expect(OpenAiChatModel.detectCompat("https://my-resource.openai.azure.com")).toBe("azure")
    expect(OpenAiChatModel.detectCompat("http://localhost:11434/v1")).toBe("ollama")
    expect(OpenAiChatModel.detectCompat("http://127.0.0.1:8000/v1")).toBeUndefined()
    expect(OpenAiChatModel.detectCompat("not a url")).toBeUndefined()
  })

  it("each built-in profile names itself", () => {
    for (const [name, profile] of Object.entries(OpenAiChatModel.compatProfiles))
      expect(profile.name).toBe(name)
  })
})

describe("DeepSeek", () => {
  it.scoped(
    "reasoning_content becomes a reasoning block; cache hits are cacheRead; stream equals invoke",
    () =>
      Effect.gen(function* () {
        const { server, model } = yield* setup(
          [fixture("deepseek-reasoning.json"), fixture("deepseek-reasoning.sse", { partSize: 50 })],
          { model: "deepseek-reasoner", compat: "deepseek", maxTokens: 500 }
        )
        const invoked = yield* model.invoke([Message.system("Think."), Message.human("9.11 or 9.8?")])
        expect(invoked.content).toEqual([
          { type: "reasoning", reasoning: "Compare 9.11 and 9.8: 9.8 = 9.80 > 9.11." },
          { type: "text", text: "9.11 is greater than 9.8? No: 9.8 is greater." }
        ])
        expect(invoked.usageMetadata).toEqual({
          inputTokens: 13,
          outputTokens: 120,
          totalTokens: 133,
          inputTokenDetails: { cacheRead: 8 },
          outputTokenDetails: { reasoning: 104 }
        })
        const chunks = yield* collect(model.stream("9.11 or 9.8?"))
        const streamed = finish(chunks)
        expect(Message.text(streamed)).toBe(Message.text(invoked))
        expect(streamed.content).toEqual([
          { type: "reasoning", reasoning: "Compare 9.11 and 9.8: 9.8 = 9.80 > 9.11.", index: 0 },
          { type: "text", text: "9.11 is greater than 9.8? No: 9.8 is greater." }
        ])
        expect(streamed.usageMetadata).toEqual(invoked.usageMetadata)
        expect(usages(chunks).filter((usage) => usage !== undefined)).toHaveLength(1)
        const body = bodyOf(server, 0)
        expect(body.max_tokens).toBe(500)
        expect(body.max_completion_tokens).toBeUndefined()
        expect(body.messages).toEqual([
          { role: "system", content: "Think." },
          { role: "user", content: "9.11 or 9.8?" }
        ])
      })
  )

  it.scoped("a JSON Schema response format is refused before any request", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("text.json"), {
        model: "deepseek-chat",
        compat: "deepseek"
      })
      const Answer = Schema.Struct({ answer: Schema.String })
      const result = yield* Effect.either(
        model.pipe(ChatModel.withStructuredOutput(Answer, { method: "jsonSchema" })).invoke("Hi")
      )
      expect(Either.isLeft(result) && result.left._tag).toBe("UnsupportedFeatureError")
      expect(server.requests).toHaveLength(0)
    })
  )
})

describe("Groq", () => {
  it.scoped("usage from x_groq; names left out; logprobs and n refused", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("groq-usage.sse"), {
        model: "llama-3.3-70b-versatile",
        compat: "groq"
      })
      const chunks = yield* collect(model.stream([Message.human({ content: "Hi", name: "ada" })]))
      expect(finish(chunks).content).toBe("Hi there!")
      expect(finish(chunks).usageMetadata).toEqual({ inputTokens: 12, outputTokens: 3, totalTokens: 15 })
      expect(usages(chunks).filter((usage) => usage !== undefined)).toHaveLength(1)
      const body = bodyOf(server)
      expect(body.stream_options).toEqual({ include_usage: true })
      expect(body.messages).toEqual([{ role: "user", content: "Hi" }])
      for (const config of [{ logprobs: true }, { n: 2 }]) {
        const other = yield* setup(fixture("text.json"), { compat: "groq", ...config })
        const result = yield* Effect.either(other.model.invoke("Hi"))
        expect(Either.isLeft(result) && result.left).toBeInstanceOf(ChatError.UnsupportedFeatureError)
        expect(other.server.requests).toHaveLength(0)
      }
    })
  )
})

describe("xAI", () => {
  it.scoped("reasoning tokens reported apart from completion tokens are added to the output", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(
        WireServer.json({
          id: "x1",
          object: "chat.completion",
          created: 1,
          model: "grok-3-mini",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: "4", reasoning_content: "2+2=4" },
              finish_reason: "stop"
            }
          ],
          usage: {
            prompt_tokens: 10,
            completion_tokens: 1,
            total_tokens: 51,
            completion_tokens_details: { reasoning_tokens: 40 }
          }
        }),
        { model: "grok-3-mini", compat: "xai" }
      )
      const message = yield* model.invoke("2+2?")
      expect(message.usageMetadata).toEqual({
        inputTokens: 10,
        outputTokens: 41,
        totalTokens: 51,
        outputTokenDetails: { reasoning: 40 }
      })
      expect(message.content).toEqual([
        { type: "reasoning", reasoning: "2+2=4" },
        { type: "text", text: "4" }
      ])
    })
  )
})

describe("servers without usage or [DONE] (llama.cpp profile)", () => {
  it.scoped("a finish reason without [DONE] ends the stream; no usage means no usageMetadata", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup([fixture("no-usage-no-done.sse"), fixture("no-usage.json")], {
        model: "local-model",
        compat: "llamacpp"
      })
      const chunks = yield* collect(model.stream("Hi"))
      expect(finish(chunks).content).toBe("Hi!")
      expect(chunks.at(-1)?.last).toBe(true)
      expect(usages(chunks).every((usage) => usage === undefined)).toBe(true)
      const invoked = yield* model.invoke("Hi")
      expect(invoked.content).toBe("Hi!")
      expect(invoked.usageMetadata).toBeUndefined()
      expect(bodyOf(server, 0).stream_options).toBeUndefined()
      expect(model.profile.toolCalling).toBe(false)
    })
  )
})

describe("vLLM and OpenRouter", () => {
  it.scoped(
    "cumulative usage on every chunk (vLLM continuous usage): only the latest, on the final chunk",
    () =>
      Effect.gen(function* () {
        const head = { id: "cmpl-v", object: "chat.completion.chunk", created: 1, model: "Qwen/Qwen3-8B" }
        const body = WireServer.sse([
          {
            ...head,
            choices: [{ index: 0, delta: { role: "assistant", content: "" } }],
            usage: { prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 }
          },
          {
            ...head,
            choices: [{ index: 0, delta: { reasoning: "Think." } }],
            usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 }
          },
          {
            ...head,
            choices: [{ index: 0, delta: { content: "Hi" } }],
            usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 }
          },
          {
            ...head,
            choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
            usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 }
          },
          "[DONE]"
        ])
        const { model } = yield* setup(WireServer.sseReply(body), { model: "Qwen/Qwen3-8B", compat: "vllm" })
        const chunks = yield* collect(model.stream("Hi"))
        expect(usages(chunks).filter((usage) => usage !== undefined)).toEqual([
          { inputTokens: 9, outputTokens: 4, totalTokens: 13 }
        ])
        expect(finish(chunks).content).toEqual([
          { type: "reasoning", reasoning: "Think.", index: 0 },
          { type: "text", text: "Hi" }
        ])
      })
  )

  it.scoped("OpenRouter: the first non-empty reasoning field wins (no doubled text); no stream_options", () =>
    Effect.gen(function* () {
      const head = { id: "gen-1", object: "chat.completion.chunk", created: 1, model: "deepseek/deepseek-r1" }
      const body = WireServer.sse([
        {
          ...head,
          choices: [
            {
              index: 0,
              delta: { role: "assistant", content: "", reasoning: "Hmm.", reasoning_content: "Hmm." }
            }
          ]
        },
        { ...head, choices: [{ index: 0, delta: { content: "Yes." }, finish_reason: "stop" }] },
        { ...head, choices: [], usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } },
        "[DONE]"
      ])
      const { server, model } = yield* setup(WireServer.sseReply(body), {
        model: "deepseek/deepseek-r1",
        compat: "openrouter"
      })
      const message = finish(yield* collect(model.stream("Sure?")))
      expect(message.content).toEqual([
        { type: "reasoning", reasoning: "Hmm.", index: 0 },
        { type: "text", text: "Yes." }
      ])
      expect(message.usageMetadata).toEqual({ inputTokens: 5, outputTokens: 6, totalTokens: 11 })
      expect(bodyOf(server).stream_options).toBeUndefined()
    })
  )
})

describe("Ollama", () => {
  it.scoped("tool-call deltas without index merge by id into parallel calls", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("no-index-tool-calls.sse"), {
        model: "qwen3:8b",
        compat: "ollama",
        profile: { toolCalling: true }
      })
      const chunks = yield* collect(model.stream("Weather in Paris and Rome?"))
      const message = finish(chunks)
      expect(message.toolCalls).toEqual([
        { id: "call_a1", name: "get_weather", args: { city: "Paris" } },
        { id: "call_b2", name: "get_weather", args: { city: "Rome" } }
      ])
      expect(message.usageMetadata).toEqual({ inputTokens: 88, outputTokens: 31, totalTokens: 119 })
      expect(bodyOf(server).stream_options).toEqual({ include_usage: true })
      expect(model.profile.toolCalling).toBe(true)
    })
  )
})

describe("Azure OpenAI", () => {
  const azure = (baseUrl: (url: string) => string, config: Partial<OpenAiChatModel.Config> = {}) =>
    Effect.gen(function* () {
      const server = track(yield* WireServer.make(fixture("text.json")))
      const model = yield* OpenAiChatModel.make({
        model: "my-gpt4o",
        baseUrl: baseUrl(server.url),
        apiKey: Redacted.make(apiKey),
        compat: "azure",
        ...config
      }).pipe(Effect.provide(FetchHttpClient.layer))
      yield* model.invoke("Hi")
      return server.requests[0]!
    })

  it.scoped("a resource URL: deployment path, default api-version, api-key header (no bearer token)", () =>
    Effect.gen(function* () {
      const request = yield* azure((url) => url)
      expect(request.path).toBe("/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21")
      expect(request.headers["api-key"]).toBe(apiKey)
      expect(request.headers.authorization).toBeUndefined()
      expect(request.body).toMatchObject({ model: "my-gpt4o" })
    })
  )

  it.scoped("apiVersion is sent; a /openai/v1 base URL takes the plain path", () =>
    Effect.gen(function* () {
      const versioned = yield* azure((url) => url, { apiVersion: "2025-04-01-preview" })
      expect(versioned.path).toBe(
        "/openai/deployments/my-gpt4o/chat/completions?api-version=2025-04-01-preview"
      )
      const v1 = yield* azure((url) => `${url}/openai/v1`)
      expect(v1.path).toBe("/openai/v1/chat/completions")
    })
  )
})
