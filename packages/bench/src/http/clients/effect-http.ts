/**
 * The floor of any Effect-based client: Effect's own `HttpClient` (`FetchHttpClient`)
 * posting the request and `response.stream` drained by `Stream.runForEachChunk`, with
 * the same hand-written SSE reading as the raw-fetch row (`TextDecoder`, line split,
 * `JSON.parse`). Nothing of effect-chat: what is left between this row and raw fetch is
 * what Effect's HTTP client and Stream cost, which every library built on them pays.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Effect, Stream } from "effect"
import { API_KEY, addCounts, Counter, type Counts, MODEL, PROMPT, type StreamClient } from "../client.js"
import { manualSseReader } from "../manualSse.js"
import type { Format } from "../wire.js"

const requestOf = (baseUrl: string, format: Format) =>
  format === "chat"
    ? HttpClientRequest.post(`${baseUrl}/chat/completions`).pipe(
        HttpClientRequest.bodyUnsafeJson({
          model: MODEL,
          messages: [{ role: "user", content: PROMPT }],
          stream: true,
          stream_options: { include_usage: true }
        })
      )
    : HttpClientRequest.post(`${baseUrl}/responses`).pipe(
        HttpClientRequest.bodyUnsafeJson({ model: MODEL, input: PROMPT, stream: true })
      )

const countStream = (client: HttpClient.HttpClient, baseUrl: string, format: Format, onFirst?: () => void) =>
  Effect.scoped(
    Effect.flatMap(
      client.execute(requestOf(baseUrl, format).pipe(HttpClientRequest.bearerToken(API_KEY))),
      (response) =>
        Effect.suspend(() => {
          const counter = new Counter(onFirst)
          const reader = manualSseReader(format, counter)
          return response.stream.pipe(
            Stream.runForEachChunk((reads) =>
              Effect.sync(() => {
                for (const bytes of reads) reader.read(bytes)
              })
            ),
            Effect.map((): Counts => counter.counts())
          )
        })
    )
  )

const client = (format: Format): StreamClient => ({
  library: "floor for Effect: `HttpClient`",
  variant: `\`FetchHttpClient\`, \`response.stream\` drained by \`Stream.runForEachChunk\`, manual SSE parsing as raw fetch's, ${format === "chat" ? "Chat Completions" : "Responses"} stream`,
  format,
  connect: async (baseUrl) => {
    const http = await Effect.runPromise(Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer))
    return {
      one: (onFirst) => Effect.runPromise(countStream(http, baseUrl, format, onFirst)),
      many: (n, onFirst) =>
        Effect.runPromise(
          Effect.forEach(Array.from({ length: n }), () => countStream(http, baseUrl, format, onFirst), {
            concurrency: "unbounded"
          }).pipe(Effect.map((all) => all.reduce(addCounts)))
        )
    }
  }
})

/** The Effect floor over the Chat Completions stream and over the Responses stream. */
export const clients: ReadonlyArray<StreamClient> = [client("chat"), client("responses")]
