import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message, StructuredOutput } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Chunk, Effect, Option, Schema, Stream, TestClock } from "effect"

class Person extends Schema.Class<Person>("Person")({
  name: Schema.String,
  age: Schema.Number.pipe(Schema.int(), Schema.nonNegative()),
  nickname: Schema.optional(Schema.String)
}) {}

const json = (value: unknown) => JSON.stringify(value)

describe("withStructuredOutput, jsonMode", () => {
  it.effect("decodes the answer into the Schema's type", () =>
    Effect.gen(function* () {
      const model = FakeChatModel.fromResponses([json({ name: "Ada", age: 36 })]).pipe(
        ChatModel.withStructuredOutput(Person, { method: "jsonMode" })
      )
      const person = yield* model.invoke("Who was Ada Lovelace?")
      expect(person).toBeInstanceOf(Person)
      expect(person).toEqual(new Person({ name: "Ada", age: 36 }))
    })
  )

  it.effect("asks for JSON and puts the schema in a system message", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses([json({ name: "Ada", age: 36 })])
      yield* fake.pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode" })).invoke("hi")
      const request = fake.requests[0]!
      expect(request.responseFormat).toEqual({ type: "json" })
      expect(request.messages[0]!._tag).toBe("SystemMessage")
      expect(Message.text(request.messages[0]!)).toMatch(/"age"/)
    })
  )

  it.effect("reads JSON inside a Markdown code fence", () =>
    Effect.gen(function* () {
      const model = FakeChatModel.fromResponses([
        `\`\`\`json\n${json({ name: "Ada", age: 36 })}\n\`\`\``
      ]).pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode" }))
      expect((yield* model.invoke("hi")).name).toBe("Ada")
    })
  )

  it.effect("fails with StructuredOutputError holding the raw text when the answer is not JSON", () =>
    Effect.gen(function* () {
      const model = FakeChatModel.fromResponses(["I think it is Ada."]).pipe(
        ChatModel.withStructuredOutput(Person, { method: "jsonMode" })
      )
      const error = yield* Effect.flip(model.invoke("hi"))
      expect(error._tag).toBe("StructuredOutputError")
      if (error._tag === "StructuredOutputError") {
        expect(error.raw).toBe("I think it is Ada.")
        expect(error.retryable).toBe(true)
        expect(error.message).toMatch(/not valid JSON/)
      }
    })
  )

  it.effect("fails with StructuredOutputError when the JSON does not match the schema", () =>
    Effect.gen(function* () {
      const model = FakeChatModel.fromResponses([json({ name: "Ada", age: -1 })]).pipe(
        ChatModel.withStructuredOutput(Person, { method: "jsonMode" })
      )
      const error = yield* Effect.flip(model.invoke("hi"))
      expect(error.message).toMatch(/does not match the schema/)
    })
  )
})

describe("withStructuredOutput, jsonSchema", () => {
  it.effect("sends a strict JSON Schema response format and undoes the strict rewrite", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses([json({ name: "Ada", age: 36, nickname: null })])
      const person = yield* fake
        .pipe(ChatModel.withStructuredOutput(Person, { method: "jsonSchema" }))
        .invoke("hi")
      expect(person).toEqual(new Person({ name: "Ada", age: 36 }))
      const format = fake.requests[0]!.responseFormat
      expect(format).toMatchObject({ type: "jsonSchema", name: "Person", strict: true })
      if (format?.type === "jsonSchema") {
        expect(format.schema).toMatchObject({
          required: ["name", "age", "nickname"],
          additionalProperties: false
        })
      }
    })
  )

  it.effect("turns a refusal into a StructuredOutputError that is not retried", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromMessages([
        Message.ai({ content: "", additionalKwargs: { refusal: "I can't help" } })
      ])
      const error = yield* Effect.flip(
        fake.pipe(ChatModel.withStructuredOutput(Person, { method: "jsonSchema" })).invoke("hi")
      )
      expect(error._tag).toBe("StructuredOutputError")
      if (error._tag === "StructuredOutputError") {
        expect(error.refusal).toBe("I can't help")
        expect(error.retryable).toBe(false)
      }
    })
  )
})

describe("withStructuredOutput, functionCalling", () => {
  it.effect("forces a tool named after the schema and decodes its arguments", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromMessages([
        Message.ai({ content: "", toolCalls: [{ id: "c1", name: "Person", args: { name: "Ada", age: 36 } }] })
      ])
      const person = yield* fake
        .pipe(ChatModel.withStructuredOutput(Person, { method: "functionCalling" }))
        .invoke("hi")
      expect(person).toEqual(new Person({ name: "Ada", age: 36 }))
      const request = fake.requests[0]!
      expect(request.toolChoice).toBe("Person")
      expect(request.tools.map((tool) => tool.name)).toEqual(["Person"])
    })
  )

  it.effect("fails when the model answers without calling the tool", () =>
    Effect.gen(function* () {
      const model = FakeChatModel.fromResponses(["Ada, 36"]).pipe(
        ChatModel.withStructuredOutput(Person, { method: "functionCalling" })
      )
      expect((yield* Effect.flip(model.invoke("hi"))).message).toMatch(/did not call the "Person" tool/)
    })
  )

  it.effect("streams partial objects from the tool-call arguments, then the decoded value", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromMessages([
        Message.ai({
          content: "",
          toolCalls: [{ id: "c1", name: "Person", args: { name: "Ada Lovelace", age: 36 } }]
        })
      ])
      const parts = Chunk.toReadonlyArray(
        yield* Stream.runCollect(
          fake.pipe(ChatModel.withStructuredOutput(Person, { method: "functionCalling" })).stream("hi")
        )
      )
      expect(parts.at(-1)).toEqual({ _tag: "Complete", value: new Person({ name: "Ada Lovelace", age: 36 }) })
      expect(parts.slice(0, -1).every((part) => part._tag === "Partial")).toBe(true)
      expect(parts[0]).toEqual({ _tag: "Partial", value: { name: "Ada Lovelace", age: 36 } })
    })
  )
})

describe("withStructuredOutput, defaults, includeRaw, stream, retry", () => {
  it("picks the method from the profile", () => {
    const methodOf = (profile: Parameters<typeof FakeChatModel.fromResponses>[1]) => {
      const fake = FakeChatModel.fromResponses([json({ name: "A", age: 1 })], profile)
      Effect.runSync(fake.pipe(ChatModel.withStructuredOutput(Person)).invoke("hi"))
      const request = fake.requests[0]!
      return request.responseFormat?.type ?? (request.tools.length > 0 ? "tool" : "none")
    }
    expect(methodOf({ profile: { structuredOutput: true, toolCalling: true } })).toBe("jsonSchema")
    expect(methodOf({ profile: { jsonMode: true } })).toBe("json")
  })

  it.effect("includeRaw returns the message and the parsed value", () =>
    Effect.gen(function* () {
      const result = yield* FakeChatModel.fromResponses([json({ name: "Ada", age: 36 })])
        .pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode", includeRaw: true }))
        .invoke("hi")
      expect(Message.text(result.raw)).toBe(json({ name: "Ada", age: 36 }))
      expect(Option.getOrThrow(result.parsed).name).toBe("Ada")
      expect(Option.isNone(result.parsingError)).toBe(true)
    })
  )

  it.effect("includeRaw reports a parse error instead of failing", () =>
    Effect.gen(function* () {
      const result = yield* FakeChatModel.fromResponses(["nope"])
        .pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode", includeRaw: true }))
        .invoke("hi")
      expect(Option.isNone(result.parsed)).toBe(true)
      expect(Option.getOrThrow(result.parsingError).raw).toBe("nope")
    })
  )

  it.effect("streams growing partial objects, then the decoded value equal to invoke's", () =>
    Effect.gen(function* () {
      const answer = json({ name: "Ada Lovelace", age: 36, nickname: "Enchantress" })
      // one network read per character: partial objects come once per read
      const model = ChatModel.make({
        llmType: "reads",
        stream: () =>
          Stream.fromIterable([...answer].map((content) => Message.chunk({ content }))).pipe(
            Stream.rechunk(1)
          )
      }).pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode" }))
      const parts = Chunk.toReadonlyArray(yield* Stream.runCollect(model.stream("hi")))
      const partials = parts.filter((part) => part._tag === "Partial").map((part) => part.value)
      expect(partials[0]).toEqual({})
      expect(partials.length).toBeGreaterThan(10)
      expect(partials).toContainEqual({ name: "Ada" })
      expect(partials.at(-1)).toEqual({ name: "Ada Lovelace", age: 36, nickname: "Enchantress" })
      expect(StructuredOutput.completed(parts.at(-1)!)).toEqual(Option.some(yield* model.invoke("hi")))
    })
  )

  it.effect("stream fails with StructuredOutputError when the streamed answer does not decode", () =>
    Effect.gen(function* () {
      const model = FakeChatModel.fromResponses([json({ name: "Ada" })]).pipe(
        ChatModel.withStructuredOutput(Person, { method: "jsonMode" })
      )
      const error = yield* Effect.flip(Stream.runDrain(model.stream("hi")))
      expect(error._tag).toBe("StructuredOutputError")
    })
  )

  it.effect("withRetry asks again when the answer does not parse", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["not json", json({ name: "Ada", age: 36 })])
      const model = fake.pipe(
        ChatModel.withStructuredOutput(Person, { method: "jsonMode" }),
        ChatModel.withRetry({ maxRetries: 1 })
      )
      const fiber = yield* Effect.fork(model.invoke("hi"))
      yield* TestClock.adjust("10 seconds")
      const person = yield* fiber.await.pipe(Effect.flatten)
      expect(person.name).toBe("Ada")
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("batch decodes every answer in input order", () =>
    Effect.gen(function* () {
      const model = FakeChatModel.fromResponses([
        json({ name: "A", age: 1 }),
        json({ name: "B", age: 2 })
      ]).pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode" }))
      const people = yield* model.batch(["a", "b"], { concurrency: 1 })
      expect(people.map((person) => person.name)).toEqual(["A", "B"])
    })
  )
})

describe("withStructuredOutput, streaming details", () => {
  const streamingPieces = (pieces: ReadonlyArray<string>) =>
    ChatModel.make({
      llmType: "pieces",
      stream: () =>
        Stream.fromIterable(pieces.map((content) => Message.chunk({ content }))).pipe(Stream.rechunk(1))
    }).pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode" }))

  it.effect("skips a Markdown fence that arrives split across chunks", () =>
    Effect.gen(function* () {
      const parts = yield* Stream.runCollect(
        streamingPieces(["``", "`", "json", "\n", '{"name": "Ada", ', '"age": 36}', "\n```"]).stream("hi")
      )
      const values = Chunk.toReadonlyArray(parts)
      expect(values.filter((part) => part._tag === "Partial").length).toBeGreaterThan(0)
      expect(values.at(-1)).toEqual({ _tag: "Complete", value: new Person({ name: "Ada", age: 36 }) })
    })
  )

  it.effect("emits a partial object only when it changed", () =>
    Effect.gen(function* () {
      const parts = yield* Stream.runCollect(
        streamingPieces(["{", " ", '"na', 'me"', ": ", '"Ada"', " ", ", ", '"age": 36', "}"]).stream("hi")
      )
      const partials = Chunk.toReadonlyArray(parts)
        .filter((part) => part._tag === "Partial")
        .map((part) => JSON.stringify(part.value))
      expect(partials).toEqual([...new Set(partials)])
    })
  )
})
