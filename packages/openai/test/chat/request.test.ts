/**
 * What we send: messages of every role and content block, tools, tool choice, response
 * formats, sampling options, headers, `providerOptions`; and typed errors, before any
 * request, for content Chat Completions cannot take.
 */

import { afterEach, describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message, Tool } from "@effect-chat/core"
import { Effect, Either, Option, Schema } from "effect"
import { apiKey, bodyOf, collect, expectValidRequests, fixture, setup } from "../support/chat.js"

afterEach(expectValidRequests)

const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

describe("request messages", () => {
  it.scoped("system, user with name, assistant with tool calls, tool results", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("text.json"))
      yield* model.invoke([
        Message.system("Be brief."),
        Message.human({ content: "Weather in Paris?", name: "ada" }),
        Message.ai({
          content: "",
          toolCalls: [{ id: "call_1", name: "get_weather", args: { city: "Paris" } }],
          invalidToolCalls: [{ id: "call_2", name: "get_time", args: "{oops", error: "not JSON" }]
        }),
        Message.tool({ toolCallId: "call_1", content: "18°C" }),
        Message.tool({ toolCallId: "call_2", content: "bad args", status: "error" }),
        Message.ai({ content: "It is 18°C.", name: "bot" }),
        Message.human("Thanks")
      ])
      expect(bodyOf(server).messages).toEqual([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Paris?", name: "ada" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' }
            },
            { id: "call_2", type: "function", function: { name: "get_time", arguments: "{oops" } }
          ]
        },
        { role: "tool", content: "18°C", tool_call_id: "call_1" },
        { role: "tool", content: "bad args", tool_call_id: "call_2" },
        { role: "assistant", content: "It is 18°C.", name: "bot" },
        { role: "user", content: "Thanks" }
      ])
      expect(bodyOf(server).model).toBe("gpt-4.1-mini")
    })
  )

  it.scoped("system messages go as developer for reasoning models and when asked", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("reasoning.json"), { model: "o3-mini" })
      yield* model.invoke([Message.system("Be brief."), Message.human("Hi")])
      expect(bodyOf(server).messages).toEqual([
        { role: "developer", content: "Be brief." },
        { role: "user", content: "Hi" }
      ])
      const second = yield* setup(fixture("text.json"))
      yield* second.model.invoke([
        Message.system({ content: "Rules.", additionalKwargs: { role: "developer" } }),
        Message.system("Plain system."),
        ["developer", "From a role pair."],
        Message.human("Hi")
      ])
      expect(bodyOf(second.server).messages).toEqual([
        { role: "developer", content: "Rules." },
        { role: "system", content: "Plain system." },
        { role: "developer", content: "From a role pair." },
        { role: "user", content: "Hi" }
      ])
    })
  )

  it.scoped("user content blocks: text, image URL, base64 image, audio, PDF file; reasoning dropped", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("text.json"), { model: "gpt-4o" })
      yield* model.invoke([
        Message.human([
          { type: "text", text: "Describe these." },
          { type: "image", url: "https://example.com/cat.png" },
          { type: "image", data: png, mimeType: "image/png" },
          { type: "audio", data: "UklGRiQAAABXQVZF", mimeType: "audio/wav" },
          { type: "audio", data: "SUQzBAAAAAAA", mimeType: "audio/mpeg" },
          { type: "file", data: "JVBERi0xLjQK", mimeType: "application/pdf", filename: "report.pdf" },
          { type: "reasoning", reasoning: "internal" }
        ]),
        Message.ai([
          { type: "reasoning", reasoning: "thought" },
          { type: "text", text: "Seen." }
        ])
      ])
      expect(bodyOf(server).messages).toEqual([
        {
          role: "user",
          content: [
            { type: "text", text: "Describe these." },
            { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
            { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
            { type: "input_audio", input_audio: { data: "UklGRiQAAABXQVZF", format: "wav" } },
            { type: "input_audio", input_audio: { data: "SUQzBAAAAAAA", format: "mp3" } },
            {
              type: "file",
              file: { file_data: "data:application/pdf;base64,JVBERi0xLjQK", filename: "report.pdf" }
            }
          ]
        },
        { role: "assistant", content: "Seen." }
      ])
    })
  )

  const rejected: ReadonlyArray<readonly [string, Message.Message, string]> = [
    [
      "a file URL",
      Message.human([{ type: "file", url: "https://x/a.pdf", mimeType: "application/pdf" }]),
      "UnsupportedFeatureError"
    ],
    [
      "ogg audio",
      Message.human([{ type: "audio", data: "T2dn", mimeType: "audio/ogg" }]),
      "UnsupportedFeatureError"
    ],
    [
      "an image in a system message",
      Message.system([{ type: "image", url: "https://x/a.png" }]),
      "UnsupportedFeatureError"
    ],
    [
      "an image in a tool result",
      Message.tool({ toolCallId: "c", content: [{ type: "image", url: "https://x/a.png" }] }),
      "UnsupportedFeatureError"
    ],
    ["base64 image without mimeType", Message.human([{ type: "image", data: png }]), "InvalidInputError"]
  ]
  for (const [what, message, tag] of rejected) {
    it.scoped(`${what} fails with ${tag} before any request (invoke and stream)`, () =>
      Effect.gen(function* () {
        const { server, model } = yield* setup(fixture("text.json"))
        const invoked = yield* Effect.either(model.invoke([message]))
        const streamed = yield* Effect.either(collect(model.stream([message])))
        const errors = [
          Option.getOrUndefined(Either.getLeft(invoked)),
          Option.getOrUndefined(Either.getLeft(streamed))
        ]
        for (const error of errors) {
          expect(error?._tag).toBe(tag)
          expect(ChatError.isChatError(error)).toBe(true)
        }
        expect(server.requests).toHaveLength(0)
      })
    )
  }
})

describe("request options", () => {
  it.scoped("sampling options, with max_completion_tokens for OpenAI", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("text.json"), {
        temperature: 0.3,
        maxTokens: 256,
        topP: 0.9,
        seed: 42,
        stop: ["END"],
        logprobs: true,
        topLogprobs: 3,
        serviceTier: "flex",
        user: "user-1234",
        frequencyPenalty: 0.5,
        presencePenalty: -0.5
      })
      yield* model.invoke("Hi")
      const body = bodyOf(server)
      expect(body).toMatchObject({
        temperature: 0.3,
        max_completion_tokens: 256,
        top_p: 0.9,
        seed: 42,
        stop: ["END"],
        logprobs: true,
        top_logprobs: 3,
        service_tier: "flex",
        user: "user-1234",
        frequency_penalty: 0.5,
        presence_penalty: -0.5
      })
      expect(body.max_tokens).toBeUndefined()
      expect(body.stream).toBeUndefined()
      expect(body.stream_options).toBeUndefined()
    })
  )

  it.scoped("reasoning effort for a reasoning model; a call's stop replaces the configured one", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("reasoning.json"), {
        model: "o4-mini",
        reasoningEffort: "high",
        maxTokens: 1000,
        stop: ["A"]
      })
      yield* model.invoke("Hi", { stop: ["B", "C"] })
      expect(bodyOf(server)).toMatchObject({
        model: "o4-mini",
        reasoning_effort: "high",
        max_completion_tokens: 1000,
        stop: ["B", "C"]
      })
    })
  )

  it.scoped("headers: bearer key, organization, project, extra headers", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("text.json"), {
        organization: "org-123",
        project: "proj_456",
        headers: { "X-Custom": "yes" }
      })
      yield* model.invoke("Hi")
      const request = server.requests[0]!
      expect(request.path).toBe("/v1/chat/completions")
      expect(request.method).toBe("POST")
      expect(request.headers).toMatchObject({
        authorization: `Bearer ${apiKey}`,
        "openai-organization": "org-123",
        "openai-project": "proj_456",
        "x-custom": "yes",
        "content-type": "application/json"
      })
    })
  )

  it.scoped("providerOptions are merged last, snake_case keys as they are; undefined removes a key", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("text.json"), { temperature: 1, topP: 0.5 })
      yield* model.invoke("Hi", {
        providerOptions: {
          temperature: 0,
          prompt_cache_key: "k1",
          metadata: { app: "test" },
          top_p: undefined
        }
      })
      expect(bodyOf(server)).toMatchObject({
        temperature: 0,
        prompt_cache_key: "k1",
        metadata: { app: "test" }
      })
      expect("top_p" in bodyOf(server)).toBe(false)
    })
  )

  it.scoped("providerOptions never set stream", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("text.json"))
      const reply = yield* model.invoke("Hi", { providerOptions: { stream: true } })
      expect(Message.text(reply).length).toBeGreaterThan(0)
      expect("stream" in bodyOf(server)).toBe(false)
    })
  )

  const Weather = Tool.make("get_weather", {
    description: "The weather in a city",
    parameters: Schema.Struct({
      city: Schema.String,
      unit: Schema.optional(Schema.Literal("celsius", "fahrenheit"))
    })
  })
  const Time = Tool.make("get_time", {
    description: "The time in a timezone",
    parameters: Schema.Struct({ timezone: Schema.String })
  })

  it.scoped("tools, tool choice (any -> required, a name -> named), parallel tool calls, strict", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("tool-calls.json"))
      yield* model
        .pipe(ChatModel.bindTools([Weather, Time], { toolChoice: "any", parallelToolCalls: false }))
        .invoke("Hi")
      const first = bodyOf(server, 0)
      expect(first.tool_choice).toBe("required")
      expect(first.parallel_tool_calls).toBe(false)
      expect(first.tools).toEqual([
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "The weather in a city",
            parameters: expect.objectContaining({ type: "object", required: ["city"] })
          }
        },
        {
          type: "function",
          function: {
            name: "get_time",
            description: "The time in a timezone",
            parameters: expect.objectContaining({ type: "object" })
          }
        }
      ])
      yield* model
        .pipe(ChatModel.bindTools([Weather, Time], { toolChoice: "get_time", strict: true }))
        .invoke("Hi")
      const second = bodyOf(server, 1)
      expect(second.tool_choice).toEqual({ type: "function", function: { name: "get_time" } })
      const tools = second.tools as ReadonlyArray<{
        function: { strict?: boolean; parameters: Record<string, unknown> }
      }>
      expect(tools.map((tool) => tool.function.strict)).toEqual([true, true])
      expect(tools[0]!.function.parameters).toMatchObject({
        additionalProperties: false,
        required: ["city", "unit"]
      })
      for (const choice of ["auto", "none"] as const) {
        yield* model.pipe(ChatModel.bindTools([Weather], { toolChoice: choice })).invoke("Hi")
      }
      expect(bodyOf(server, 2).tool_choice).toBe("auto")
      expect(bodyOf(server, 3).tool_choice).toBe("none")
    })
  )

  it.scoped(
    "structured output: jsonSchema -> response_format json_schema (strict), json -> json_object",
    () =>
      Effect.gen(function* () {
        const { server, model } = yield* setup(
          [fixture("structured.json"), fixture("structured.json"), fixture("structured.json")],
          {
            model: "gpt-4o"
          }
        )
        const Person = Schema.Struct({ name: Schema.String, born: Schema.Number })
        const person = yield* model
          .pipe(ChatModel.withStructuredOutput(Person, { name: "person", method: "jsonSchema" }))
          .invoke("Who?")
        expect(person).toEqual({ name: "Ada Lovelace", born: 1815 })
        expect(bodyOf(server, 0).response_format).toMatchObject({
          type: "json_schema",
          json_schema: { name: "person", strict: true, schema: expect.objectContaining({ type: "object" }) }
        })
        yield* model
          .pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode" }))
          .invoke("Who? Answer in JSON.")
        expect(bodyOf(server, 1).response_format).toEqual({ type: "json_object" })
        yield* model
          .pipe(ChatModel.withStructuredOutput(Person, { method: "functionCalling" }))
          .invoke("Who?")
          .pipe(Effect.either)
        expect(bodyOf(server, 2).tools).toHaveLength(1)
      })
  )

  it.scoped("a refusal to a structured request is a typed StructuredOutputError", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("refusal.json"), { model: "gpt-4o" })
      const Person = Schema.Struct({ name: Schema.String })
      const result = yield* Effect.either(
        model.pipe(ChatModel.withStructuredOutput(Person, { method: "jsonSchema" })).invoke("Who?")
      )
      expect(Either.isLeft(result) && result.left._tag).toBe("StructuredOutputError")
      expect(Either.isLeft(result) && "refusal" in result.left && result.left.refusal).toBe(
        "I'm sorry, I can't help with that request."
      )
    })
  )
})
