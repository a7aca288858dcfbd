import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message, Tool } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Chunk, Effect, Either, Fiber, Option, Schema, Stream, TestClock } from "effect"

const collect = (
  stream: Stream.Stream<Message.AIMessageChunk, ChatError.ChatError>
): Effect.Effect<ReadonlyArray<Message.AIMessageChunk>, ChatError.ChatError> =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

const merge = (chunks: ReadonlyArray<Message.AIMessageChunk>): Message.AIMessage =>
  Message.toMessage(chunks.reduce(Message.concat, Message.chunk({ content: "" })))

const texts = (chunks: ReadonlyArray<Message.AIMessageChunk>): ReadonlyArray<string> =>
  chunks.map(Message.text)

const rateLimit = new ChatError.RateLimitError({ message: "429: slow down" })
const reset = new ChatError.TransportError({ message: "connection reset" })

/** An error as "tag: message" (Effect wraps an error failed inside a span, so its identity is not kept). */
const summary = (error: ChatError.ChatError): string => `${error._tag}: ${error.message}`

/** A stream's elements and its error, each chunk as its text and the error as its summary. */
const outcomes = (
  stream: Stream.Stream<Message.AIMessageChunk, ChatError.ChatError>
): Effect.Effect<ReadonlyArray<string>> =>
  Effect.map(
    Stream.runCollect(Stream.either(stream)),
    Chunk.map(Either.match({ onLeft: summary, onRight: Message.text }))
  ).pipe(Effect.map(Chunk.toReadonlyArray))

describe("FakeChatModel.fromResponses", () => {
  it.effect("answers each call with the next response, cycling through the list", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["one", "two"])
      const replies = [yield* fake.invoke("a"), yield* fake.invoke("b"), yield* fake.invoke("c")]
      expect(replies.map((reply) => reply.content)).toEqual(["one", "two", "one"])
    })
  )

  it.effect("streams one chunk per character, only the final chunk marked last", () =>
    Effect.gen(function* () {
      const chunks = yield* collect(FakeChatModel.fromResponses(["abc"]).stream("hi"))
      expect(texts(chunks)).toEqual(["a", "b", "c"])
      expect(chunks.map((chunk) => chunk.last === true)).toEqual([false, false, true])
    })
  )

  it.effect("emits all the characters as one Stream chunk when no chunkLatency is set", () =>
    Effect.gen(function* () {
      const sizes = yield* FakeChatModel.fromResponses(["abcd"])
        .stream("hi")
        .pipe(Stream.chunks, Stream.map(Chunk.size), Stream.runCollect)
      expect(Chunk.toReadonlyArray(sizes)).toEqual([4])
    })
  )

  it.effect("streams an answer that merges to what invoke answers", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello there"])
      const invoked = yield* fake.invoke("hi")
      const merged = merge(yield* collect(fake.stream("hi")))
      expect(merged.content).toBe(invoked.content)
      expect(merged.usageMetadata).toEqual(invoked.usageMetadata)
      expect(merged.responseMetadata).toEqual(invoked.responseMetadata)
    })
  )

  it.effect("reports finishReason stop and the model name in the response metadata", () =>
    Effect.gen(function* () {
      const reply = yield* FakeChatModel.fromResponses(["ok"]).invoke("hi")
      expect(reply.responseMetadata).toMatchObject({ finishReason: "stop", modelName: "fake-list" })
    })
  )

  it.effect("answers invoke through generate, not by draining a stream", () =>
    Effect.gen(function* () {
      // a stream would need the clock to pass 3 hours; invoke answers at once
      const fake = FakeChatModel.fromResponses(["abcd"], { chunkLatency: "1 hour" })
      const reply = yield* fake.invoke("hi")
      expect(reply.content).toBe("abcd")
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect("fails every call with a typed error when the list is empty", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(FakeChatModel.fromResponses([]).invoke("hi"))
      expect(error._tag).toBe("ServerError")
      expect(error.retryable).toBe(false)
    })
  )
})

describe("FakeChatModel.fromMessages", () => {
  it.effect("answers with the messages in order, strings as AI messages", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromMessages([Message.ai({ content: "first", name: "bot" }), "second"])
      const first = yield* fake.invoke("a")
      const second = yield* fake.invoke("b")
      expect([first.content, first.name, second.content]).toEqual(["first", "bot", "second"])
    })
  )

  it.effect("reads the iterable lazily, one message per call", () =>
    Effect.gen(function* () {
      let pulled = 0
      const answers = function* () {
        pulled++
        yield "first"
        pulled++
        yield "second"
      }
      const fake = FakeChatModel.fromMessages(answers())
      expect(pulled).toBe(0)
      const reply = yield* fake.invoke("a")
      expect([reply.content, pulled]).toEqual(["first", 1])
    })
  )

  it.effect("streams string content split on whitespace, keeping the whitespace", () =>
    Effect.gen(function* () {
      const chunks = yield* collect(FakeChatModel.fromMessages(["hello big world"]).stream("hi"))
      expect(texts(chunks)).toEqual(["hello", " ", "big", " ", "world"])
      expect(chunks.at(-1)?.last).toBe(true)
    })
  )

  it.effect("streams tool calls as deltas that merge back to the same tool calls", () =>
    Effect.gen(function* () {
      const weather = { id: "call_1", name: "weather", args: { city: "Paris", days: 3 } }
      const time = { id: "call_2", name: "time", args: { zone: "Europe/Paris" } }
      const message = Message.ai({ content: "Checking.", toolCalls: [weather, time] })
      const fake = FakeChatModel.fromMessages([message, message])
      const invoked = yield* fake.invoke("weather?")
      const chunks = yield* collect(fake.stream("weather?"))
      const deltas = chunks.flatMap((chunk) => chunk.toolCallChunks)
      expect(deltas.every((delta) => delta.index !== undefined)).toBe(true)
      expect(deltas.filter((delta) => delta.index === 0).length).toBeGreaterThan(2)
      for (const [index, call] of [weather, time].entries()) {
        const [opening, ...rest] = deltas.filter((delta) => delta.index === index)
        expect(opening).toEqual({ index, id: call.id, name: call.name, args: "" })
        expect(rest.every((delta) => delta.id === undefined && delta.name === undefined)).toBe(true)
      }
      const merged = merge(chunks)
      expect(merged.toolCalls).toEqual([weather, time])
      expect(merged.toolCalls).toEqual(invoked.toolCalls)
      expect(merged.content).toBe(invoked.content)
      expect([merged.responseMetadata.finishReason, invoked.responseMetadata.finishReason]).toEqual([
        "toolCalls",
        "toolCalls"
      ])
    })
  )

  it.effect("streams content blocks one by one with their index, merging back to the invoked content", () =>
    Effect.gen(function* () {
      const blocks: ReadonlyArray<Message.ContentBlock> = [
        { type: "reasoning", reasoning: "think first" },
        { type: "text", text: "one" },
        { type: "text", text: "two" }
      ]
      const fake = FakeChatModel.fromMessages([Message.ai(blocks), Message.ai(blocks)])
      const invoked = yield* fake.invoke("hi")
      const chunks = yield* collect(fake.stream("hi"))
      expect(chunks.map((chunk) => chunk.content)).toEqual(
        blocks.map((block, index) => [{ ...block, index }])
      )
      expect(merge(chunks).content).toEqual(invoked.content)
      expect(invoked.content).toEqual(blocks.map((block, index) => ({ ...block, index })))
    })
  )

  it.effect("fails with a typed, non-retryable ServerError once the messages are exhausted", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromMessages(["only"])
      yield* fake.invoke("a")
      const invokeError = yield* Effect.flip(fake.invoke("b"))
      const streamError = yield* Effect.flip(collect(fake.stream("c")))
      for (const error of [invokeError, streamError]) {
        expect(error).toBeInstanceOf(ChatError.ServerError)
        expect(error.message).toBe("FakeChatModel.fromMessages: no more messages")
        expect(error.retryable).toBe(false)
      }
    })
  )
})

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

describe("FakeChatModel.parrot", () => {
  it.effect("echoes the text of the last message", () =>
    Effect.gen(function* () {
      const reply = yield* FakeChatModel.parrot().invoke([
        ["system", "be brief"],
        ["user", "polly wants a cracker"]
      ])
      expect(reply.content).toBe("polly wants a cracker")
    })
  )

  it.effect("streams the echo character by character", () =>
    Effect.gen(function* () {
      const chunks = yield* collect(FakeChatModel.parrot().stream("hey"))
      expect(texts(chunks)).toEqual(["h", "e", "y"])
    })
  )
})

describe("scripted failures", () => {
  it.effect("invoke: a rate limit, then success with the first response (a failure consumes none)", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["one", "two"], { failures: [rateLimit] })
      const error = yield* Effect.flip(fake.invoke("a"))
      const reply = yield* fake.invoke("b")
      expect(summary(error)).toBe(summary(rateLimit))
      expect(reply.content).toBe("one")
    })
  )

  it.effect("stream: a rate limit before any chunk, then a successful stream", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit, undefined] })
      const error = yield* Effect.flip(collect(fake.stream("a")))
      const chunks = yield* collect(fake.stream("b"))
      expect(summary(error)).toBe(summary(rateLimit))
      expect(texts(chunks)).toEqual(["o", "k"])
    })
  )

  it.effect("entries apply to calls in order; undefined entries succeed", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["one", "two"], {
        failures: [undefined, rateLimit, undefined]
      })
      const outcomes = yield* Effect.forEach(["a", "b", "c", "d"], (input) =>
        Effect.either(fake.invoke(input))
      )
      expect(
        outcomes.map(Either.match({ onLeft: (error) => error._tag, onRight: (reply) => reply.content }))
      ).toEqual(["one", "RateLimitError", "two", "one"])
    })
  )

  it.effect("counts calls safely across concurrent batch items", () =>
    Effect.gen(function* () {
      const responses = Array.from({ length: 10 }, (_, at) => `r${at}`)
      const fake = FakeChatModel.fromResponses(responses, {
        failures: [undefined, rateLimit, undefined, rateLimit, rateLimit]
      })
      const inputs = Array.from({ length: 10 }, (_, at) => `q${at}`)
      const results = yield* fake.batch(inputs, { concurrency: 10, returnExceptions: true })
      const answered = results.filter(Either.isRight).map((result) => result.right.content)
      expect(results.filter(Either.isLeft)).toHaveLength(3)
      expect([...answered].sort()).toEqual(responses.slice(0, 7))
      expect(fake.requests).toHaveLength(10)
    })
  )

  it.effect("a Failure fails invoke at once", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello"], { failures: [{ error: reset, afterChunks: 2 }] })
      expect(summary(yield* Effect.flip(fake.invoke("hi")))).toBe(summary(reset))
    })
  )

  it.effect("a Failure makes a stream emit afterChunks chunks of the answer, then fail", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello"], { failures: [{ error: reset, afterChunks: 2 }] })
      expect(yield* outcomes(fake.stream("hi"))).toEqual(["h", "e", summary(reset)])
      expect(texts(yield* collect(fake.stream("again")))).toEqual(["h", "e", "l", "l", "o"])
    })
  )

  it.effect("withRetry retries a scripted rate limit and then answers", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit] })
      const fiber = yield* Effect.fork(fake.pipe(ChatModel.withRetry()).invoke("hi"))
      yield* TestClock.adjust("1 minute")
      const reply = yield* Fiber.join(fiber)
      expect(reply.content).toBe("ok")
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("withRetry never retries a stream that failed after its first chunk", () =>
    Effect.gen(function* () {
      const error = new ChatError.TransportError({ message: "reset" })
      const fake = FakeChatModel.fromResponses(["hello"], { failures: [{ error, afterChunks: 1 }] })
      const items = yield* fake
        .pipe(ChatModel.withRetry())
        .stream("hi")
        .pipe(Stream.either, Stream.runCollect)
      expect(Chunk.toReadonlyArray(items).map(Either.map(Message.text))).toEqual([
        Either.right("h"),
        Either.left(error)
      ])
      expect(fake.requests).toHaveLength(1)
    })
  )
})

describe("latency", () => {
  it.effect("invoke is not done before the TestClock passes the latency, and done after", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["late"], { latency: "1 second" })
      const fiber = yield* Effect.fork(fake.invoke("hi"))
      yield* TestClock.adjust("999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).content).toBe("late")
    })
  )

  it.effect("delays a scripted failure as well", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["late"], { latency: "1 second", failures: [rateLimit] })
      const fiber = yield* Effect.fork(Effect.flip(fake.invoke("hi")))
      yield* TestClock.adjust("500 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("500 millis")
      expect(summary(yield* Fiber.join(fiber))).toBe(summary(rateLimit))
    })
  )

  it.effect("delays the first chunk of a stream", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const fake = FakeChatModel.fromResponses(["ab"], { latency: "1 second" })
      const fiber = yield* fake.stream("hi").pipe(
        Stream.runForEach((chunk) => Effect.sync(() => seen.push(Message.text(chunk)))),
        Effect.fork
      )
      yield* TestClock.adjust("999 millis")
      expect(seen).toEqual([])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(fiber)
      expect(seen).toEqual(["a", "b"])
    })
  )

  it.effect("chunkLatency spaces the chunks out, one per interval", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const fake = FakeChatModel.fromResponses(["abc"], { chunkLatency: "100 millis" })
      const fiber = yield* fake.stream("hi").pipe(
        Stream.runForEach((chunk) => Effect.sync(() => seen.push(Message.text(chunk)))),
        Effect.fork
      )
      yield* TestClock.adjust("50 millis")
      expect(seen).toEqual(["a"])
      yield* TestClock.adjust("100 millis")
      expect(seen).toEqual(["a", "b"])
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(fiber)
      expect(seen).toEqual(["a", "b", "c"])
    })
  )
})

describe("usage", () => {
  it.effect("counts input words across all request messages and output words of the answer", () =>
    Effect.gen(function* () {
      const reply = yield* FakeChatModel.fromResponses(["hi you"]).invoke([
        ["system", "be brief"],
        ["user", "hello there world"]
      ])
      expect(reply.usageMetadata).toEqual({ inputTokens: 5, outputTokens: 2, totalTokens: 7 })
    })
  )

  it.effect("a stream reports usage on exactly one chunk, the last, equal to invoke's", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromMessages(["the answer is 42", "the answer is 42"])
      const invoked = yield* fake.invoke("what is the answer?")
      const chunks = yield* collect(fake.stream("what is the answer?"))
      const withUsage = chunks.filter((chunk) => chunk.usageMetadata !== undefined)
      expect(withUsage).toHaveLength(1)
      expect(withUsage[0]).toBe(chunks.at(-1))
      expect(merge(chunks).usageMetadata).toEqual(invoked.usageMetadata)
      expect(invoked.usageMetadata).toEqual({ inputTokens: 4, outputTokens: 4, totalTokens: 8 })
    })
  )

  it.effect("usage: false reports no usage metadata", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { usage: false })
      const invoked = yield* fake.invoke("hi")
      const chunks = yield* collect(fake.stream("hi"))
      expect(invoked.usageMetadata).toBeUndefined()
      expect(chunks.every((chunk) => chunk.usageMetadata === undefined)).toBe(true)
    })
  )
})

describe("requests and streams", () => {
  it.effect("records every request in order, as a live view, failed calls included", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit] })
      const requests = fake.requests
      yield* Effect.either(fake.invoke("one", { tags: ["first"] }))
      yield* Stream.runDrain(fake.stream("two", { stop: ["x"] }))
      expect(requests.map((request) => Message.text(request.messages[0]!))).toEqual(["one", "two"])
      expect(requests[0]!.tags).toEqual(["first"])
      expect(requests[1]!.stop).toEqual(["x"])
    })
  )

  it.effect("activeStreams counts a running stream and returns to 0 after interrupting it mid-way", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["abcdef"], { chunkLatency: "1 second" })
      const fiber = yield* Effect.fork(Stream.runDrain(fake.stream("hi")))
      yield* TestClock.adjust("2500 millis")
      expect(fake.activeStreams).toBe(1)
      yield* Fiber.interrupt(fiber)
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect("activeStreams returns to 0 when a stream times out before its first chunk", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["late"], { latency: "1 second" })
      const fiber = yield* Effect.fork(
        Effect.flip(Stream.runDrain(fake.stream("hi", { timeout: "100 millis" })))
      )
      yield* TestClock.adjust("100 millis")
      expect((yield* Fiber.join(fiber))._tag).toBe("TimeoutError")
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect("activeStreams returns to 0 when a stream ends or fails", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [undefined, rateLimit] })
      yield* Stream.runDrain(fake.stream("a"))
      yield* Effect.either(Stream.runDrain(fake.stream("b")))
      yield* Stream.runDrain(Stream.take(fake.stream("c"), 1))
      expect(fake.activeStreams).toBe(0)
    })
  )
})

describe("configuration and state", () => {
  it.effect("each constructor call makes a fresh fake with its own state", () =>
    Effect.gen(function* () {
      const first = FakeChatModel.fromResponses(["one", "two"], { failures: [rateLimit] })
      const second = FakeChatModel.fromResponses(["one", "two"], { failures: [rateLimit] })
      yield* Effect.either(first.invoke("a"))
      yield* first.invoke("b")
      expect(summary(yield* Effect.flip(second.invoke("a")))).toBe(summary(rateLimit))
      expect((yield* second.invoke("b")).content).toBe("one")
      expect([first.requests.length, second.requests.length]).toEqual([2, 2])
      expect(first.requests).not.toBe(second.requests)
    })
  )

  it("names each fake's model in identifyingParams, or the given model", () => {
    expect(FakeChatModel.fromResponses(["a"]).identifyingParams).toEqual({ model: "fake-list" })
    expect(FakeChatModel.fromMessages(["a"]).identifyingParams).toEqual({ model: "fake-messages" })
    expect(FakeChatModel.parrot().identifyingParams).toEqual({ model: "fake-parrot" })
    expect(FakeChatModel.parrot({ model: "polly-1" }).identifyingParams).toEqual({ model: "polly-1" })
  })

  it.effect("reports the given model name in the response metadata of invoke and stream", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { model: "fake-gpt" })
      const invoked = yield* fake.invoke("hi")
      const streamed = merge(yield* collect(fake.stream("hi")))
      expect([invoked.responseMetadata.modelName, streamed.responseMetadata.modelName]).toEqual([
        "fake-gpt",
        "fake-gpt"
      ])
    })
  )

  it("takes the profile from the options, with conservative defaults", () => {
    const fake = FakeChatModel.parrot({ profile: { toolCalling: true } })
    expect([fake.profile.toolCalling, fake.profile.imageInputs]).toEqual([true, false])
  })

  it.effect("is a ChatModel service usable through ChatModel.layer", () =>
    Effect.gen(function* () {
      const reply = yield* ChatModel.invoke("hi")
      expect(reply.content).toBe("from the layer")
    }).pipe(Effect.provide(ChatModel.layer(FakeChatModel.fromResponses(["from the layer"]))))
  )
})
