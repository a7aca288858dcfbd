/**
 * `@effect/ai-openai` 0.41 with `@effect/ai` 0.37: `LanguageModel.streamText` on
 * `OpenAiLanguageModel`, over `FetchHttpClient`. Its language model only speaks the
 * Responses API (`POST /responses`): it cannot be pointed at Chat Completions, so it
 * consumes the server's Responses stream of the same text.
 */
import { LanguageModel } from "@effect/ai"
import { OpenAiClient, OpenAiLanguageModel } from "@effect/ai-openai"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Effect, Layer, ManagedRuntime, Redacted, Stream } from "effect"
import { API_KEY, addCounts, Counter, type Counts, MODEL, PROMPT, type StreamClient } from "../client.js"

const countStream = (onFirst?: () => void) =>
  Effect.suspend(() => {
    const counter = new Counter(onFirst)
    return LanguageModel.streamText({ prompt: PROMPT }).pipe(
      Stream.runForEachChunk((parts) =>
        Effect.sync(() => {
          for (const part of parts) if (part.type === "text-delta") counter.add(part.delta)
        })
      ),
      Effect.map((): Counts => counter.counts())
    )
  })

/**
 * `LanguageModel.streamText` over the Responses stream: 2,000 deltas in the per-delta
 * case, 1,000 streams of 10 deltas in the concurrency case.
 */
export const clients: ReadonlyArray<StreamClient> = [
  {
    library: "@effect/ai-openai",
    variant: "`LanguageModel.streamText` on `OpenAiLanguageModel`, Responses stream (its only endpoint)",
    format: "responses",
    // About 0.7-1 ms an event, whatever the stream's length: 50,000 deltas would take
    // 35-50 s a stream, and 1,000 streams of 200 deltas more than 3 minutes.
    deltas: 2_000,
    concurrentDeltas: 10,
    connect: async (baseUrl) => {
      const runtime = ManagedRuntime.make(
        OpenAiLanguageModel.layer({ model: MODEL }).pipe(
          Layer.provide(OpenAiClient.layer({ apiKey: Redacted.make(API_KEY), apiUrl: baseUrl })),
          Layer.provide(FetchHttpClient.layer)
        )
      )
      return {
        one: (onFirst) => runtime.runPromise(countStream(onFirst)),
        many: (n, onFirst) =>
          runtime.runPromise(
            Effect.forEach(Array.from({ length: n }), () => countStream(onFirst), {
              concurrency: "unbounded"
            }).pipe(Effect.map((all) => all.reduce(addCounts)))
          )
      }
    }
  }
]
