// FakeChatModel.fromHandler: answers computed from each request, streamed like the other
// fakes, with the same options.

import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message, Tool } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Effect, Fiber, Option, Schema, Stream, TestClock } from "effect"
import { collect, merge, outcomes, rateLimit, reset, summary, texts } from "./support/fakeChatModel.js"

describe("FakeChatModel.fromHandler", () => {
  it.effect("answers what the handler returns for each request, a string as an AI message", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromHandler(
        (request) => `${request.messages.length} messages, last: ${Message.text(request.messages.at(-1)!)}`
      )
      const first = yield* fake.invoke("hello")
      const second = yield* fake.invoke([Message.system("be brief"), Message.human("bye")])
      expect([first.content, second.content]).toEqual(["1 messages, last: hello", "2 messages, last: bye"])
      expect(first).toBeInstanceOf(Message.AIMessage)
      expect(first.responseMetadata).toMatchObject({ modelName: "fake-handler", finishReason: "stop" })
    })
  )

  it.effect("sees the bound tools, tool choice and response format in the request", () =>
    Effect.gen(function* () {
      const weather = Tool.make("weather", {
        description: "The weather in a city",
        parameters: Schema.Struct({ city: Schema.String })
      })
      const fake = FakeChatModel.fromHandler((request) =>
        Message.ai({
          content: "",
          toolCalls: request.tools.map((tool, index) => ({
            id: `call_${index}`,
            name: tool.name,
            args: { city: String(request.toolChoice) }
          }))
        })
      )
      const bound = fake.pipe(ChatModel.bindTools([weather], { toolChoice: "weather" }))
      const answer = yield* bound.invoke("Weather in Paris?")
      expect(answer.toolCalls).toEqual([{ id: "call_0", name: "weather", args: { city: "weather" } }])
      expect(answer.responseMetadata.finishReason).toBe("toolCalls")
      expect(fake.requests[0]!.tools.map((tool) => tool.name)).toEqual(["weather"])
      expect(fake.requests[0]!.toolChoice).toBe("weather")
    })
  )

  it.effect("streams content word by word and tool calls as deltas, merging to what invoke answers", () =>
    Effect.gen(function* () {
      const calls = [
        { id: "call_1", name: "weather", args: { city: "Paris", days: 3 } },
        { id: "call_2", name: "weather", args: { city: "東京 😀" } }
      ]
      const fake = FakeChatModel.fromHandler(() =>
        Message.ai({ content: "Checking two cities.", toolCalls: calls })
      )
      const invoked = yield* fake.invoke("weather?")
      const chunks = yield* collect(fake.stream("weather?"))
      expect(texts(chunks).slice(0, 5)).toEqual(["Checking", " ", "two", " ", "cities."])
      const deltas = chunks.flatMap((chunk) => chunk.toolCallChunks)
      for (const [index, call] of calls.entries()) {
        const [opening, ...rest] = deltas.filter((delta) => delta.index === index)
        expect(opening).toEqual({ index, id: call.id, name: call.name, args: "" })
        expect(rest.length).toBeGreaterThan(1)
      }
      expect(chunks.map((chunk) => chunk.last === true)).toEqual(
        chunks.map((_, i) => i === chunks.length - 1)
      )
      const merged = merge(chunks)
      expect(merged.toolCalls).toEqual(calls)
      expect([merged.content, merged.toolCalls, merged.usageMetadata]).toEqual([
        invoked.content,
        invoked.toolCalls,
        invoked.usageMetadata
      ])
    })
  )

  it.effect("runs an effect returned by the handler on every call, its failure failing the call", () =>
    Effect.gen(function* () {
      let runs = 0
      const fake = FakeChatModel.fromHandler((request) =>
        Effect.suspend(() => {
          runs++
          return Message.text(request.messages[0]!) === "fail"
            ? Effect.fail(rateLimit)
            : Effect.succeed(Message.ai(`run ${runs}`))
        })
      )
      expect(runs).toBe(0)
      expect((yield* fake.invoke("a")).content).toBe("run 1")
      expect(texts(yield* collect(fake.stream("b"))).join("")).toBe("run 2")
      expect(summary(yield* Effect.flip(fake.invoke("fail")))).toBe(summary(rateLimit))
      expect(yield* outcomes(fake.stream("fail"))).toEqual([summary(rateLimit)])
      expect(runs).toBe(4)
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect("does not run the handler for a call failed by the script, except to stream afterChunks", () =>
    Effect.gen(function* () {
      let runs = 0
      const fake = FakeChatModel.fromHandler(
        () => {
          runs++
          return "one two three"
        },
        { failures: [rateLimit, { error: reset, afterChunks: 2 }, { error: reset, afterChunks: 2 }] }
      )
      expect(summary(yield* Effect.flip(fake.invoke("a")))).toBe(summary(rateLimit))
      expect(runs).toBe(0)
      expect(summary(yield* Effect.flip(fake.invoke("b")))).toBe(summary(reset))
      expect(runs).toBe(0)
      expect(yield* outcomes(fake.stream("c"))).toEqual(["one", " ", summary(reset)])
      expect(runs).toBe(1)
      expect((yield* fake.invoke("d")).content).toBe("one two three")
      expect(fake.requests).toHaveLength(4)
    })
  )

  it.effect("answers after the latency, driven by the TestClock", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromHandler(() => "late", { latency: "1 second" })
      const fiber = yield* Effect.fork(fake.invoke("hi"))
      yield* TestClock.adjust("999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).content).toBe("late")
    })
  )

  it.effect("counts an open stream in activeStreams until it is interrupted", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromHandler(() => "a b c d", { chunkLatency: "1 second" })
      const fiber = yield* Effect.fork(Stream.runDrain(fake.stream("hi")))
      yield* TestClock.adjust("1500 millis")
      expect(fake.activeStreams).toBe(1)
      yield* Fiber.interrupt(fiber)
      expect(fake.activeStreams).toBe(0)
    })
  )

  it("takes the model name, profile and usage options like the other fakes", () => {
    const fake = FakeChatModel.fromHandler(() => "x", { model: "fake-gpt", profile: { jsonMode: true } })
    expect(fake.identifyingParams).toEqual({ model: "fake-gpt" })
    expect([fake.profile.jsonMode, fake.profile.toolCalling]).toEqual([true, false])
    expect(FakeChatModel.fromHandler(() => "x").llmType).toBe("handler-fake-chat-model")
  })

  it.effect("reports usage from the words of the request and the answer, or none with usage: false", () =>
    Effect.gen(function* () {
      const counted = yield* FakeChatModel.fromHandler(() => "three little words").invoke("one two")
      expect(counted.usageMetadata).toEqual({ inputTokens: 2, outputTokens: 3, totalTokens: 5 })
      const quiet = yield* FakeChatModel.fromHandler(() => "x", { usage: false }).invoke("hi")
      expect(quiet.usageMetadata).toBeUndefined()
    })
  )
})
