/**
 * The request bodies `OpenAiResponsesModel` sends to `POST /responses`, asserted field
 * by field and validated against `CreateResponse` (after each test): input items for
 * every message kind, tools and tool choice, structured output, the configuration
 * fields, `store` / `include`, provider options and headers.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message, Tool } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { OpenAiResponsesModel } from "../../src/index.js"
import { apiKey, bodyOf, expectValidRequests, fixture, setup, track } from "../support/responses.js"

afterEach(expectValidRequests)

const weather = Tool.make("get_weather", {
  description: "Current weather of a city",
  parameters: Schema.Struct({ city: Schema.String, unit: Schema.optional(Schema.Literal("c", "f")) })
})
const time = Tool.make("get_time", { description: "The current time" })

const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

describe("OpenAiResponsesModel request", () => {
  it.scoped("maps every message kind to input items", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("text.json"))
      yield* model.invoke([
        Message.system("Be brief."),
        Message.system({ content: "Answer in French.", additionalKwargs: { role: "developer" } }),
        Message.human([
          { type: "text", text: "What is in these?" },
          { type: "image", url: "https://example.com/cat.png" },
          { type: "image", data: png },
          { type: "image", data: "/9j/4AAQ", mimeType: "image/jpeg" },
          { type: "file", data: "JVBERi0xLjQ=", mimeType: "application/pdf", filename: "report.pdf" },
          { type: "file", data: "aGVsbG8=", mimeType: "text/plain" },
          { type: "file", url: "https://example.com/paper.pdf", mimeType: "application/pdf" }
        ]),
        Message.ai("A cat and a report."),
        Message.ai({
          content: "",
          toolCalls: [{ id: "call_1", name: "get_weather", args: { city: "Paris" } }]
        }),
        Message.tool({ toolCallId: "call_1", content: "18°C and sunny" }),
        Message.tool({
          toolCallId: "call_2",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" }
          ]
        }),
        Message.tool({
          toolCallId: "call_3",
          content: [
            { type: "text", text: "chart:" },
            { type: "image", url: "https://example.com/chart.png" }
          ]
        }),
        ["user", "Thanks!"]
      ])
      expect(bodyOf(server).input).toEqual([
        { type: "message", role: "system", content: "Be brief." },
        { type: "message", role: "developer", content: "Answer in French." },
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "What is in these?" },
            { type: "input_image", image_url: "https://example.com/cat.png", detail: "auto" },
            { type: "input_image", image_url: `data:image/png;base64,${png}`, detail: "auto" },
            { type: "input_image", image_url: "data:image/jpeg;base64,/9j/4AAQ", detail: "auto" },
            {
              type: "input_file",
              filename: "report.pdf",
              file_data: "data:application/pdf;base64,JVBERi0xLjQ="
            },
            { type: "input_file", filename: "file.txt", file_data: "data:text/plain;base64,aGVsbG8=" },
            { type: "input_file", file_url: "https://example.com/paper.pdf" }
          ]
        },
        { type: "message", role: "assistant", content: "A cat and a report." },
        { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call_output", call_id: "call_1", output: "18°C and sunny" },
        { type: "function_call_output", call_id: "call_2", output: "ab" },
        {
          type: "function_call_output",
          call_id: "call_3",
          output: [
            { type: "input_text", text: "chart:" },
            { type: "input_image", image_url: "https://example.com/chart.png", detail: "auto" }
          ]
        },
        { type: "message", role: "user", content: "Thanks!" }
      ])
    })
  )

  it.scoped("sends calls with bad arguments back with their raw arguments, so their outputs pair", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("text.json"))
      yield* model.invoke([
        Message.human("Weather?"),
        Message.ai({
          content: "",
          invalidToolCalls: [{ id: "call_bad", name: "get_weather", args: '{"city":', error: "not JSON" }]
        }),
        Message.tool({ toolCallId: "call_bad", content: "Error: bad arguments", status: "error" })
      ])
      expect(bodyOf(server).input).toEqual([
        { type: "message", role: "user", content: "Weather?" },
        { type: "function_call", call_id: "call_bad", name: "get_weather", arguments: '{"city":' },
        { type: "function_call_output", call_id: "call_bad", output: "Error: bad arguments" }
      ])
    })
  )

  it.scoped("fails with UnsupportedFeatureError on audio input, sending nothing", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("text.json"))
      const error = yield* Effect.flip(
        model.invoke([Message.human([{ type: "audio", data: "UklGRg==", mimeType: "audio/wav" }])])
      )
      expect(error).toBeInstanceOf(ChatError.UnsupportedFeatureError)
      expect(server.requests).toHaveLength(0)
    })
  )

  it.scoped("sends flat function tools, strict only when the schema is, and maps tool choice", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("function-calls.json"))
      yield* model.pipe(ChatModel.bindTools([weather, time])).invoke("Weather?")
      yield* model
        .pipe(ChatModel.bindTools([weather], { toolChoice: "any", strict: true }))
        .invoke("Weather?")
      yield* model.pipe(ChatModel.bindTools([weather, time], { toolChoice: "get_time" })).invoke("Time?")
      yield* model
        .pipe(ChatModel.bindTools([weather], { toolChoice: "none", parallelToolCalls: false }))
        .invoke("Hi")
      yield* model.pipe(ChatModel.bindTools([weather], { toolChoice: "auto" })).invoke("Hi")
      const plain = bodyOf(server, 0)
      expect(plain.tools).toEqual([
        {
          type: "function",
          name: "get_weather",
          description: "Current weather of a city",
          parameters: weather.definition().parameters,
          strict: false
        },
        {
          type: "function",
          name: "get_time",
          description: "The current time",
          parameters: time.definition().parameters,
          strict: false
        }
      ])
      expect(plain.tool_choice).toBeUndefined()
      expect(plain.parallel_tool_calls).toBeUndefined()
      const strict = bodyOf(server, 1)
      expect(strict.tool_choice).toBe("required")
      expect(strict.tools).toEqual([
        {
          type: "function",
          name: "get_weather",
          description: "Current weather of a city",
          parameters: weather.definition({ strict: true }).parameters,
          strict: true
        }
      ])
      expect(
        (strict.tools as ReadonlyArray<{ parameters: { additionalProperties: unknown } }>)[0]!.parameters
          .additionalProperties
      ).toBe(false)
      expect(bodyOf(server, 2).tool_choice).toEqual({ type: "function", name: "get_time" })
      expect(bodyOf(server, 3).tool_choice).toBe("none")
      expect(bodyOf(server, 3).parallel_tool_calls).toBe(false)
      expect(bodyOf(server, 4).tool_choice).toBe("auto")
    })
  )

  it.scoped("asks for JSON mode as text.format json_object", () =>
    Effect.gen(function* () {
      const answer = {
        id: "resp_json",
        object: "response",
        status: "completed",
        model: "gpt-4.1-mini",
        output: [
          {
            id: "msg_json",
            type: "message",
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text: '{"answer":4}', annotations: [] }]
          }
        ]
      }
      const { model, server } = yield* setup(WireServer.json(answer))
      const structured = model.pipe(
        ChatModel.withStructuredOutput(Schema.Struct({ answer: Schema.Number }), { method: "jsonMode" })
      )
      expect(yield* structured.invoke("2 + 2? Answer in JSON.")).toEqual({ answer: 4 })
      const body = bodyOf(server)
      expect(body.text).toEqual({ format: { type: "json_object" } })
      expect((body.input as ReadonlyArray<{ role: string }>)[0]!.role).toBe("system")
    })
  )

  it.scoped("sends the configuration fields under their wire names", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("reasoning.json"), {
        model: "o4-mini",
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 256,
        reasoningEffort: "low",
        reasoningSummary: "detailed",
        serviceTier: "flex",
        metadata: { session: "s-1" },
        user: "user-1234",
        logprobs: true,
        topLogprobs: 3,
        include: ["message.input_image.image_url"],
        organization: "org-123",
        project: "proj-456",
        headers: { "x-extra": "yes" }
      })
      yield* model.invoke("Hello")
      expect(bodyOf(server)).toEqual({
        model: "o4-mini",
        input: [{ type: "message", role: "user", content: "Hello" }],
        temperature: 0.2,
        top_p: 0.9,
        max_output_tokens: 256,
        top_logprobs: 3,
        reasoning: { effort: "low", summary: "detailed" },
        service_tier: "flex",
        include: ["message.input_image.image_url", "message.output_text.logprobs"],
        metadata: { session: "s-1" },
        user: "user-1234"
      })
      const headers = server.requests[0]!.headers
      expect(headers["openai-organization"]).toBe("org-123")
      expect(headers["openai-project"]).toBe("proj-456")
      expect(headers["x-extra"]).toBe("yes")
    })
  )

  it.scoped("store: false asks reasoning models for encrypted reasoning, not other models", () =>
    Effect.gen(function* () {
      const reasoning = yield* setup(fixture("reasoning.json"), { model: "o4-mini", store: false })
      yield* reasoning.model.invoke("Hello")
      expect(bodyOf(reasoning.server)).toMatchObject({
        store: false,
        include: ["reasoning.encrypted_content"]
      })
      const plain = yield* setup(fixture("text.json"), { model: "gpt-4.1-mini", store: false })
      yield* plain.model.invoke("Hello")
      expect(bodyOf(plain.server).store).toBe(false)
      expect(bodyOf(plain.server).include).toBeUndefined()
      const configured = yield* setup(fixture("text.json"), {
        model: "my-model",
        store: false,
        reasoningEffort: "high"
      })
      yield* configured.model.invoke("Hello")
      expect(bodyOf(configured.server).include).toEqual(["reasoning.encrypted_content"])
    })
  )

  it.scoped("a provider option set to undefined removes the field; stream is never set by one", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("text.json"), { temperature: 0.5, store: false })
      yield* model.invoke("Hi", {
        providerOptions: { temperature: undefined, store: undefined, stream: true }
      })
      const body = bodyOf(server)
      expect("temperature" in body).toBe(false)
      expect("store" in body).toBe(false)
      expect("stream" in body).toBe(false)
    })
  )

  it.scoped("passes provider options through under their wire names, last", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("text.json"), { temperature: 0.5 })
      yield* model.invoke("And then?", {
        providerOptions: {
          previous_response_id: "resp_previous",
          instructions: "Be brief.",
          truncation: "auto",
          prompt_cache_key: "cache-1",
          temperature: 0.1
        }
      })
      expect(bodyOf(server)).toEqual({
        model: "gpt-4.1-mini",
        input: [{ type: "message", role: "user", content: "And then?" }],
        temperature: 0.1,
        previous_response_id: "resp_previous",
        instructions: "Be brief.",
        truncation: "auto",
        prompt_cache_key: "cache-1"
      })
    })
  )

  it.scoped("adds the api-version query parameter when apiVersion is set", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(fixture("text.json"), { apiVersion: "2025-04-01-preview" })
      yield* model.invoke("Hello")
      expect(server.requests[0]!.path).toBe("/v1/responses?api-version=2025-04-01-preview")
    })
  )

  it.scoped("layerConfig reads the key, base URL and model from the environment", () =>
    Effect.gen(function* () {
      const server = track(yield* WireServer.make(fixture("text.json")))
      const provider = ConfigProvider.fromMap(
        new Map([
          ["OPENAI_API_KEY", apiKey],
          ["OPENAI_BASE_URL", `${server.url}/v1`],
          ["OPENAI_PROJECT_ID", "proj-env"]
        ])
      )
      const layer = OpenAiResponsesModel.layerConfig({ store: false }).pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.provide(Layer.setConfigProvider(provider))
      )
      const model = yield* Effect.provide(ChatModel.ChatModel, layer)
      expect(model.llmType).toBe("openai-responses")
      expect(model.identifyingParams).toMatchObject({
        provider: "openai",
        model: OpenAiResponsesModel.defaultModel,
        store: false
      })
      yield* model.invoke("Hello")
      const request = server.requests[0]!
      expect(request.headers.authorization).toBe(`Bearer ${apiKey}`)
      expect(request.headers["openai-project"]).toBe("proj-env")
      expect(bodyOf(server)).toMatchObject({ model: OpenAiResponsesModel.defaultModel, store: false })
    })
  )

  it.scoped("describes the model: llmType, identifying params, profile", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("text.json"), { model: "o4-mini", temperature: 1 })
      expect(model.llmType).toBe("openai-responses")
      expect(model.identifyingParams).toMatchObject({ model: "o4-mini", temperature: 1 })
      expect(model.profile).toMatchObject({
        toolCalling: true,
        structuredOutput: true,
        reasoningOutput: true
      })
      const unknown = yield* setup(fixture("text.json"), {
        model: "local-model",
        profile: { toolCalling: true }
      })
      expect(unknown.model.profile).toMatchObject({
        toolCalling: true,
        structuredOutput: false,
        reasoningOutput: false
      })
    })
  )
})
