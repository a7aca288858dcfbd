/**
 * The test models of the ChatModel specifications (ChatModel*.test.ts): an echoing model,
 * generate-only and stream-only models, a failing one and one that counts requests in
 * flight, with the stream helpers those specifications share.
 */
import { type ChatError, ChatModel, type Message } from "@effect-chat/core"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { chunks, lastText, result, toArray } from "../helpers.js"

/** Answers with the text of the last message, after an optional latency per text. */
export const echo = (options: { readonly latency?: (text: string) => Duration.DurationInput } = {}) => {
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
export const answering = (text: string, fields: Omit<Message.AIFields, "content"> = {}) =>
  ChatModel.make({
    llmType: "fixed",
    identifyingParams: { model: "fixed-1" },
    generate: () => Effect.succeed(result({ ...fields, content: text }))
  })

/** A stream-only model that streams the given pieces. */
export const streaming = (...pieces: ReadonlyArray<string | Message.ChunkFields>) => {
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

/** A generate-only model that fails every call with `error`. */
export const failing = (error: ChatError.ChatError) =>
  ChatModel.make({
    llmType: "failing",
    identifyingParams: { model: "failing-1" },
    generate: () => Effect.fail(error)
  })

/** Runs a stream and gives its elements as an array. */
export const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), toArray)

/** The chunks marked `last: true`. */
export const lastMarked = (items: ReadonlyArray<Message.AIMessageChunk>) =>
  items.filter((item) => item.last === true)

/** A model that counts requests in flight; each takes one second. */
export const counting = () => {
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
