import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message, PromptValue } from "@effect-chat/core"
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { chunks, lastText, merge, recordingLogger, result, textOf, toArray } from "./helpers.js"

// ---------------------------------------------------------------------------
// test models
// ---------------------------------------------------------------------------

/** Answers with the text of the last message, after an optional latency per text. */
const echo = (options: { readonly latency?: (text: string) => Duration.DurationInput } = {}) => {
  const requests: Array<ChatModel.ChatRequest> = []
  const model = ChatModel.make({
    llmType: "echo",
    identifyingParams: { model: "echo-1" },
    generate: (request) =>
      Effect.suspend(() => {
        requests.push(request)
        const text = lastText(request)
        const answer = Effect.succeed(result(text))
        return options.latency === undefined ? answer : Effect.delay(answer, options.latency(text))
      })
  })
  return { model, requests }
}

/** A generate-only model that always answers with `text`. */
const answering = (text: string, fields: Omit<Message.AIFields, "content"> = {}) =>
  ChatModel.make({
    llmType: "fixed",
    identifyingParams: { model: "fixed-1" },
    generate: () => Effect.succeed(result({ ...fields, content: text }))
  })

/** A stream-only model that streams the given pieces. */
const streaming = (...pieces: ReadonlyArray<string | Message.ChunkFields>) => {
  let calls = 0
  const model = ChatModel.make({
    llmType: "streaming",
    identifyingParams: { model: "streaming-1" },
    stream: () =>
      Stream.suspend(() => {
        calls++
        return chunks(...pieces)
      })
  })
  return {
    model,
    get calls() {
      return calls
    }
  }
}

const failing = (error: ChatError.ChatError) =>
  ChatModel.make({
    llmType: "failing",
    identifyingParams: { model: "failing-1" },
    generate: () => Effect.fail(error)
  })

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) => Effect.map(Stream.runCollect(stream), toArray)

const lastMarked = (items: ReadonlyArray<Message.AIMessageChunk>) =>
  items.filter((item) => item.last === true)

// ---------------------------------------------------------------------------
// make and invoke
// ---------------------------------------------------------------------------

describe("ChatModel.make", () => {
  it("builds a service that isChatModel recognizes, with the protocol's llmType and identifyingParams", () => {
    const model = ChatModel.make({
      llmType: "custom",
      identifyingParams: { model: "m-1", temperature: 0.2 },
      generate: () => Effect.succeed(result("x"))
    })
    expect(ChatModel.isChatModel(model)).toBe(true)
    expect(ChatModel.isChatModel({ invoke: () => undefined })).toBe(false)
    expect(model.llmType).toBe("custom")
    expect(model.identifyingParams).toEqual({ model: "m-1", temperature: 0.2 })
  })
})

describe("invoke", () => {
  it.effect("returns the provider's message with the id run-<runId> when the provider gives none", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      const reply = yield* model.invoke("hello")
      expect(reply).toBeInstanceOf(Message.AIMessage)
      expect(reply.content).toBe("hello")
      expect(requests).toHaveLength(1)
      expect(reply.id).toBe(`run-${requests[0]!.runId}`)
      expect(requests[0]!.runId).toMatch(/^[0-9a-f-]{36}$/)
    })
  )

  it.effect("uses the runId option as the run id and the message id", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      const reply = yield* model.invoke("hello", { runId: "run-id-42" })
      expect(requests[0]!.runId).toBe("run-id-42")
      expect(reply.id).toBe("run-run-id-42")
    })
  )

  it.effect("makes a fresh run id for every call", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const first = yield* model.invoke("a")
      const second = yield* model.invoke("b")
      expect(first.id).not.toBe(second.id)
    })
  )

  it.effect("keeps the id the provider gives", () =>
    Effect.gen(function* () {
      const reply = yield* answering("x", { id: "msg_provider" }).invoke("hi")
      expect(reply.id).toBe("msg_provider")
    })
  )

  it.effect("fills responseMetadata.modelName from identifyingParams.model", () =>
    Effect.gen(function* () {
      const reply = yield* answering("x").invoke("hi")
      expect(reply.responseMetadata.modelName).toBe("fixed-1")
    })
  )

  it.effect("keeps the modelName the provider reports", () =>
    Effect.gen(function* () {
      const reply = yield* answering("x", { responseMetadata: { modelName: "fixed-1-2025" } }).invoke("hi")
      expect(reply.responseMetadata.modelName).toBe("fixed-1-2025")
    })
  )

  it.effect("uses the llmType as modelName when identifyingParams has no model", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({ llmType: "nameless", generate: () => Effect.succeed(result("x")) })
      const reply = yield* model.invoke("hi")
      expect(reply.responseMetadata.modelName).toBe("nameless")
    })
  )

  it.effect("derives the generation text from the message when the provider gives none", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "blocks",
        generate: () =>
          Effect.succeed({
            generations: [
              {
                message: {
                  content: [
                    { type: "text", text: "Hello " },
                    { type: "text", text: "world" }
                  ]
                }
              }
            ]
          })
      })
      const generated = yield* model.generate([["hi"]])
      expect(generated.generations[0]![0]!.text).toBe("Hello world")
      expect(generated.generations[0]![0]!.message).toBeInstanceOf(Message.AIMessage)
    })
  )

  it.effect("normalizes every kind of input into messages for the provider", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      yield* model.invoke([
        ["system", "Be brief."],
        { role: "user", content: "one" },
        Message.ai("two"),
        "three"
      ])
      yield* model.invoke(PromptValue.fromString("four"))
      expect(requests[0]!.messages.map((message) => message._tag)).toEqual([
        "SystemMessage",
        "HumanMessage",
        "AIMessage",
        "HumanMessage"
      ])
      expect(requests[0]!.messages.map((message) => Message.text(message))).toEqual([
        "Be brief.",
        "one",
        "two",
        "three"
      ])
      expect(requests[1]!.messages.map((message) => message._tag)).toEqual(["HumanMessage"])
    })
  )

  it.effect("fails with InvalidInputError for an unknown role", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      const exit = yield* Effect.exit(model.invoke([["robot", "beep"]]))
      expect(Exit.isFailure(exit) && Option.getOrUndefined(Cause.failureOption(exit.cause))).toBeInstanceOf(
        ChatError.InvalidInputError
      )
      expect(requests).toHaveLength(0)
    })
  )

  it.effect("fails with InvalidInputError (not a defect) for a number given as a message", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const input = [42] as unknown as Message.ChatInput
      const exit = yield* Effect.exit(model.invoke(input))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        expect(Cause.isDie(exit.cause)).toBe(false)
        expect(Option.getOrUndefined(Cause.failureOption(exit.cause))).toBeInstanceOf(
          ChatError.InvalidInputError
        )
      }
    })
  )

  it.effect("fails with InvalidInputError for an empty list of messages", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const error = yield* Effect.flip(model.invoke([]))
      expect(error._tag).toBe("InvalidInputError")
      expect(error.retryable).toBe(false)
    })
  )

  it("does not throw when building a call with bad input (the failure is in the effect)", () => {
    const { model } = echo()
    const input = [null, 42] as unknown as Message.ChatInput
    expect(() => model.invoke(input)).not.toThrow()
    expect(() => model.stream(input)).not.toThrow()
  })

  it.effect("passes stop, tags, metadata and providerOptions to the provider's request", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      yield* model.invoke("hi", {
        stop: ["END"],
        tags: ["a", "b"],
        metadata: { user: "ada" },
        providerOptions: { reasoningEffort: "low" }
      })
      const request = requests[0]!
      expect(request.stop).toEqual(["END"])
      expect(request.tags).toEqual(["a", "b"])
      expect(request.metadata).toEqual({ user: "ada" })
      expect(request.providerOptions).toEqual({ reasoningEffort: "low" })
      expect(request.tools).toEqual([])
    })
  )

  it.effect("fails with the provider's typed error", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        failing(new ChatError.ServerError({ message: "boom", status: 500 })).invoke("hi")
      )
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(error.message).toBe("boom")
    })
  )

  it.effect("fails with TimeoutError when the answer takes longer than the timeout option", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: () => "10 seconds" })
      const fiber = yield* Effect.fork(model.invoke("hi", { timeout: "1 second" }))
      yield* TestClock.adjust("999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error).toBeInstanceOf(ChatError.TimeoutError)
      expect(error.retryable).toBe(true)
    })
  )

  it.effect("succeeds when the answer arrives within the timeout", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: () => "500 millis" })
      const fiber = yield* Effect.fork(model.invoke("hi", { timeout: "1 second" }))
      yield* TestClock.adjust("1 second")
      const reply = yield* Fiber.join(fiber)
      expect(reply.content).toBe("hi")
    })
  )

  it.effect("a timed-out invoke interrupts the provider's request", () =>
    Effect.gen(function* () {
      const interrupted = yield* Ref.make(false)
      const model = ChatModel.make({
        llmType: "hanging",
        generate: () => Effect.never.pipe(Effect.onInterrupt(() => Ref.set(interrupted, true)))
      })
      const fiber = yield* Effect.fork(model.invoke("hi", { timeout: "3 seconds" }))
      yield* TestClock.adjust("3 seconds")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error).toBeInstanceOf(ChatError.TimeoutError)
      expect(yield* Ref.get(interrupted)).toBe(true)
    })
  )

  it.effect("interrupting invoke of a stream-only provider runs the provider stream's finalizer", () =>
    Effect.gen(function* () {
      const finalized = yield* Ref.make(false)
      const started = yield* Deferred.make<void>()
      const model = ChatModel.make({
        llmType: "endless",
        stream: () =>
          Stream.concat(
            chunks("a"),
            Stream.fromEffect(Effect.zipRight(Deferred.succeed(started, undefined), Effect.never))
          ).pipe(Stream.ensuring(Ref.set(finalized, true)))
      })
      const fiber = yield* Effect.fork(model.invoke("hi"))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(finalized)).toBe(true)
    })
  )
})

// ---------------------------------------------------------------------------
// stream
// ---------------------------------------------------------------------------

describe("stream", () => {
  it.effect("marks the final element with last: true", () =>
    Effect.gen(function* () {
      const items = yield* collect(streaming("Hel", "lo").model.stream("hi"))
      expect(items.at(-1)!.last).toBe(true)
      expect(textOf(items)).toBe("Hello")
    })
  )

  it.effect(
    "marks exactly one element as last, appending an empty one when the provider did not mark it",
    () =>
      Effect.gen(function* () {
        const items = yield* collect(streaming("a", "b", "c").model.stream("hi"))
        expect(items).toHaveLength(4)
        expect(lastMarked(items)).toHaveLength(1)
        expect(items[3]!.content).toBe("")
        expect(items.slice(0, 3).map((item) => item.content)).toEqual(["a", "b", "c"])
      })
  )

  it.effect("adds no extra chunk when the provider marks its last chunk itself", () =>
    Effect.gen(function* () {
      const items = yield* collect(streaming("a", "b", { content: "c", last: true }).model.stream("hi"))
      expect(items.map((item) => item.content)).toEqual(["a", "b", "c"])
      expect(lastMarked(items)).toHaveLength(1)
      expect(items[2]!.last).toBe(true)
    })
  )

  it.effect("marks the last element of an empty provider stream", () =>
    Effect.gen(function* () {
      const items = yield* collect(streaming().model.stream("hi"))
      expect(items).toHaveLength(1)
      expect(items[0]!.last).toBe(true)
      expect(items[0]!.content).toBe("")
    })
  )

  it.effect(
    "gives every chunk the id run-<runId> when the provider gives none, and the model name on the first",
    () =>
      Effect.gen(function* () {
        const items = yield* collect(streaming("a", "b").model.stream("hi", { runId: "r1" }))
        expect(items.map((item) => item.id)).toEqual(["run-r1", "run-r1", "run-r1"])
        expect(merge(items).responseMetadata.modelName).toBe("streaming-1")
      })
  )

  it.effect(
    "serves invoke of a stream-only provider by folding its chunks with Message.concat and toMessage",
    () =>
      Effect.gen(function* () {
        const pieces: ReadonlyArray<Message.ChunkFields> = [
          { content: "The weather ", id: "msg_1", responseMetadata: { modelName: "streaming-1" } },
          {
            content: "in Paris",
            toolCallChunks: [{ index: 0, id: "call_1", name: "weather", args: '{"ci' }]
          },
          { content: "", toolCallChunks: [{ index: 0, args: 'ty":"Paris"}' }] },
          {
            content: "",
            usageMetadata: { inputTokens: 7, outputTokens: 5, totalTokens: 12 },
            responseMetadata: { finishReason: "toolCalls" }
          }
        ]
        const { model } = streaming(...pieces)
        const reply = yield* model.invoke("hi")
        const expected = Message.toMessage(merge(pieces.map((piece) => Message.chunk(piece))))
        expect(reply).toEqual(expected)
        expect(reply.content).toBe("The weather in Paris")
        expect(reply.toolCalls).toEqual([{ id: "call_1", name: "weather", args: { city: "Paris" } }])
        expect(reply.usageMetadata).toEqual({ inputTokens: 7, outputTokens: 5, totalTokens: 12 })
      })
  )

  it.effect(
    "invoke of a stream-only provider gets the run id and model name when the chunks carry none",
    () =>
      Effect.gen(function* () {
        const reply = yield* streaming("Hel", "lo").model.invoke("hi", { runId: "r2" })
        expect(reply.content).toBe("Hello")
        expect(reply.id).toBe("run-r2")
        expect(reply.responseMetadata.modelName).toBe("streaming-1")
      })
  )

  it.effect("streams one chunk, marked last, from a generate-only provider", () =>
    Effect.gen(function* () {
      const items = yield* collect(
        answering("whole answer", {
          usageMetadata: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }
        }).stream("hi")
      )
      expect(items).toHaveLength(1)
      expect(items[0]!.content).toBe("whole answer")
      expect(items[0]!.last).toBe(true)
      expect(items[0]!.usageMetadata).toEqual({ inputTokens: 1, outputTokens: 2, totalTokens: 3 })
      expect(items[0]!.responseMetadata.modelName).toBe("fixed-1")
    })
  )

  it.effect(
    "streams the tool calls of a generate-only provider so that merging the chunks gives them back",
    () =>
      Effect.gen(function* () {
        const toolCalls = [
          { id: "call_1", name: "weather", args: { city: "Paris" } },
          { id: "call_2", name: "time", args: {} }
        ]
        const items = yield* collect(answering("", { toolCalls }).stream("hi"))
        const message = Message.toMessage(merge(items))
        expect(message.toolCalls).toEqual(toolCalls)
        expect(message.invalidToolCalls).toEqual([])
      })
  )

  it.effect("streams only the first generation of a provider that returns several (n > 1)", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "multi",
        generate: () =>
          Effect.succeed({
            generations: [{ message: Message.ai("first") }, { message: Message.ai("second") }]
          })
      })
      const items = yield* collect(model.stream("hi"))
      expect(textOf(items)).toBe("first")
      expect((yield* model.invoke("hi")).content).toBe("first")
      const generated = yield* model.generate([["hi"]])
      expect(generated.generations[0]!.map((generation) => generation.text)).toEqual(["first", "second"])
    })
  )

  it.effect(
    "streams one chunk from generate when disableStreaming is true, never calling the provider's stream",
    () =>
      Effect.gen(function* () {
        let streamed = 0
        const model = ChatModel.make({
          llmType: "both",
          disableStreaming: true,
          generate: () => Effect.succeed(result("from generate")),
          stream: () =>
            Stream.suspend(() => {
              streamed++
              return chunks("from ", "stream")
            })
        })
        const items = yield* collect(model.stream("hi"))
        expect(items.map((item) => item.content)).toEqual(["from generate"])
        expect(items[0]!.last).toBe(true)
        expect(streamed).toBe(0)
      })
  )

  it.effect(
    'streams from the provider when disableStreaming is "toolCalling" and the request has no tools',
    () =>
      Effect.gen(function* () {
        let generated = 0
        const model = ChatModel.make({
          llmType: "both",
          disableStreaming: "toolCalling",
          generate: () =>
            Effect.sync(() => {
              generated++
              return result("from generate")
            }),
          stream: () => chunks("from ", "stream")
        })
        const items = yield* collect(model.stream("hi"))
        expect(textOf(items)).toBe("from stream")
        expect(items.length).toBeGreaterThan(1)
        expect(generated).toBe(0)
      })
  )

  it.effect("a model with both generate and stream uses generate for invoke and stream for stream", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "both",
        generate: () => Effect.succeed(result("from generate")),
        stream: () => chunks("from ", "stream")
      })
      expect((yield* model.invoke("hi")).content).toBe("from generate")
      expect(textOf(yield* collect(model.stream("hi")))).toBe("from stream")
    })
  )

  it.effect("fails with InvalidInputError for bad input, without calling the provider", () =>
    Effect.gen(function* () {
      const model = streaming("a")
      const error = yield* Effect.flip(Stream.runCollect(model.model.stream([["robot", "beep"]])))
      expect(error).toBeInstanceOf(ChatError.InvalidInputError)
      expect(model.calls).toBe(0)
    })
  )

  it.effect("fails with the provider's error after the chunks it emitted", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "broken",
        stream: () =>
          Stream.concat(
            chunks("par", "tial"),
            Stream.fail(new ChatError.TransportError({ message: "reset" }))
          )
      })
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Stream.runForEach(model.stream("hi"), (item) => Effect.sync(() => seen.push(Message.text(item))))
      )
      expect(error).toBeInstanceOf(ChatError.TransportError)
      expect(seen.join("")).toBe("partial")
    })
  )

  it.effect("fails with TimeoutError when the first chunk takes longer than the timeout option", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "slow",
        stream: () =>
          Stream.concat(
            Stream.fromEffect(Effect.as(Effect.sleep("10 seconds"), Message.chunk({ content: "late" }))),
            chunks("!")
          )
      })
      const fiber = yield* Effect.fork(collect(model.stream("hi", { timeout: "2 seconds" })))
      yield* TestClock.adjust("2 seconds")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error).toBeInstanceOf(ChatError.TimeoutError)
    })
  )

  it.effect("the stream timeout bounds the wait for the first chunk only, not the whole stream", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "slow-tail",
        stream: () =>
          Stream.concat(
            chunks("fast "),
            Stream.fromEffect(Effect.as(Effect.sleep("10 seconds"), Message.chunk({ content: "slow" })))
          )
      })
      const fiber = yield* Effect.fork(collect(model.stream("hi", { timeout: "2 seconds" })))
      yield* TestClock.adjust("10 seconds")
      const items = yield* Fiber.join(fiber)
      expect(textOf(items)).toBe("fast slow")
    })
  )

  it.effect("interrupting a stream runs the provider stream's finalizer", () =>
    Effect.gen(function* () {
      const finalized = yield* Ref.make(false)
      const firstSeen = yield* Deferred.make<void>()
      const model = ChatModel.make({
        llmType: "endless",
        stream: () =>
          Stream.concat(chunks("tick"), Stream.never).pipe(Stream.ensuring(Ref.set(finalized, true)))
      })
      const fiber = yield* Effect.fork(
        Stream.runForEach(model.stream("hi"), () => Deferred.succeed(firstSeen, undefined))
      )
      yield* Deferred.await(firstSeen)
      expect(yield* Ref.get(finalized)).toBe(false)
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(finalized)).toBe(true)
    })
  )

  it.effect("taking fewer chunks than the provider sends closes the provider's stream", () =>
    Effect.gen(function* () {
      const finalized = yield* Ref.make(false)
      const model = ChatModel.make({
        llmType: "endless",
        stream: () =>
          Stream.repeatValue(Message.chunk({ content: "x" })).pipe(Stream.ensuring(Ref.set(finalized, true)))
      })
      const items = yield* collect(Stream.take(model.stream("hi"), 3))
      expect(items).toHaveLength(3)
      expect(yield* Ref.get(finalized)).toBe(true)
    })
  )
})

// ---------------------------------------------------------------------------
// stop sequences
// ---------------------------------------------------------------------------

describe("stop sequences", () => {
  it.effect("cut invoke's output before the first stop sequence and set finishReason stop", () =>
    Effect.gen(function* () {
      const reply = yield* answering("Hello STOP world").invoke("hi", { stop: ["STOP"] })
      expect(reply.content).toBe("Hello ")
      expect(reply.responseMetadata.finishReason).toBe("stop")
    })
  )

  it.effect("cut at the earliest of several stop sequences", () =>
    Effect.gen(function* () {
      const reply = yield* answering("one, two; three").invoke("hi", { stop: [";", ","] })
      expect(reply.content).toBe("one")
    })
  )

  it.effect("leave output without a stop sequence untouched", () =>
    Effect.gen(function* () {
      const reply = yield* answering("no stop here", { responseMetadata: { finishReason: "length" } }).invoke(
        "hi",
        {
          stop: ["STOP"]
        }
      )
      expect(reply.content).toBe("no stop here")
      expect(reply.responseMetadata.finishReason).toBe("length")
    })
  )

  it.effect("cut a stream at a stop sequence split across chunk boundaries", () =>
    Effect.gen(function* () {
      const items = yield* collect(
        streaming("Hel", "lo ST", "OP wor", "ld").model.stream("hi", { stop: ["STOP"] })
      )
      expect(textOf(items)).toBe("Hello ")
      expect(items.some((item) => Message.text(item).includes("S"))).toBe(false)
      expect(merge(items).responseMetadata.finishReason).toBe("stop")
      expect(lastMarked(items)).toHaveLength(1)
    })
  )

  it.effect("release held-back text that turned out not to start a stop sequence", () =>
    Effect.gen(function* () {
      const items = yield* collect(streaming("a S", "x b S").model.stream("hi", { stop: ["STOP"] }))
      expect(textOf(items)).toBe("a Sx b S")
      expect(merge(items).responseMetadata.finishReason).toBeUndefined()
    })
  )

  it.effect("cut invoke of a stream-only provider across chunk boundaries", () =>
    Effect.gen(function* () {
      const reply = yield* streaming("Hel", "lo ST", "OP wor", "ld").model.invoke("hi", { stop: ["STOP"] })
      expect(reply.content).toBe("Hello ")
      expect(reply.responseMetadata.finishReason).toBe("stop")
    })
  )

  it.effect("cut the one chunk streamed from a generate-only provider", () =>
    Effect.gen(function* () {
      const items = yield* collect(answering("Hello STOP world").stream("hi", { stop: ["STOP"] }))
      expect(textOf(items)).toBe("Hello ")
      expect(merge(items).responseMetadata.finishReason).toBe("stop")
    })
  )
})

// ---------------------------------------------------------------------------
// batch and batchAsCompleted
// ---------------------------------------------------------------------------

/** A model that counts requests in flight; each takes one second. */
const counting = () => {
  let inFlight = 0
  let maxInFlight = 0
  const model = ChatModel.make({
    llmType: "counting",
    generate: (request) =>
      Effect.suspend(() => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        return Effect.delay(Effect.succeed(result(lastText(request))), "1 second")
      }).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            inFlight--
          })
        )
      )
  })
  return {
    model,
    get maxInFlight() {
      return maxInFlight
    },
    get inFlight() {
      return inFlight
    }
  }
}

describe("batch", () => {
  it.effect("returns the answers in input order even when later inputs finish first", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: (text) => Duration.millis(Number(text)) })
      const fiber = yield* Effect.fork(model.batch(["300", "100", "200", "0"]))
      yield* TestClock.adjust("1 second")
      const replies = yield* Fiber.join(fiber)
      expect(replies.map((reply) => reply.content)).toEqual(["300", "100", "200", "0"])
    })
  )

  it.effect("never has more requests in flight than the concurrency option", () =>
    Effect.gen(function* () {
      const model = counting()
      const inputs = Array.from({ length: 10 }, (_, index) => `q${index}`)
      const fiber = yield* Effect.fork(model.model.batch(inputs, { concurrency: 3 }))
      yield* TestClock.adjust("0 millis")
      expect(model.inFlight).toBe(3)
      yield* TestClock.adjust("10 seconds")
      const replies = yield* Fiber.join(fiber)
      expect(replies).toHaveLength(10)
      expect(model.maxInFlight).toBe(3)
    })
  )

  it.effect("runs at most 8 requests at once by default", () =>
    Effect.gen(function* () {
      const model = counting()
      const inputs = Array.from({ length: 20 }, (_, index) => `q${index}`)
      const fiber = yield* Effect.fork(model.model.batch(inputs))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(model.maxInFlight).toBe(8)
    })
  )

  it.effect("gives every answer its own run id", () =>
    Effect.gen(function* () {
      const { model, requests } = echo()
      const replies = yield* model.batch(["a", "b", "c"])
      const runIds = new Set(requests.map((request) => request.runId))
      expect(runIds.size).toBe(3)
      expect(new Set(replies.map((reply) => reply.id))).toEqual(
        new Set([...runIds].map((runId) => `run-${runId}`))
      )
    })
  )

  it.effect("fails with the first error without returnExceptions", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "picky",
        generate: (request) =>
          lastText(request) === "bad"
            ? Effect.fail(new ChatError.BadRequestError({ message: "bad input" }))
            : Effect.succeed(result("ok"))
      })
      const error = yield* Effect.flip(model.batch(["good", "bad", "good"]))
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
    })
  )

  it.effect("with returnExceptions reports each failure in place and never fails", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "picky",
        generate: (request) =>
          lastText(request) === "bad"
            ? Effect.fail(new ChatError.BadRequestError({ message: "bad input" }))
            : Effect.succeed(result(`ok ${lastText(request)}`))
      })
      const outcomes = yield* model.batch(["one", "bad", "three", [["robot", "beep"]]], {
        returnExceptions: true
      })
      expect(outcomes).toHaveLength(4)
      expect(
        outcomes.map((outcome) => (Either.isRight(outcome) ? outcome.right.content : outcome.left._tag))
      ).toEqual(["ok one", "BadRequestError", "ok three", "InvalidInputError"])
    })
  )
})

describe("batchAsCompleted", () => {
  it.effect("yields answers in completion order, each with its input's index", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: (text) => Duration.millis(Number(text)) })
      const fiber = yield* Effect.fork(collect(model.batchAsCompleted(["300", "100", "200"])))
      yield* TestClock.adjust("1 second")
      const results = yield* Fiber.join(fiber)
      expect(results.map(([index]) => index)).toEqual([1, 2, 0])
      expect(
        results.map(([index, outcome]) => [
          index,
          Either.isRight(outcome) ? outcome.right.content : outcome.left._tag
        ])
      ).toEqual([
        [1, "100"],
        [2, "200"],
        [0, "300"]
      ])
    })
  )

  it.effect("emits each answer as soon as it is done", () =>
    Effect.gen(function* () {
      const { model } = echo({ latency: (text) => Duration.seconds(Number(text)) })
      const seen: Array<number> = []
      const fiber = yield* Effect.fork(
        Stream.runForEach(model.batchAsCompleted(["3", "1"]), ([index]) =>
          Effect.sync(() => seen.push(index))
        )
      )
      yield* TestClock.adjust("1 second")
      expect(seen).toEqual([1])
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      expect(seen).toEqual([1, 0])
    })
  )

  it.effect("reports failures in place as Left with their index", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "picky",
        generate: (request) =>
          lastText(request) === "bad"
            ? Effect.fail(new ChatError.ContentFilterError({ message: "filtered" }))
            : Effect.succeed(result("ok"))
      })
      const results = yield* collect(model.batchAsCompleted(["bad", "good"], { concurrency: 1 }))
      expect(results).toHaveLength(2)
      const [first, second] = results
      expect(first![0]).toBe(0)
      expect(Either.isLeft(first![1]) && first![1].left._tag).toBe("ContentFilterError")
      expect(second![0]).toBe(1)
      expect(Either.isRight(second![1]) && second![1].right.content).toBe("ok")
    })
  )

  it.effect("honours the concurrency option", () =>
    Effect.gen(function* () {
      const model = counting()
      const inputs = Array.from({ length: 6 }, (_, index) => `q${index}`)
      const fiber = yield* Effect.fork(collect(model.model.batchAsCompleted(inputs, { concurrency: 2 })))
      yield* TestClock.adjust("10 seconds")
      const results = yield* Fiber.join(fiber)
      expect(results).toHaveLength(6)
      expect(model.maxInFlight).toBe(2)
    })
  )

  it.effect("runs at most 8 requests at once by default", () =>
    Effect.gen(function* () {
      const model = counting()
      const inputs = Array.from({ length: 20 }, (_, index) => `q${index}`)
      const fiber = yield* Effect.fork(collect(model.model.batchAsCompleted(inputs)))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(model.maxInFlight).toBe(8)
    })
  )
})

// ---------------------------------------------------------------------------
// generate and generatePrompt
// ---------------------------------------------------------------------------

describe("generate", () => {
  const usageModel = () => {
    const requests: Array<ChatModel.ChatRequest> = []
    const model = ChatModel.make({
      llmType: "usage",
      identifyingParams: { model: "usage-1" },
      generate: (request) =>
        Effect.sync(() => {
          requests.push(request)
          const text = lastText(request)
          return result({
            content: `re: ${text}`,
            usageMetadata: { inputTokens: text.length, outputTokens: 10, totalTokens: text.length + 10 }
          })
        })
    })
    return { model, requests }
  }

  it.effect("returns one list of generations per conversation, in order", () =>
    Effect.gen(function* () {
      const { model } = usageModel()
      const generated = yield* model.generate([
        [["user", "one"]],
        [
          ["system", "terse"],
          ["user", "three"]
        ]
      ])
      expect(generated.generations).toHaveLength(2)
      expect(
        generated.generations.map((generations) => generations.map((generation) => generation.text))
      ).toEqual([["re: one"], ["re: three"]])
      expect(generated.generations[1]![0]!.message).toBeInstanceOf(Message.AIMessage)
    })
  )

  it.effect("sums the token usage of every conversation in llmOutput.tokenUsage", () =>
    Effect.gen(function* () {
      const { model } = usageModel()
      const generated = yield* model.generate([["abc"], ["abcdefg"]])
      expect(generated.llmOutput?.tokenUsage).toEqual({ inputTokens: 10, outputTokens: 20, totalTokens: 30 })
      expect(generated.llmOutput?.modelName).toBe("usage-1")
    })
  )

  it.effect("reports no tokenUsage when the provider reports no usage", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const generated = yield* model.generate([["a"], ["b"]])
      expect(generated.llmOutput?.tokenUsage).toBeUndefined()
    })
  )

  it.effect("gives each conversation its own run id, matching its message id", () =>
    Effect.gen(function* () {
      const { model, requests } = usageModel()
      const generated = yield* model.generate([["a"], ["b"], ["c"]])
      expect(generated.run).toHaveLength(3)
      const runIds = generated.run.map((run) => run.runId)
      expect(new Set(runIds).size).toBe(3)
      expect(new Set(requests.map((request) => request.runId))).toEqual(new Set(runIds))
      expect(generated.generations.map((generations) => generations[0]!.message.id)).toEqual(
        runIds.map((runId) => `run-${runId}`)
      )
    })
  )

  it.effect("runs every conversation to its end before reporting the first error", () =>
    Effect.gen(function* () {
      let completed = 0
      const model = ChatModel.make({
        llmType: "mixed",
        generate: (request) =>
          lastText(request) === "fail"
            ? Effect.fail(new ChatError.ServerError({ message: "boom" }))
            : Effect.delay(
                Effect.sync(() => {
                  completed++
                  return result("slow answer")
                }),
                "5 seconds"
              )
      })
      const fiber = yield* Effect.fork(model.generate([["fail"], ["slow"], ["slow"]]))
      yield* TestClock.adjust("4 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      expect(completed).toBe(0)
      yield* TestClock.adjust("1 second")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(completed).toBe(2)
    })
  )

  it.effect("honours the concurrency option", () =>
    Effect.gen(function* () {
      const model = counting()
      const conversations = Array.from({ length: 7 }, (_, index) => [`q${index}`])
      const fiber = yield* Effect.fork(model.model.generate(conversations, { concurrency: 2 }))
      yield* TestClock.adjust("10 seconds")
      const generated = yield* Fiber.join(fiber)
      expect(generated.generations).toHaveLength(7)
      expect(model.maxInFlight).toBe(2)
    })
  )

  it.effect("fails with InvalidInputError when a conversation is invalid", () =>
    Effect.gen(function* () {
      const { model } = echo()
      const error = yield* Effect.flip(model.generate([["fine"], []]))
      expect(error).toBeInstanceOf(ChatError.InvalidInputError)
    })
  )

  it.effect("generatePrompt runs PromptValues like generate runs conversations", () =>
    Effect.gen(function* () {
      const { model, requests } = usageModel()
      const generated = yield* model.generatePrompt([
        PromptValue.fromString("first"),
        PromptValue.fromMessages([Message.system("be terse"), Message.human("second")])
      ])
      expect(generated.generations.map((generations) => generations[0]!.text)).toEqual([
        "re: first",
        "re: second"
      ])
      expect(generated.run).toHaveLength(2)
      expect(generated.llmOutput?.tokenUsage).toEqual({ inputTokens: 11, outputTokens: 20, totalTokens: 31 })
      const byText = new Map(
        requests.map((request) => [lastText(request), request.messages.map((m) => m._tag)])
      )
      expect(byText.get("first")).toEqual(["HumanMessage"])
      expect(byText.get("second")).toEqual(["SystemMessage", "HumanMessage"])
    })
  )
})

// ---------------------------------------------------------------------------
// streamEvents
// ---------------------------------------------------------------------------

describe("streamEvents", () => {
  it.effect("emits start, one stream event per chunk, then end, all with the same runId", () =>
    Effect.gen(function* () {
      const events = yield* collect(streaming("Hel", "lo").model.streamEvents("hi", { runId: "ev-1" }))
      expect(events.map((event) => event.event)).toEqual([
        "on_chat_model_start",
        "on_chat_model_stream",
        "on_chat_model_stream",
        "on_chat_model_stream",
        "on_chat_model_end"
      ])
      expect(new Set(events.map((event) => event.runId))).toEqual(new Set(["ev-1"]))
    })
  )

  it.effect("the start event carries the input messages", () =>
    Effect.gen(function* () {
      const events = yield* collect(
        streaming("x").model.streamEvents([
          ["system", "terse"],
          ["user", "hi"]
        ])
      )
      const start = events[0]!
      expect(
        start.event === "on_chat_model_start" && start.data.input.map((message) => message._tag)
      ).toEqual(["SystemMessage", "HumanMessage"])
    })
  )

  it.effect("the end event's output equals the merged chunks of the stream events", () =>
    Effect.gen(function* () {
      const events = yield* collect(
        streaming("Hel", "lo", {
          content: "",
          usageMetadata: { inputTokens: 2, outputTokens: 3, totalTokens: 5 },
          responseMetadata: { finishReason: "stop" }
        }).model.streamEvents("hi")
      )
      const streamed: Array<Message.AIMessageChunk> = []
      let output: Message.AIMessage | undefined
      for (const event of events) {
        if (event.event === "on_chat_model_stream") streamed.push(event.data.chunk)
        if (event.event === "on_chat_model_end") output = event.data.output
      }
      expect(output).toEqual(Message.toMessage(merge(streamed)))
      expect(output?.content).toBe("Hello")
      expect(output?.usageMetadata).toEqual({ inputTokens: 2, outputTokens: 3, totalTokens: 5 })
      expect(output?.id).toBe(`run-${events[0]!.runId}`)
    })
  )

  it.effect("carries runName as name, tags and metadata on every event", () =>
    Effect.gen(function* () {
      const events = yield* collect(
        streaming("x").model.streamEvents("hi", { runName: "my-run", tags: ["t"], metadata: { k: 1 } })
      )
      for (const event of events) {
        expect(event.name).toBe("my-run")
        expect(event.tags).toEqual(["t"])
        expect(event.metadata).toEqual({ k: 1 })
        expect(event.parentIds).toEqual([])
      }
    })
  )

  it.effect("names events after the llmType when no runName is given", () =>
    Effect.gen(function* () {
      const events = yield* collect(streaming("x").model.streamEvents("hi"))
      expect(events[0]!.name).toBe("streaming")
    })
  )

  it.effect("fails with the provider's error after the start event", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({
        llmType: "broken",
        stream: () => Stream.fail(new ChatError.ServerError({ message: "down" }))
      })
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Stream.runForEach(model.streamEvents("hi"), (event) => Effect.sync(() => seen.push(event.event)))
      )
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(seen).toEqual(["on_chat_model_start"])
    })
  )
})

// ---------------------------------------------------------------------------
// callbacks
// ---------------------------------------------------------------------------

const recorder = () => {
  const log: Array<string> = []
  const callbacks: ChatModel.Callbacks = {
    onStart: (event) => Effect.sync(() => log.push(`start:${event.messages.length}`)),
    onToken: (event) => Effect.sync(() => log.push(`token:${event.token}`)),
    onEnd: (event) => Effect.sync(() => log.push(`end:${event.result.generations[0].text}`)),
    onError: (event) => Effect.sync(() => log.push(`error:${event.error._tag}`))
  }
  return { log, callbacks }
}

describe("callbacks", () => {
  it.effect("stream runs onStart, onToken for each chunk, then onEnd with the merged answer", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* Stream.runDrain(streaming("Hel", "lo").model.stream("hi", { callbacks }))
      expect(log).toEqual(["start:1", "token:Hel", "token:lo", "token:", "end:Hello"])
    })
  )

  it.effect("invoke runs onStart then onEnd with the answer", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* answering("answer").invoke(
        [
          ["system", "s"],
          ["user", "hi"]
        ],
        { callbacks }
      )
      expect(log).toEqual(["start:2", "end:answer"])
    })
  )

  it.effect("onToken runs before its chunk is emitted downstream", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      const model = ChatModel.make({ llmType: "chunked", stream: () => Stream.rechunk(chunks("a", "b"), 1) })
      yield* model
        .stream("hi", {
          callbacks: { onToken: (event) => Effect.sync(() => log.push(`token:${event.token}`)) }
        })
        .pipe(Stream.runForEach((item) => Effect.sync(() => log.push(`emit:${Message.text(item)}`))))
      expect(log).toEqual(["token:a", "emit:a", "token:b", "emit:b", "token:", "emit:"])
    })
  )

  it.effect("onToken receives the chunk along with its text", () =>
    Effect.gen(function* () {
      const seen: Array<Message.AIMessageChunk> = []
      yield* Stream.runDrain(
        streaming("x").model.stream("hi", {
          runId: "cb-1",
          callbacks: { onToken: (event) => Effect.sync(() => seen.push(event.chunk)) }
        })
      )
      expect(seen[0]!.content).toBe("x")
      expect(seen[0]!.id).toBe("run-cb-1")
    })
  )

  it.effect("callbacks receive the run's id, name, llmType, tags and metadata", () =>
    Effect.gen(function* () {
      const infos: Array<ChatModel.RunInfo> = []
      yield* answering("x").invoke("hi", {
        runId: "info-1",
        runName: "named",
        tags: ["t1"],
        metadata: { m: true },
        callbacks: {
          onStart: (event) => Effect.sync(() => infos.push(event)),
          onEnd: (event) => Effect.sync(() => infos.push(event))
        }
      })
      expect(infos).toHaveLength(2)
      for (const info of infos) {
        expect(info.runId).toBe("info-1")
        expect(info.runName).toBe("named")
        expect(info.llmType).toBe("fixed")
        expect(info.tags).toEqual(["t1"])
        expect(info.metadata).toEqual({ m: true })
      }
    })
  )

  it.effect("invoke runs onError with the error, and not onEnd, when the call fails", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      const error = yield* Effect.flip(
        failing(new ChatError.ServerError({ message: "boom" })).invoke("hi", { callbacks })
      )
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(log).toEqual(["start:1", "error:ServerError"])
    })
  )

  it.effect("stream runs onError with the error, and not onEnd, when the stream fails", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      const model = ChatModel.make({
        llmType: "broken",
        stream: () =>
          Stream.concat(chunks("a"), Stream.fail(new ChatError.TransportError({ message: "cut" })))
      })
      yield* Effect.flip(Stream.runDrain(model.stream("hi", { callbacks })))
      expect(log).toEqual(["start:1", "token:a", "error:TransportError"])
    })
  )

  it.effect("a failing callback is logged and does not fail the call", () =>
    Effect.gen(function* () {
      const logger = recordingLogger()
      const reply = yield* answering("fine")
        .invoke("hi", { callbacks: { onStart: () => Effect.fail("callback broke") } })
        .pipe(Effect.provide(logger.layer))
      expect(reply.content).toBe("fine")
      expect(
        logger.entries.filter((entry) => entry.level === "WARN" && entry.message.includes("onStart"))
      ).toHaveLength(1)
    })
  )

  it.effect("a dying callback is logged and does not fail the call", () =>
    Effect.gen(function* () {
      const logger = recordingLogger()
      const items = yield* collect(
        streaming("a", "b").model.stream("hi", {
          callbacks: {
            onToken: () => Effect.die(new Error("callback crashed")),
            onEnd: () => Effect.die("again")
          }
        })
      ).pipe(Effect.provide(logger.layer))
      expect(textOf(items)).toBe("ab")
      expect(logger.entries.filter((entry) => entry.message.includes("onToken"))).toHaveLength(3)
      expect(logger.entries.filter((entry) => entry.message.includes("onEnd"))).toHaveLength(1)
    })
  )

  it.effect("a failing callback does not stop the callbacks after it", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* answering("x").invoke("hi", { callbacks: [{ onStart: () => Effect.fail("broken") }, callbacks] })
      expect(log).toEqual(["start:1", "end:x"])
    })
  )

  it.effect(
    "runs the callbacks of ChatModel.layerCallbacks and the call's own, program-wide ones first",
    () =>
      Effect.gen(function* () {
        const log: Array<string> = []
        const program = answering("x").invoke("hi", {
          callbacks: {
            onStart: () => Effect.sync(() => log.push("call:start")),
            onEnd: () => Effect.sync(() => log.push("call:end"))
          }
        })
        yield* program.pipe(
          Effect.provide(
            ChatModel.layerCallbacks({
              onStart: () => Effect.sync(() => log.push("program:start")),
              onEnd: () => Effect.sync(() => log.push("program:end"))
            })
          )
        )
        expect(log).toEqual(["program:start", "call:start", "program:end", "call:end"])
      })
  )

  it.effect("layerCallbacks apply to streams too", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* Stream.runDrain(streaming("a").model.stream("hi")).pipe(
        Effect.provide(ChatModel.layerCallbacks([callbacks]))
      )
      expect(log).toEqual(["start:1", "token:a", "token:", "end:a"])
    })
  )

  it.effect("CurrentCallbacks is empty without layerCallbacks and holds the list with it", () =>
    Effect.gen(function* () {
      expect(yield* ChatModel.CurrentCallbacks).toEqual([])
      const { callbacks } = recorder()
      const provided = yield* Effect.provide(ChatModel.CurrentCallbacks, ChatModel.layerCallbacks(callbacks))
      expect(provided).toEqual([callbacks])
    })
  )

  it.effect("batch runs the callbacks once per input", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* echo().model.batch(["a", "b"], { callbacks, concurrency: 1 })
      expect(log).toEqual(["start:1", "end:a", "start:1", "end:b"])
    })
  )
})

// ---------------------------------------------------------------------------
// layers, accessors, decorate
// ---------------------------------------------------------------------------

describe("layers and accessors", () => {
  it.effect("ChatModel.layer provides the service under the ChatModel tag", () =>
    Effect.gen(function* () {
      const model = answering("x")
      const provided = yield* Effect.provide(ChatModel.ChatModel, ChatModel.layer(model))
      expect(provided).toBe(model)
    })
  )

  it.effect("ChatModel.invoke calls the model in the context", () =>
    Effect.gen(function* () {
      const reply = yield* ChatModel.invoke("ping").pipe(Effect.provide(ChatModel.layer(echo().model)))
      expect(reply.content).toBe("ping")
    })
  )

  it.effect("ChatModel.stream streams from the model in the context", () =>
    Effect.gen(function* () {
      const items = yield* collect(ChatModel.stream("hi")).pipe(
        Effect.provide(ChatModel.layer(streaming("a", "b").model))
      )
      expect(textOf(items)).toBe("ab")
      expect(items.at(-1)!.last).toBe(true)
    })
  )

  it.effect("ChatModel.batch calls the model in the context, with and without returnExceptions", () =>
    Effect.gen(function* () {
      const layer = ChatModel.layer(echo().model)
      const replies = yield* ChatModel.batch(["a", "b"], { concurrency: 1 }).pipe(Effect.provide(layer))
      expect(replies.map((reply) => reply.content)).toEqual(["a", "b"])
      const outcomes = yield* ChatModel.batch(["c", []], { returnExceptions: true }).pipe(
        Effect.provide(layer)
      )
      expect(outcomes.map((outcome) => Either.isRight(outcome))).toEqual([true, false])
    })
  )

  it.effect("ChatModel.batchAsCompleted streams from the model in the context", () =>
    Effect.gen(function* () {
      const results = yield* collect(ChatModel.batchAsCompleted(["a"])).pipe(
        Effect.provide(ChatModel.layer(echo().model))
      )
      expect(results).toHaveLength(1)
      expect(results[0]![0]).toBe(0)
    })
  )

  it.effect("ChatModel.generate and ChatModel.generatePrompt call the model in the context", () =>
    Effect.gen(function* () {
      const layer = ChatModel.layer(echo().model)
      const generated = yield* ChatModel.generate([["a"], ["b"]]).pipe(Effect.provide(layer))
      expect(generated.generations.map((generations) => generations[0]!.text)).toEqual(["a", "b"])
      const prompted = yield* ChatModel.generatePrompt([PromptValue.fromString("c")]).pipe(
        Effect.provide(layer)
      )
      expect(prompted.generations[0]![0]!.text).toBe("c")
    })
  )

  it.effect("ChatModel.streamEvents streams the events of the model in the context", () =>
    Effect.gen(function* () {
      const events = yield* collect(ChatModel.streamEvents("hi")).pipe(
        Effect.provide(ChatModel.layer(streaming("a").model))
      )
      expect(events.map((event) => event.event)).toEqual([
        "on_chat_model_start",
        "on_chat_model_stream",
        "on_chat_model_stream",
        "on_chat_model_end"
      ])
    })
  )

  it.effect("ChatModel.decorate applies a combinator to the model of a layer", () =>
    Effect.gen(function* () {
      const backup = answering("from backup")
      const layer = ChatModel.layer(failing(new ChatError.ServerError({ message: "down" }))).pipe(
        ChatModel.decorate(ChatModel.withFallbacks([backup]))
      )
      const reply = yield* ChatModel.invoke("hi").pipe(Effect.provide(layer))
      expect(reply.content).toBe("from backup")
      const undecorated = yield* Effect.flip(
        ChatModel.invoke("hi").pipe(
          Effect.provide(ChatModel.layer(failing(new ChatError.ServerError({ message: "down" }))))
        )
      )
      expect(undecorated).toBeInstanceOf(ChatError.ServerError)
    })
  )

  it.effect("a decorated model keeps the llmType, identifyingParams and profile of the original", () =>
    Effect.gen(function* () {
      const original = answering("x")
      const decorated = yield* Effect.provide(
        ChatModel.ChatModel,
        ChatModel.layer(original).pipe(ChatModel.decorate(ChatModel.withRetry()))
      )
      expect(decorated).not.toBe(original)
      expect(ChatModel.isChatModel(decorated)).toBe(true)
      expect(decorated.llmType).toBe(original.llmType)
      expect(decorated.identifyingParams).toEqual(original.identifyingParams)
      expect(decorated.profile).toEqual(original.profile)
    })
  )
})
