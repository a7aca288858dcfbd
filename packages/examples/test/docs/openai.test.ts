// The examples of docs/providers/openai.md, run against loopback servers (no key, no
// network): what each layer sends (URL, headers, body fields), what comes back, and the
// claims of the page's tables (every configuration field's wire name, the compatibility
// families, the error mapping).

import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message, ModelProfile } from "@effect-chat/core"
import { OpenAiChatModel, OpenAiResponsesModel } from "@effect-chat/openai"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Chunk, ConfigProvider, Duration, Effect, Layer, Redacted, Stream } from "effect"
import * as Docs from "../../src/docs/openai.js"
import * as Quickstart from "../../src/quickstart.js"

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

const key = "sk-test-openai-docs-0123456789"

/** Configuration read from these variables only (nothing from the machine's environment). */
const env = (variables: Record<string, string> = {}) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))

/**
 * An `HttpClient` that sends every request to `server` instead (path and query kept)
 * and records the URL each request was meant for: the examples keep their real URLs.
 */
const redirectTo = (server: WireServer.WireServer, asked: Array<string>) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.mapRequest(client, (request) => {
        asked.push(request.url)
        return HttpClientRequest.setUrl(request, `${server.url}${new URL(request.url).pathname}`)
      })
    )
  ).pipe(Layer.provide(FetchHttpClient.layer))

type Json = Record<string, unknown>

const bodyOf = (server: WireServer.WireServer, index = 0): Json => server.requests[index]!.body as Json

const isStreamRequest = (request: WireServer.RecordedRequest): boolean =>
  (request.body as Json | undefined)?.stream === true

const usage = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 }

/** A `chat.completion` answer (written from `CreateChatCompletionResponse`). */
const completion = (message: Json, extra: Json = {}) => ({
  id: "chatcmpl-docs",
  object: "chat.completion",
  created: 1741570283,
  model: "gpt-4.1-mini-2025-04-14",
  choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: "stop" }],
  usage,
  ...extra
})

const chunkOf = (choices: ReadonlyArray<Json>, extra: Json = {}) => ({
  id: "chatcmpl-docs",
  object: "chat.completion.chunk",
  created: 1741570283,
  model: "gpt-4.1-mini-2025-04-14",
  choices,
  ...extra
})

/** An SSE answer: one delta per piece, the finish chunk, the usage chunk when asked for, `[DONE]`. */
const streamed = (pieces: ReadonlyArray<Json>, withUsage: boolean) =>
  WireServer.sseReply(
    WireServer.sse([
      ...pieces.map((delta) => chunkOf([{ index: 0, delta, finish_reason: null }])),
      chunkOf([{ index: 0, delta: {}, finish_reason: "stop" }]),
      ...(withUsage ? [chunkOf([], { usage })] : []),
      "[DONE]"
    ])
  )

/** A Chat Completions server answering `text` (JSON, or SSE with usage when the request asks for it). */
const chatServer =
  (text: string, reasoning?: Json) =>
  (request: WireServer.RecordedRequest): WireServer.Reply => {
    if (!isStreamRequest(request)) return WireServer.json(completion({ content: text, ...reasoning }))
    const options = (request.body as Json).stream_options as Json | undefined
    const words = text.split(/(?= )/).map((content) => ({ content }))
    return streamed(reasoning === undefined ? words : [reasoning, ...words], options?.include_usage === true)
  }

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

// ---------------------------------------------------------------------------
// setup and configuration
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// the Responses API
// ---------------------------------------------------------------------------

const response = (output: ReadonlyArray<Json>, extra: Json = {}) => ({
  id: "resp_docs",
  object: "response",
  created_at: 1741476777,
  status: "completed",
  error: null,
  incomplete_details: null,
  model: "o4-mini-2025-04-16",
  output,
  usage: {
    input_tokens: 13,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 148,
    output_tokens_details: { reasoning_tokens: 128 },
    total_tokens: 161
  },
  ...extra
})

const reasoningItem = {
  id: "rs_1",
  type: "reasoning",
  summary: [{ type: "summary_text", text: "Compare 9.11 and 9.90." }],
  encrypted_content: "gAAAAB-encrypted-reasoning"
}

const messageItem = (text: string) => ({
  id: "msg_1",
  type: "message",
  status: "completed",
  role: "assistant",
  content: [{ type: "output_text", text, annotations: [] }]
})

describe("the Responses API", () => {
  it.scoped("twoTurns: store false, encrypted reasoning requested and sent back, item ids left out", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.json(response([reasoningItem, messageItem("9.9 is larger.")]))
      )
      const { first } = yield* Docs.twoTurns.pipe(
        Effect.provide(Docs.ResponsesLive),
        env({ OPENAI_API_KEY: key, OPENAI_BASE_URL: `${server.url}/v1` })
      )
      expect(server.requests[0]!.path).toBe("/v1/responses")
      expect(first.content).toEqual([
        {
          type: "reasoning",
          reasoning: "Compare 9.11 and 9.90.",
          encrypted: "gAAAAB-encrypted-reasoning",
          index: 0
        },
        { type: "text", text: "9.9 is larger.", index: 1 }
      ])
      expect(first.usageMetadata).toMatchObject({ outputTokens: 148, outputTokenDetails: { reasoning: 128 } })
      expect(bodyOf(server, 0)).toEqual({
        model: "o4-mini",
        input: [{ type: "message", role: "user", content: "Which is larger, 9.11 or 9.9?" }],
        reasoning: { effort: "low", summary: "auto" },
        store: false,
        include: ["reasoning.encrypted_content"]
      })
      expect(bodyOf(server, 1).input).toEqual([
        { type: "message", role: "user", content: "Which is larger, 9.11 or 9.9?" },
        {
          type: "reasoning",
          id: "rs_1",
          summary: [{ type: "summary_text", text: "Compare 9.11 and 9.90." }],
          encrypted_content: "gAAAAB-encrypted-reasoning"
        },
        { type: "message", role: "assistant", content: "9.9 is larger." },
        { type: "message", role: "user", content: "By how much?" }
      ])
    })
  )

  it.scoped("a tool call's id is the call_id; the item id is kept to send back", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.json(
          response([
            {
              type: "function_call",
              id: "fc_1",
              call_id: "call_abc",
              name: "get_weather",
              arguments: '{"city":"Paris"}',
              status: "completed"
            }
          ])
        )
      )
      const model = yield* OpenAiResponsesModel.make({
        model: "gpt-4.1-mini",
        apiKey: Redacted.make(key),
        baseUrl: `${server.url}/v1`
      }).pipe(Effect.provide(FetchHttpClient.layer))
      const question = Message.human("Weather in Paris?")
      const reply = yield* model.invoke([question])
      expect(reply.toolCalls).toEqual([{ id: "call_abc", name: "get_weather", args: { city: "Paris" } }])
      expect(reply.additionalKwargs?.functionCallItemIds).toEqual({ call_abc: "fc_1" })
      yield* model.invoke([question, reply, Message.tool({ content: "18°C", toolCallId: "call_abc" })])
      expect(bodyOf(server, 1).input).toEqual([
        { type: "message", role: "user", content: "Weather in Paris?" },
        {
          type: "function_call",
          call_id: "call_abc",
          name: "get_weather",
          arguments: '{"city":"Paris"}',
          id: "fc_1"
        },
        { type: "function_call_output", call_id: "call_abc", output: "18°C" }
      ])
    })
  )

  it.scoped("the table: the Responses fields and their wire names; stop is applied on the client", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(WireServer.json(response([messageItem("one two three")])))
      const model = yield* OpenAiResponsesModel.make({
        model: "gpt-4.1-mini",
        apiKey: Redacted.make(key),
        baseUrl: `${server.url}/v1`,
        temperature: 0.3,
        maxTokens: 200,
        topP: 0.8,
        reasoningEffort: "medium",
        reasoningSummary: "concise",
        serviceTier: "priority",
        user: "u-1",
        store: true,
        include: ["file_search_call.results"],
        metadata: { app: "docs" },
        logprobs: true,
        topLogprobs: 2,
        organization: "org-1",
        project: "proj-1"
      }).pipe(Effect.provide(FetchHttpClient.layer))
      const reply = yield* model.invoke("Count", { stop: ["three"], providerOptions: { truncation: "auto" } })
      expect(reply.content).toEqual([{ type: "text", text: "one two ", index: 0 }])
      expect(bodyOf(server)).toEqual({
        model: "gpt-4.1-mini",
        input: [{ type: "message", role: "user", content: "Count" }],
        temperature: 0.3,
        top_p: 0.8,
        max_output_tokens: 200,
        top_logprobs: 2,
        reasoning: { effort: "medium", summary: "concise" },
        service_tier: "priority",
        store: true,
        include: ["file_search_call.results", "message.output_text.logprobs"],
        metadata: { app: "docs" },
        user: "u-1",
        truncation: "auto"
      })
      expect(server.requests[0]!.headers).toMatchObject({
        "openai-organization": "org-1",
        "openai-project": "proj-1"
      })
    })
  )

  it.scoped("response.failed in a stream fails it with a typed error", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.sseReply(
          WireServer.sse([
            { event: "response.created", data: { type: "response.created", response: response([]) } },
            {
              event: "response.failed",
              data: {
                type: "response.failed",
                response: response([], {
                  status: "failed",
                  error: { code: "server_error", message: "The model failed" }
                })
              }
            }
          ])
        )
      )
      const model = yield* OpenAiResponsesModel.make({
        model: "gpt-4.1-mini",
        baseUrl: `${server.url}/v1`
      }).pipe(Effect.provide(FetchHttpClient.layer))
      const error = yield* Effect.flip(collect(model.stream("Hi")))
      expect(error).toMatchObject({ _tag: "ServerError", retryable: true, message: "The model failed" })
    })
  )
})

// ---------------------------------------------------------------------------
// compatible servers
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// profiles, streaming and usage
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

describe("errors", () => {
  const error = (type: string, message: string, code?: string) =>
    code === undefined ? { message, type } : { message, type, code }

  it.scoped("the status table", () =>
    Effect.gen(function* () {
      const table: ReadonlyArray<readonly [WireServer.Reply, string, boolean]> = [
        [
          WireServer.errorReply(400, error("invalid_request_error", "Unknown parameter")),
          "BadRequestError",
          false
        ],
        [
          WireServer.errorReply(401, error("invalid_request_error", "Bad key", "invalid_api_key")),
          "AuthenticationError",
          false
        ],
        [
          WireServer.errorReply(403, error("invalid_request_error", "Region not supported")),
          "PermissionDeniedError",
          false
        ],
        [
          WireServer.errorReply(404, error("invalid_request_error", "No such model", "model_not_found")),
          "NotFoundError",
          false
        ],
        [WireServer.errorReply(408, error("timeout", "Request timed out")), "TimeoutError", true],
        [
          WireServer.errorReply(422, error("invalid_request_error", "Unprocessable")),
          "BadRequestError",
          false
        ],
        [
          WireServer.errorReply(
            400,
            error(
              "invalid_request_error",
              "This model's maximum context length is 128000 tokens.",
              "context_length_exceeded"
            )
          ),
          "ContextLengthExceededError",
          false
        ],
        [
          WireServer.errorReply(
            400,
            error("invalid_request_error", "Flagged by our safety system", "content_filter")
          ),
          "ContentFilterError",
          false
        ],
        [WireServer.rateLimited({ retryAfter: "7" }), "RateLimitError", true],
        [
          WireServer.errorReply(
            429,
            error("insufficient_quota", "You exceeded your current quota", "insufficient_quota")
          ),
          "RateLimitError",
          false
        ],
        [WireServer.serverError(500), "ServerError", true],
        [WireServer.serverError(503, "Overloaded"), "ServerError", true]
      ]
      const server = yield* WireServer.make(table.map(([reply]) => reply))
      const model = yield* OpenAiChatModel.make({
        model: "gpt-4.1-mini",
        apiKey: Redacted.make(key),
        baseUrl: `${server.url}/v1`
      }).pipe(Effect.provide(FetchHttpClient.layer))
      for (const [, tag, retryable] of table) {
        const failure = yield* Effect.flip(model.invoke("Hi"))
        expect(failure, tag).toMatchObject({ _tag: tag, retryable, provider: "openai" })
        expect(JSON.stringify(failure)).not.toContain(key)
      }
    })
  )

  it.scoped("retry-after, retry-after-ms and an HTTP date become RateLimitError.retryAfter", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make([
        WireServer.rateLimited({ retryAfter: "7" }),
        WireServer.rateLimited({ retryAfterMs: "1500", retryAfter: "2" }),
        WireServer.rateLimited({ retryAfter: new Date(Date.UTC(1970, 0, 1, 0, 1)).toUTCString() })
      ])
      const model = yield* OpenAiChatModel.make({ model: "gpt-4.1-mini", baseUrl: `${server.url}/v1` }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const waits: Array<Duration.Duration | undefined> = []
      for (let i = 0; i < 3; i++) {
        const failure = yield* Effect.flip(model.invoke("Hi"))
        waits.push(failure._tag === "RateLimitError" ? failure.retryAfter : undefined)
      }
      // TestClock's time is 0: the HTTP date one minute later is a 60 s wait
      expect(waits).toEqual([Duration.seconds(7), Duration.millis(1500), Duration.seconds(60)])
    })
  )

  it.scoped("ask: context length, content filter and quota become sentences; other errors stay", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make([
        WireServer.errorReply(
          400,
          error("invalid_request_error", "maximum context length exceeded", "context_length_exceeded")
        ),
        WireServer.errorReply(400, error("invalid_request_error", "content filter", "content_filter")),
        WireServer.errorReply(429, error("insufficient_quota", "quota", "insufficient_quota")),
        WireServer.rateLimited({ retryAfter: "1" })
      ])
      const Model = OpenAiChatModel.layer({ model: "gpt-4.1-mini", baseUrl: `${server.url}/v1` }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
      const answers = yield* Effect.forEach([1, 2, 3], () => Docs.ask("Hi")).pipe(Effect.provide(Model))
      expect(answers).toEqual([
        "(the conversation is too long for this model)",
        "(the request was refused by the content filter)",
        "(the account's quota is exhausted)"
      ])
      const rateLimit = yield* Effect.flip(Docs.ask("Hi").pipe(Effect.provide(Model)))
      expect(rateLimit._tag).toBe("RateLimitError")
    })
  )

  it.scoped("an error event inside a stream fails it with its typed error, after the chunks before it", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.sseReply(
          WireServer.sse([
            chunkOf([{ index: 0, delta: { content: "Hel" }, finish_reason: null }]),
            { error: { message: "The server had an error", type: "server_error" } }
          ])
        )
      )
      const model = yield* OpenAiChatModel.make({ model: "gpt-4.1-mini", baseUrl: `${server.url}/v1` }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const seen: Array<string> = []
      const failure = yield* Effect.flip(
        Stream.runForEach(model.stream("Hi"), (chunk) => Effect.sync(() => seen.push(Message.text(chunk))))
      )
      expect(seen).toEqual(["Hel"])
      expect(failure).toMatchObject({ _tag: "ServerError", retryable: true })
    })
  )

  it.scoped("a finish_reason content_filter is an answer, not an error", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make(
        WireServer.json({
          ...completion({ content: "" }),
          choices: [
            { index: 0, message: { role: "assistant", content: "" }, finish_reason: "content_filter" }
          ]
        })
      )
      const model = yield* OpenAiChatModel.make({ model: "gpt-4.1-mini", baseUrl: `${server.url}/v1` }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const reply = yield* model.invoke("Hi")
      expect(reply.responseMetadata).toMatchObject({
        finishReason: "contentFilter",
        rawFinishReason: "content_filter"
      })
    })
  )

  it.effect("Resilient is OpenAiLive behind withRetry", () =>
    Effect.gen(function* () {
      const model = yield* ChatModel.ChatModel.pipe(
        Effect.provide(Docs.Resilient),
        env({ OPENAI_API_KEY: key })
      )
      expect(model.llmType).toBe("openai-chat")
    })
  )
})

// ---------------------------------------------------------------------------
// fromString and npm start
// ---------------------------------------------------------------------------

describe("models by name", () => {
  it.scoped("FromSpec and ResponsesFromSpec: options as configuration, the rest from OPENAI_*", () =>
    Effect.gen(function* () {
      const server = yield* WireServer.make((request) =>
        request.path.endsWith("/responses")
          ? WireServer.json(response([messageItem("Hi from Responses")]))
          : WireServer.json(completion({ content: "Hi from Chat Completions" }))
      )
      const variables = { OPENAI_API_KEY: key, OPENAI_BASE_URL: `${server.url}/v1` }
      const chat = yield* ChatModel.invoke("Hello").pipe(Effect.provide(Docs.FromSpec), env(variables))
      const responses = yield* ChatModel.invoke("Hello").pipe(
        Effect.provide(Docs.ResponsesFromSpec),
        env(variables)
      )
      expect(Message.text(chat)).toBe("Hi from Chat Completions")
      expect(Message.text(responses)).toBe("Hi from Responses")
      expect(bodyOf(server, 0)).toMatchObject({ model: "gpt-4.1-mini", temperature: 0 })
      expect(server.requests[1]!.path).toBe("/v1/responses")
      expect(bodyOf(server, 1)).toMatchObject({ model: "o4-mini", reasoning: { effort: "low" } })
    })
  )

  it.effect("a bare OpenAI model name is inferred; an unregistered provider fails when built", () =>
    Effect.gen(function* () {
      expect(ChatModel.inferProvider("gpt-4.1")).toBe("openai")
      expect(ChatModel.inferProvider("o4-mini")).toBe("openai")
      const failure = yield* Effect.flip(
        ChatModel.ChatModel.pipe(
          Effect.provide(
            ChatModel.fromString("anthropic:claude-sonnet-4-5").pipe(Layer.provide(FetchHttpClient.layer))
          )
        )
      )
      expect(failure._tag).toBe("InvalidInputError")
    })
  )
})

describe("switching npm start", () => {
  it.scoped(
    "OPENAI_API_KEY alone picks OpenAI; OPENAI_BASE_URL alone picks a keyless compatible server",
    () =>
      Effect.gen(function* () {
        expect(Quickstart.selectModel({ OPENAI_API_KEY: key }).description).toContain("OpenAI gpt-4.1-mini")
        expect(
          Quickstart.selectModel({ OPENAI_BASE_URL: "http://localhost:11434/v1" }).description
        ).toContain("on http://localhost:11434/v1")
        const local = yield* WireServer.make(chatServer("Hello from a local model"))
        const alone = Quickstart.selectModel({ OPENAI_BASE_URL: `${local.url}/v1` })
        const answered = yield* Quickstart.program.pipe(Effect.provide(alone.layer))
        expect(Message.text(answered.streamed)).toBe("Hello from a local model")
        const server = yield* WireServer.make(chatServer("Hello from a local model"))
        const choice = Quickstart.selectModel({
          EFFECT_CHAT_MODEL: "openai:llama3.2",
          OPENAI_BASE_URL: `${server.url}/v1`
        })
        const result = yield* Quickstart.program.pipe(Effect.provide(choice.layer))
        expect(Message.text(result.streamed)).toBe("Hello from a local model")
        expect(bodyOf(server)).toMatchObject({ model: "llama3.2" })
        expect(server.requests[0]!.headers).not.toHaveProperty("authorization")
      })
  )
})
