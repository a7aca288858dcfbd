/**
 * Streaming calls of `OpenAiResponsesModel` against Responses API event streams (written
 * from OpenAI's API reference) served on 127.0.0.1: chunks, block indexes, tool-call
 * pieces, reasoning, usage identical to the non-streaming call, the final chunk, and
 * the failures (`response.failed`, `error` events, truncated and reset streams,
 * malformed events, HTTP errors, interruption).
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import {
  bodyOf,
  collect,
  eventParts,
  eventsReply,
  expectValidRequests,
  finish,
  fixture,
  fixtureJson,
  setup
} from "../support/responses.js"

afterEach(expectValidRequests)

/** Streams `name.sse` and invokes `name.json` with the same input. */
const both = (name: string, config: Parameters<typeof setup>[1] = {}) =>
  Effect.gen(function* () {
    const { model, server } = yield* setup(
      [fixture(`${name}.sse`, { partSize: 97 }), fixture(`${name}.json`)],
      config
    )
    const chunks = yield* collect(model.stream("Hello"))
    const invoked = yield* model.invoke("Hello")
    return { chunks, streamed: finish(chunks), invoked, server }
  })

/** Everything but the per-call run id stamped on both. */
const comparable = (message: Message.AIMessage) => ({ ...message })

describe("OpenAiResponsesModel stream", () => {
  for (const name of [
    "text",
    "multipart",
    "function-calls",
    "structured",
    "reasoning",
    "reasoning-call",
    "refusal",
    "incomplete"
  ]) {
    it.scoped(`merges into the non-streaming answer (${name})`, () =>
      Effect.gen(function* () {
        const { streamed, invoked, chunks, server } = yield* both(name)
        expect(comparable(streamed)).toEqual(comparable(invoked))
        expect(streamed.usageMetadata).toBeDefined()
        expect(streamed.usageMetadata).toEqual(invoked.usageMetadata)
        const carrying = chunks.filter((chunk) => chunk.usageMetadata !== undefined)
        expect(carrying).toHaveLength(1)
        expect(chunks.at(-1)?.last).toBe(true)
        expect(chunks.at(-1)?.usageMetadata).toEqual(invoked.usageMetadata)
        expect(chunks.filter((chunk) => chunk.last === true)).toHaveLength(1)
        expect(bodyOf(server, 0).stream).toBe(true)
        expect(bodyOf(server, 1).stream).toBeUndefined()
        expect(server.requests[0]!.headers.accept).toBe("text/event-stream")
      })
    )
  }

  it.scoped("emits text deltas as text blocks at their block index, with the item id once", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("multipart.sse"))
      const chunks = yield* collect(model.stream("Hello"))
      const texts = chunks.flatMap((chunk) =>
        typeof chunk.content === "string"
          ? []
          : chunk.content.map((block) => (block.type === "text" ? [block.index, block.text] : []))
      )
      expect(texts).toEqual([
        [0, "First"],
        [0, " part. "],
        [1, "Second"],
        [1, " part."],
        [2, "Another"],
        [2, " message."]
      ])
      const ids = chunks.flatMap((chunk) =>
        chunk.additionalKwargs?.itemIds === undefined ? [] : [chunk.additionalKwargs.itemIds]
      )
      expect(ids).toEqual([{ "0": "msg_multi_1" }, { "1": "msg_multi_1" }, { "2": "msg_multi_2" }])
      for (const chunk of chunks) expect(chunk.id).toBe("resp_multi")
    })
  )

  it.scoped("streams parallel function calls split over many deltas, index = output_index", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("function-calls.sse", { partSize: 13 }))
      const chunks = yield* collect(model.stream("Weather in Paris and Tokyo?"))
      const pieces = chunks.flatMap((chunk) => chunk.toolCallChunks)
      expect(pieces[0]).toEqual({ index: 0, id: "call_unLAR8MvFNptuiZK6K6HCy5k", name: "get_weather" })
      expect(
        pieces.filter((piece) => piece.index === 0 && piece.args !== undefined).map((piece) => piece.args)
      ).toEqual(['{"', "city", '":"', "Par", "is", '"}'])
      expect(pieces.filter((piece) => piece.index === 1)).toHaveLength(7)
      const answer = finish(chunks)
      expect(answer.toolCalls).toEqual([
        { id: "call_unLAR8MvFNptuiZK6K6HCy5k", name: "get_weather", args: { city: "Paris" } },
        { id: "call_9FKd8vLyyS8FTEtrwNvDp0gq", name: "get_weather", args: { city: "Tokyo" } }
      ])
      expect(answer.responseMetadata.finishReason).toBe("toolCalls")
    })
  )

  it.scoped("streams reasoning summaries (parts joined by blank lines), then the encrypted content", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("reasoning.sse"), { model: "o4-mini" })
      const chunks = yield* collect(model.stream("What is 2 + 2?"))
      const reasoning = chunks.flatMap((chunk) =>
        typeof chunk.content === "string" ? [] : chunk.content.filter((block) => block.type === "reasoning")
      )
      expect(reasoning.every((block) => block.index === 0)).toBe(true)
      expect(reasoning.map((block) => block.reasoning).join("")).toBe(
        "**Adding numbers**\n\nThe user asks for 2 + 2.\n\n**Answering**\n\nThe sum is 4."
      )
      expect(reasoning.filter((block) => block.encrypted !== undefined)).toEqual([
        {
          type: "reasoning",
          reasoning: "",
          encrypted: "gAAAAABoBr_Kencrypted-reasoning-blob-0123456789abcdef==",
          index: 0
        }
      ])
      const firstText = chunks.findIndex(
        (chunk) => typeof chunk.content !== "string" && chunk.content.some((block) => block.type === "text")
      )
      const hasReasoning = chunks.map(
        (chunk) =>
          typeof chunk.content !== "string" && chunk.content.some((block) => block.type === "reasoning")
      )
      const lastReasoning = hasReasoning.lastIndexOf(true)
      expect(lastReasoning).toBeLessThan(firstText)
    })
  )

  it.scoped("collects output-text logprobs into responseMetadata.logprobs, streaming or not", () =>
    Effect.gen(function* () {
      const logprob = (token: string) => ({ token, logprob: -0.25, top_logprobs: [] })
      const text = fixtureJson("text.json")
      const message = (text.output as ReadonlyArray<Record<string, unknown>>)[0]!
      const withLogprobs = {
        ...text,
        output: [
          {
            ...message,
            content: [
              {
                type: "output_text",
                text: "Hi there",
                annotations: [],
                logprobs: [logprob("Hi"), logprob(" there")]
              }
            ]
          }
        ]
      }
      const delta = (piece: string, sequence: number) => ({
        event: "response.output_text.delta",
        data: {
          type: "response.output_text.delta",
          item_id: message.id,
          output_index: 0,
          content_index: 0,
          delta: piece,
          logprobs: [logprob(piece)],
          sequence_number: sequence
        }
      })
      const events = WireServer.sse([
        delta("Hi", 0),
        delta(" there", 1),
        {
          event: "response.completed",
          data: { type: "response.completed", sequence_number: 2, response: withLogprobs }
        }
      ])
      const { model, server } = yield* setup([WireServer.sseReply(events), WireServer.json(withLogprobs)], {
        logprobs: true
      })
      const streamed = finish(yield* collect(model.stream("Hello")))
      const invoked = yield* model.invoke("Hello")
      expect(streamed.responseMetadata.logprobs).toEqual([logprob("Hi"), logprob(" there")])
      expect(invoked.responseMetadata.logprobs).toEqual([logprob("Hi"), logprob(" there")])
      expect(bodyOf(server).include).toEqual(["message.output_text.logprobs"])
    })
  )

  it.scoped("ends an incomplete stream with finish reason length", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("incomplete.sse"))
      const chunks = yield* collect(model.stream("Tell me a story"))
      const last = chunks.at(-1)!
      expect(last.last).toBe(true)
      expect(last.responseMetadata).toMatchObject({
        finishReason: "length",
        rawFinishReason: "max_output_tokens"
      })
    })
  )

  it.scoped("reads events without event: names and a stream that only sends response.completed", () =>
    Effect.gen(function* () {
      const text = fixtureJson("text.json")
      const unnamed = eventParts("text.sse").map((part) => part.replace(/^event: .*\n/, ""))
      const onlyCompleted = WireServer.sse([
        {
          event: "response.completed",
          data: { type: "response.completed", sequence_number: 0, response: text }
        }
      ])
      const { model } = yield* setup([
        { ...WireServer.sseReply(""), body: unnamed },
        WireServer.sseReply(onlyCompleted),
        fixture("text.json")
      ])
      const first = finish(yield* collect(model.stream("Hello")))
      const second = finish(yield* collect(model.stream("Hello")))
      const invoked = yield* model.invoke("Hello")
      expect(comparable(first)).toEqual(comparable(invoked))
      expect(comparable(second)).toEqual(comparable(invoked))
    })
  )

  it.scoped("fails with the typed error of response.failed, after the chunks before it", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("failed.sse"))
      const items = yield* collect(Stream.either(model.stream("Hello")))
      const texts = items.filter(Either.isRight).map((item) => Message.text(item.right))
      expect(texts.join("")).toBe("Partial")
      const last = items.at(-1)!
      expect(Either.isLeft(last)).toBe(true)
      if (Either.isLeft(last)) {
        expect(last.left).toBeInstanceOf(ChatError.ServerError)
        expect(last.left).toMatchObject({
          message: "The model failed to generate a response.",
          provider: "openai",
          retryable: true
        })
      }
    })
  )

  it.scoped("lets withRetry see response.failed (before the first chunk) and retry", () =>
    Effect.gen(function* () {
      const failedEarly = eventParts("failed.sse").filter(
        (part) =>
          !part.includes("output_text.delta") &&
          !part.includes("output_item.added") &&
          !part.includes("content_part.added")
      )
      const { model, server } = yield* setup([
        { ...WireServer.sseReply(""), body: failedEarly },
        fixture("text.sse")
      ])
      const retrying = model.pipe(ChatModel.withRetry({ schedule: Schedule.recurs(1) }))
      const answer = finish(yield* collect(retrying.stream("Hello")))
      expect(Message.text(answer)).toBe("Hello! How can I help you today?")
      expect(server.requests).toHaveLength(2)
    })
  )

  it.scoped("fails with the typed error of an error event", () =>
    Effect.gen(function* () {
      const unknown = WireServer.sse([
        {
          event: "error",
          data: {
            type: "error",
            code: "ERR_SOMETHING",
            message: "Something went wrong",
            param: null,
            sequence_number: 1
          }
        }
      ])
      const { model } = yield* setup([fixture("error-event.sse"), WireServer.sseReply(unknown)])
      const limited = yield* Effect.flip(collect(model.stream("Hello")))
      expect(limited).toBeInstanceOf(ChatError.RateLimitError)
      expect(limited).toMatchObject({
        message: "Rate limit reached for requests",
        retryable: true,
        provider: "openai"
      })
      const other = yield* Effect.flip(collect(model.stream("Hello")))
      expect(other).toBeInstanceOf(ChatError.ServerError)
      expect(other.message).toBe("Something went wrong")
    })
  )

  it.scoped("fails with TransportError when the body ends before a final event", () =>
    Effect.gen(function* () {
      const parts = eventParts("text.sse")
      const { model } = yield* setup(eventsReply("text.sse", { endAfter: parts.length - 1 }))
      const items = yield* collect(Stream.either(model.stream("Hello")))
      expect(
        items
          .filter(Either.isRight)
          .map((item) => Message.text(item.right))
          .join("")
      ).toBe("Hello! How can I help you today?")
      const last = items.at(-1)!
      expect(Either.isLeft(last) && last.left).toBeInstanceOf(ChatError.TransportError)
    })
  )

  it.scoped("fails with TransportError when the connection is reset mid-stream", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(eventsReply("text.sse", { resetAfter: 6 }))
      const error = yield* Effect.flip(collect(model.stream("Hello")))
      expect(error).toBeInstanceOf(ChatError.TransportError)
      expect(error.retryable).toBe(true)
    })
  )

  it.scoped("fails with MalformedResponseError on an event that is not JSON", () =>
    Effect.gen(function* () {
      const parts = [...eventParts("text.sse").slice(0, 4), WireServer.malformedEvent]
      const { model } = yield* setup({ ...WireServer.sseReply(""), body: parts })
      const error = yield* Effect.flip(collect(model.stream("Hello")))
      expect(error).toBeInstanceOf(ChatError.MalformedResponseError)
    })
  )

  it.scoped("fails with MalformedResponseError on a delta event without its fields", () =>
    Effect.gen(function* () {
      const body = WireServer.sse([
        { event: "response.output_text.delta", data: { type: "response.output_text.delta" } }
      ])
      const { model } = yield* setup(WireServer.sseReply(body))
      const error = yield* Effect.flip(collect(model.stream("Hello")))
      expect(error).toBeInstanceOf(ChatError.MalformedResponseError)
      expect(error.message).toContain("delta")
    })
  )

  it.scoped("maps HTTP errors of a streaming request (429 with retry-after, 500)", () =>
    Effect.gen(function* () {
      const { model } = yield* setup([
        WireServer.rateLimited({ retryAfterMs: "1500" }),
        WireServer.serverError(503)
      ])
      const limited = yield* Effect.flip(collect(model.stream("Hello")))
      expect(limited).toBeInstanceOf(ChatError.RateLimitError)
      if (limited._tag === "RateLimitError") expect(limited.retryAfter).toEqual(Duration.millis(1500))
      const unavailable = yield* Effect.flip(collect(model.stream("Hello")))
      expect(unavailable).toBeInstanceOf(ChatError.ServerError)
      expect(unavailable).toMatchObject({ status: 503, retryable: true })
    })
  )

  it.scoped("closes the connection when the consumer interrupts the stream", () =>
    Effect.gen(function* () {
      const { model, server } = yield* setup(eventsReply("text.sse", { hangAfter: 6 }))
      const first = yield* Deferred.make<Message.AIMessageChunk>()
      const fiber = yield* model.stream("Hello").pipe(
        Stream.runForEach((chunk) => Effect.zipRight(Deferred.succeed(first, chunk), Effect.never)),
        Effect.fork
      )
      const chunk = yield* Deferred.await(first)
      expect(Message.text(chunk)).toBe("Hello")
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      const closed = yield* server.awaitClose(0)
      expect(closed).toEqual({ index: 0, completed: false, byServer: false })
      expect(server.closedConnections()).toBe(1)
    })
  )

  it.scoped("stops reading after the final event (the request is closed)", () =>
    Effect.gen(function* () {
      const parts = [
        ...eventParts("text.sse"),
        'event: response.in_progress\ndata: {"type":"response.in_progress"}\n\n'
      ]
      const { model, server } = yield* setup({
        ...WireServer.sseReply(""),
        body: parts,
        hangAfter: parts.length
      })
      const chunks = yield* collect(model.stream("Hello"))
      expect(chunks.at(-1)?.last).toBe(true)
      const closed = yield* server.awaitClose(0)
      expect(closed.completed).toBe(false)
    })
  )
})
