import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message, Tool } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Chunk, Effect, Schema, Stream } from "effect"

const weather = Tool.make("weather", {
  description: "The weather in a city",
  parameters: Schema.Struct({ city: Schema.String, unit: Schema.optional(Schema.Literal("C", "F")) }),
  handler: ({ city }) => Effect.succeed(`18°C in ${city}`)
})
const remind = Tool.make("remind", {
  description: "Set a reminder",
  parameters: Schema.Struct({ at: Schema.DateFromString, text: Schema.String }),
  handler: ({ at, text }) => Effect.succeed(`${text} at ${at.toISOString()}`)
})

const callingWith = (...toolCalls: ReadonlyArray<Message.ToolCall>) =>
  FakeChatModel.fromMessages([Message.ai({ content: "", toolCalls }), Message.ai("done")])

describe("ChatModel.bindTools", () => {
  it.effect("sends the tools, the tool choice and parallel tool calls with every request", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"])
      const model = fake.pipe(
        ChatModel.bindTools([weather, remind], { toolChoice: "weather", parallelToolCalls: false })
      )
      yield* model.invoke("hi")
      const request = fake.requests[0]!
      expect(request.tools.map((tool) => tool.name)).toEqual(["weather", "remind"])
      expect(request.tools[0]!.parameters).toMatchObject({
        type: "object",
        properties: { city: { type: "string" } }
      })
      expect(request.toolChoice).toBe("weather")
      expect(request.parallelToolCalls).toBe(false)
    })
  )

  it.effect("sends OpenAI strict schemas when strict is set", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"])
      yield* fake.pipe(ChatModel.bindTools([weather], { strict: true })).invoke("hi")
      const definition = fake.requests[0]!.tools[0]!
      expect(definition.strict).toBe(true)
      expect(definition.parameters).toMatchObject({ required: ["city", "unit"], additionalProperties: false })
    })
  )

  it.effect("decodes tool calls into the tools' types", () =>
    Effect.gen(function* () {
      const model = callingWith({
        id: "c1",
        name: "remind",
        args: { at: "2026-01-02T03:04:05.000Z", text: "tea" }
      }).pipe(ChatModel.bindTools([weather, remind]))
      const answer = yield* model.invoke("remind me")
      const call = answer.toolCalls[0]!
      expect(call.name).toBe("remind")
      if (call.name === "remind") {
        expect(call.args.at).toBeInstanceOf(Date)
        expect(call.args.at.getUTCFullYear()).toBe(2026)
      }
    })
  )

  it.effect("moves args that fail the Schema to invalidToolCalls with the reason", () =>
    Effect.gen(function* () {
      const model = callingWith({ id: "c1", name: "weather", args: { city: 42 } }).pipe(
        ChatModel.bindTools([weather])
      )
      const answer = yield* model.invoke("hi")
      expect(answer.toolCalls).toEqual([])
      expect(answer.invalidToolCalls).toHaveLength(1)
      expect(answer.invalidToolCalls[0]).toMatchObject({ id: "c1", name: "weather", args: '{"city":42}' })
      expect(answer.invalidToolCalls[0]!.error).toMatch(/city/)
    })
  )

  it.effect("moves calls of unknown tools to invalidToolCalls", () =>
    Effect.gen(function* () {
      const model = callingWith({ id: "c1", name: "teleport", args: {} }).pipe(ChatModel.bindTools([weather]))
      const answer = yield* model.invoke("hi")
      expect(answer.invalidToolCalls[0]!.error).toMatch(/unknown tool "teleport"; available: weather/)
    })
  )

  it.effect("keeps Unicode in args raw", () =>
    Effect.gen(function* () {
      const model = callingWith({ id: "c1", name: "weather", args: { city: "Zürich 🌧" } }).pipe(
        ChatModel.bindTools([weather])
      )
      const answer = yield* model.invoke("hi")
      expect(answer.toolCalls[0]!.args).toEqual({ city: "Zürich 🌧" })
    })
  )

  it.effect("encodes decoded args again when the message goes back in a history", () =>
    Effect.gen(function* () {
      const fake = callingWith({
        id: "c1",
        name: "remind",
        args: { at: "2026-01-02T03:04:05.000Z", text: "tea" }
      })
      const model = fake.pipe(ChatModel.bindTools([remind]))
      const answer = yield* model.invoke("remind me")
      const results = yield* Tool.run(answer, [remind])
      yield* model.invoke([Message.human("remind me"), answer, ...results])
      const sent = fake.requests[1]!.messages[1] as Message.AIMessage
      expect(sent.toolCalls[0]!.args).toEqual({ at: "2026-01-02T03:04:05.000Z", text: "tea" })
    })
  )

  it.effect("lets Tool.run use the decoded args without decoding them twice", () =>
    Effect.gen(function* () {
      const model = callingWith({
        id: "c1",
        name: "remind",
        args: { at: "2026-01-02T03:04:05.000Z", text: "tea" }
      }).pipe(ChatModel.bindTools([remind]))
      const [result] = yield* Tool.run(yield* model.invoke("hi"), [remind])
      expect(result!.status).toBe("success")
      expect(result!.content).toBe("tea at 2026-01-02T03:04:05.000Z")
    })
  )

  it.effect("a later bindTools decodes with its own tools", () =>
    Effect.gen(function* () {
      const model = callingWith({
        id: "c1",
        name: "remind",
        args: { at: "2026-01-02T03:04:05.000Z", text: "tea" }
      }).pipe(ChatModel.bindTools([weather]), ChatModel.bindTools([remind]))
      const answer = yield* model.invoke("hi")
      expect(answer.invalidToolCalls).toEqual([])
      expect(answer.toolCalls[0]!.args).toMatchObject({ text: "tea" })
    })
  )

  it.effect("runTools on a model with other tools bound decodes with the loop's tools", () =>
    Effect.gen(function* () {
      const fake = callingWith({ id: "c1", name: "weather", args: { city: "Paris" } })
      const messages = yield* Stream.runCollect(
        fake.pipe(ChatModel.bindTools([remind])).runTools("hi", { tools: [weather] })
      )
      expect(Chunk.toReadonlyArray(messages)[1]).toMatchObject({
        status: "success",
        content: "18°C in Paris"
      })
    })
  )

  it.effect("a later bindTools replaces the earlier tools", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"])
      yield* fake.pipe(ChatModel.bindTools([weather]), ChatModel.bindTools([remind])).invoke("hi")
      expect(fake.requests[0]!.tools.map((tool) => tool.name)).toEqual(["remind"])
    })
  )

  it.effect("disableStreaming toolCalling streams from generate only when tools are bound", () =>
    Effect.gen(function* () {
      let streamed = 0
      let generated = 0
      const base = ChatModel.make({
        llmType: "t",
        disableStreaming: "toolCalling",
        generate: () =>
          Effect.sync(() => {
            generated++
            return { generations: [{ message: Message.ai("g") }] as const }
          }),
        stream: () =>
          Stream.suspend(() => {
            streamed++
            return Stream.make(Message.chunk({ content: "s" }))
          })
      })
      yield* Stream.runDrain(base.stream("hi"))
      yield* Stream.runDrain(base.pipe(ChatModel.bindTools([weather])).stream("hi"))
      expect({ streamed, generated }).toEqual({ streamed: 1, generated: 1 })
    })
  )
})

describe("ChatModel.runTools", () => {
  it.effect("calls, runs the tools, calls again, and emits every message", () =>
    Effect.gen(function* () {
      const fake = callingWith({ id: "c1", name: "weather", args: { city: "Paris" } })
      const messages = Chunk.toReadonlyArray(
        yield* Stream.runCollect(fake.runTools("weather?", { tools: [weather] }))
      )
      expect(messages.map((message) => message._tag)).toEqual(["AIMessage", "ToolMessage", "AIMessage"])
      expect(messages[1]).toMatchObject({ toolCallId: "c1", content: "18°C in Paris", status: "success" })
      expect(Message.text(messages[2]!)).toBe("done")
      expect(fake.requests[1]!.messages.map((message) => message._tag)).toEqual([
        "HumanMessage",
        "AIMessage",
        "ToolMessage"
      ])
      expect(fake.requests[0]!.tools.map((tool) => tool.name)).toEqual(["weather"])
    })
  )

  it.effect("binds the tools with the tool choice, parallel tool calls and strict schemas it is given", () =>
    Effect.gen(function* () {
      const fake = callingWith({ id: "c1", name: "weather", args: { city: "Paris", unit: null } })
      yield* Stream.runDrain(
        fake.runTools("weather?", {
          tools: [weather],
          toolChoice: "weather",
          parallelToolCalls: false,
          strict: true,
          maxSteps: 2
        })
      )
      for (const request of fake.requests) {
        expect(request.toolChoice).toBe("weather")
        expect(request.parallelToolCalls).toBe(false)
        expect(request.tools[0]!.strict).toBe(true)
      }
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("decodes strict tool calls (a null for an absent optional field) before running them", () =>
    Effect.gen(function* () {
      const fake = callingWith({ id: "c1", name: "weather", args: { city: "Paris", unit: null } })
      const messages = Chunk.toReadonlyArray(
        yield* Stream.runCollect(fake.runTools("weather?", { tools: [weather], strict: true }))
      )
      expect(messages[1]).toMatchObject({ toolCallId: "c1", content: "18°C in Paris", status: "success" })
    })
  )

  it.effect("stops after maxSteps model calls", () =>
    Effect.gen(function* () {
      const call = Message.ai({
        content: "",
        toolCalls: [{ id: "c", name: "weather", args: { city: "Oslo" } }]
      })
      const fake = FakeChatModel.fromMessages([call, call, call, call])
      const messages = yield* Stream.runCollect(fake.runTools("loop", { tools: [weather], maxSteps: 2 }))
      expect(Chunk.toReadonlyArray(messages).map((message) => message._tag)).toEqual([
        "AIMessage",
        "ToolMessage",
        "AIMessage"
      ])
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("sends a handler failure back to the model as an error tool message", () =>
    Effect.gen(function* () {
      const broken = Tool.make("weather", {
        description: "The weather",
        parameters: Schema.Struct({ city: Schema.String }),
        failure: Schema.String,
        handler: () => Effect.fail("service down")
      })
      const fake = callingWith({ id: "c1", name: "weather", args: { city: "Paris" } })
      const messages = Chunk.toReadonlyArray(
        yield* Stream.runCollect(fake.runTools("hi", { tools: [broken] }))
      )
      expect(messages[1]).toMatchObject({ status: "error" })
      expect(Message.text(messages[1]!)).toMatch(/service down/)
    })
  )

  it.effect("is available as an accessor on the model in the context", () =>
    Effect.gen(function* () {
      const messages = yield* Stream.runCollect(ChatModel.runTools("hi", { tools: [weather] })).pipe(
        Effect.provide(ChatModel.layer(callingWith({ id: "c1", name: "weather", args: { city: "Rome" } })))
      )
      expect(Chunk.size(messages)).toBe(3)
    })
  )
})
