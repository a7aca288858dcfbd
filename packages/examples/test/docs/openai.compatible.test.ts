// The examples of docs/providers/openai.md, run against loopback servers (no key, no
// network): OpenAI-compatible servers (the compatibility families, their profiles, the
// page's example for each) and model profiles.

import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message, ModelProfile } from "@effect-chat/core"
import { OpenAiChatModel } from "@effect-chat/openai"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Effect, Layer } from "effect"
import * as Docs from "../../src/docs/openai.js"
import { bodyOf, chatServer, collect, completion, env, redirectTo, usage } from "./support/openai.js"

describe("OpenAI-compatible servers", () => {
  it("detects the family from the base URL's host", () => {
    const hosts: ReadonlyArray<readonly [string, OpenAiChatModel.CompatName | undefined]> = [
      ["https://api.openai.com/v1", "openai"],
      ["https://my-resource.openai.azure.com", "azure"],
      ["https://api.groq.com/openai/v1", "groq"],
      ["https://api.deepseek.com/v1", "deepseek"],
      ["https://api.x.ai/v1", "xai"],
      ["https://openrouter.ai/api/v1", "openrouter"],
      ["https://api.together.xyz/v1", "together"],
      ["http://localhost:11434/v1", "ollama"],
      ["http://127.0.0.1:11434/v1", "ollama"],
      ["http://10.0.0.5:8000/v1", undefined],
      ["http://localhost:1234/v1", undefined]
    ]
    for (const [url, family] of hosts) expect(OpenAiChatModel.detectCompat(url), url).toBe(family)
  })

  it("the built-in profiles: what each family changes", () => {
    const { openai, azure, vllm, llamacpp, ollama, lmstudio, groq, together, deepseek, xai, openrouter } =
      OpenAiChatModel.compatProfiles
    expect(openai).toMatchObject({
      developerRole: true,
      maxTokensField: "max_completion_tokens",
      streamOptions: true,
      reasoningFields: []
    })
    expect(azure).toEqual({ ...openai, name: "azure", azure: true })
    const compatible = { developerRole: false, maxTokensField: "max_tokens" }
    expect(vllm).toMatchObject({ ...compatible, reasoningFields: ["reasoning_content", "reasoning"] })
    expect(llamacpp).toMatchObject({ ...compatible, streamOptions: false, multipleChoices: false })
    expect(ollama).toMatchObject({
      ...compatible,
      strictTools: false,
      parallelToolCalls: false,
      multipleChoices: false
    })
    expect(lmstudio).toMatchObject({ ...compatible, streamOptions: false, multipleChoices: false })
    expect(groq).toMatchObject({
      ...compatible,
      messageNames: false,
      logprobs: false,
      multipleChoices: false,
      reasoningFields: ["reasoning"],
      usageContainer: "x_groq"
    })
    expect(together).toMatchObject({ ...compatible, reasoningFields: ["reasoning", "reasoning_content"] })
    expect(deepseek).toMatchObject({
      ...compatible,
      strictTools: false,
      jsonSchema: false,
      multipleChoices: false,
      cacheHitField: "prompt_cache_hit_tokens"
    })
    expect(xai).toMatchObject({ ...compatible, multipleChoices: false, reasoningInCompletion: false })
    expect(openrouter).toMatchObject({ ...compatible, streamOptions: false })
  })

  it.scoped("Ollama: no key, system instead of developer, errors named ollama", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make([
        WireServer.json(completion({ content: "Hi!" })),
        WireServer.errorReply(404, { message: "model 'llama3.2' not found", type: "api_error" })
      ])
      const asked: Array<string> = []
      const Model = Docs.Ollama.pipe(Layer.provide(redirectTo(server, asked)))
      const developer = Message.system({ content: "Be brief.", additionalKwargs: { role: "developer" } })
      yield* ChatModel.invoke([developer, Message.human("Hi")]).pipe(Effect.provide(Model))
      expect(asked[0]).toBe("http://localhost:11434/v1/chat/completions")
      expect(server.requests[0]!.headers).not.toHaveProperty("authorization")
      expect(bodyOf(server).messages).toEqual([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" }
      ])
      const error = yield* Effect.flip(ChatModel.invoke("Hi").pipe(Effect.provide(Model)))
      expect(error).toMatchObject({ _tag: "NotFoundError", provider: "ollama", status: 404 })
    })
  )

  it.scoped("vLLM: the named family reads reasoning_content; the profile is the one given", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("It is 4.", { reasoning_content: "2 + 2 = 4" }))
      const asked: Array<string> = []
      const Model = Docs.Vllm.pipe(Layer.provide(redirectTo(server, asked)))
      const model = yield* ChatModel.ChatModel.pipe(Effect.provide(Model))
      expect(model.profile).toEqual({
        ...ModelProfile.conservative,
        toolCalling: true,
        toolChoice: true,
        maxInputTokens: 32_768
      })
      const reply = yield* model.invoke("What is 2 + 2?")
      expect(reply.content).toEqual([
        { type: "reasoning", reasoning: "2 + 2 = 4" },
        { type: "text", text: "It is 4." }
      ])
      const merged = yield* collect(model.stream("What is 2 + 2?")).pipe(
        Effect.map((chunks) =>
          Message.toMessage(chunks.reduce(Message.concat, Message.chunk({ content: "" })))
        )
      )
      expect(Message.text(merged)).toBe("It is 4.")
      expect(asked[0]).toBe("http://10.0.0.5:8000/v1/chat/completions")
    })
  )

  it.scoped("Groq: its own key variable, names left out, usage from x_groq", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.json(completion({ content: "Hi" }, { usage: undefined, x_groq: { usage } }))
      )
      const asked: Array<string> = []
      const reply = yield* ChatModel.invoke([Message.human({ content: "Hi", name: "ada" })]).pipe(
        Effect.provide(Docs.Groq.pipe(Layer.provide(redirectTo(server, asked)))),
        env({ GROQ_API_KEY: "gsk-test-0123456789" })
      )
      expect(asked[0]).toBe("https://api.groq.com/openai/v1/chat/completions")
      expect(server.requests[0]!.headers.authorization).toBe("Bearer gsk-test-0123456789")
      expect(bodyOf(server).messages).toEqual([{ role: "user", content: "Hi" }])
      expect(reply.usageMetadata).toEqual({ inputTokens: 12, outputTokens: 5, totalTokens: 17 })
    })
  )

  it.scoped("InHouse: a custom profile (no stream_options, reasoning in `thinking`, its own name)", () =>
    Effect.gen(function* () {
      const answer = chatServer("Done.", { thinking: "Let me think." })
      const server = yield* WireServer.make((request) =>
        request.index === 0 ? answer(request) : WireServer.serverError(503, "busy")
      )
      const asked: Array<string> = []
      const Model = Docs.InHouse.pipe(Layer.provide(redirectTo(server, asked)))
      const chunks = yield* collect(ChatModel.stream("Go")).pipe(Effect.provide(Model))
      const merged = Message.toMessage(chunks.reduce(Message.concat, Message.chunk({ content: "" })))
      expect(merged.content).toEqual([
        { type: "reasoning", reasoning: "Let me think.", index: 0 },
        { type: "text", text: "Done." }
      ])
      expect(merged.usageMetadata).toBeUndefined() // no stream_options: the server sent no usage
      expect(bodyOf(server)).not.toHaveProperty("stream_options")
      const error = yield* Effect.flip(ChatModel.invoke("Go").pipe(Effect.provide(Model)))
      expect(error).toMatchObject({ _tag: "ServerError", provider: "in-house", status: 503 })
    })
  )

  it.scoped("Azure: deployment URL with api-version, api-key header; the v1 API without", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("ok"))
      const asked: Array<string> = []
      const azureKey = "azure-test-key-0123456789"
      for (const layer of [Docs.Azure, Docs.AzureV1]) {
        yield* ChatModel.invoke("Hi").pipe(
          Effect.provide(layer.pipe(Layer.provide(redirectTo(server, asked)))),
          env({ AZURE_OPENAI_API_KEY: azureKey })
        )
      }
      expect(asked).toEqual([
        "https://my-resource.openai.azure.com/openai/deployments/my-gpt-41-deployment/chat/completions",
        "https://my-resource.openai.azure.com/openai/v1/chat/completions"
      ])
      expect(server.requests[0]!.path).toBe(
        "/openai/deployments/my-gpt-41-deployment/chat/completions?api-version=2024-10-21"
      )
      expect(server.requests[1]!.path).toBe("/openai/v1/chat/completions")
      for (const request of server.requests) {
        expect(request.headers["api-key"]).toBe(azureKey)
        expect(request.headers).not.toHaveProperty("authorization")
      }
      const model = yield* ChatModel.ChatModel.pipe(
        Effect.provide(Docs.Azure.pipe(Layer.provide(FetchHttpClient.layer))),
        env({ AZURE_OPENAI_API_KEY: azureKey })
      )
      expect(model.profile).toMatchObject({
        toolCalling: true,
        structuredOutput: true,
        maxInputTokens: 1_047_576
      })
    })
  )

  it.scoped("what a family cannot take fails before any request", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(chatServer("ok"))
      const groq = (config: Partial<OpenAiChatModel.Config>) =>
        OpenAiChatModel.make({
          model: "llama-3.3-70b-versatile",
          baseUrl: server.url,
          compat: "groq",
          ...config
        }).pipe(
          Effect.provide(FetchHttpClient.layer),
          Effect.flatMap((model) => Effect.flip(model.invoke("Hi")))
        )
      expect(yield* groq({ n: 2 })).toMatchObject({ _tag: "UnsupportedFeatureError", provider: "groq" })
      expect(yield* groq({ logprobs: true })).toMatchObject({
        _tag: "UnsupportedFeatureError",
        provider: "groq"
      })
      expect(server.requests).toHaveLength(0)
    })
  )
})

describe("model profiles", () => {
  it.effect("a known OpenAI model's profile; a compatible server's starts conservative", () =>
    Effect.gen(function* () {
      const { openai, local } = yield* Docs.profiles.pipe(Effect.provide(FetchHttpClient.layer))
      expect(openai).toMatchObject({
        maxInputTokens: 1_047_576,
        maxOutputTokens: 32_768,
        toolCalling: true,
        toolChoice: true,
        parallelToolCalls: true,
        structuredOutput: true,
        jsonMode: true,
        imageInputs: true,
        reasoningOutput: false
      })
      expect(local).toEqual({ ...ModelProfile.conservative, toolCalling: true, toolChoice: true })
    })
  )
})
