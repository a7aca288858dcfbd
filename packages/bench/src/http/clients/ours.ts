/**
 * Ours: `OpenAiChatModel` (Chat Completions) and `OpenAiResponsesModel` (Responses)
 * from `@effect-chat/openai`, built on `FetchHttpClient.layer`, through their public
 * API only: `model.stream("hi")` drained chunk by chunk, default options (tracing on:
 * one span a call on Effect's built-in tracer). The workers load `@effect-chat/*` as
 * compiled JavaScript (`compiled.ts`).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type { ChatModel } from "@effect-chat/core"
import { Message } from "@effect-chat/core"
import { OpenAiChatModel, OpenAiResponsesModel } from "@effect-chat/openai"
import { Effect, Redacted, Stream } from "effect"
import { OURS } from "../../compiled.js"
import { API_KEY, addCounts, Counter, type Counts, MODEL, PROMPT, type StreamClient } from "../client.js"
import type { Format } from "../wire.js"

const countStream = (model: ChatModel.Service, onFirst?: () => void) =>
  Effect.suspend(() => {
    const counter = new Counter(onFirst)
    return model.stream(PROMPT).pipe(
      Stream.runForEachChunk((chunks) =>
        Effect.sync(() => {
          for (const chunk of chunks) counter.add(Message.text(chunk))
        })
      ),
      Effect.map((): Counts => counter.counts())
    )
  })

const client = (format: Format): StreamClient => ({
  library: OURS,
  variant:
    format === "chat"
      ? "`OpenAiChatModel`, `model.stream` drained by `Stream.runForEachChunk`"
      : "`OpenAiResponsesModel`, `model.stream` drained by `Stream.runForEachChunk`, Responses stream",
  format,
  connect: async (baseUrl) => {
    const config = { model: MODEL, apiKey: Redacted.make(API_KEY), baseUrl }
    const model = await Effect.runPromise(
      (format === "chat" ? OpenAiChatModel.make(config) : OpenAiResponsesModel.make(config)).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
    )
    return {
      one: (onFirst) => Effect.runPromise(countStream(model, onFirst)),
      many: (n, onFirst) =>
        Effect.runPromise(
          Effect.forEach(Array.from({ length: n }), () => countStream(model, onFirst), {
            concurrency: "unbounded"
          }).pipe(Effect.map((all) => all.reduce(addCounts)))
        )
    }
  }
})

/** Ours over the Chat Completions stream and over the Responses stream. */
export const clients: ReadonlyArray<StreamClient> = [client("chat"), client("responses")]
