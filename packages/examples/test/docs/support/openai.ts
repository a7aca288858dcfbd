/**
 * What the tests of docs/providers/openai.md (openai.*.test.ts) share: the test key,
 * configuration from given variables only, an `HttpClient` that redirects the examples'
 * real URLs to a loopback server, and Chat Completions and Responses answers written from
 * OpenAI's schemas.
 */
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import { Chunk, ConfigProvider, Effect, Layer, Stream } from "effect"

/** The test API key: long enough to be scrubbed from errors. */
export const key = "sk-test-openai-docs-0123456789"

/** Configuration read from these variables only (nothing from the machine's environment). */
export const env = (variables: Record<string, string> = {}) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))

/**
 * An `HttpClient` that sends every request to `server` instead (path and query kept)
 * and records the URL each request was meant for: the examples keep their real URLs.
 */
export const redirectTo = (server: WireServer.WireServer, asked: Array<string>) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.mapRequest(client, (request) => {
        asked.push(request.url)
        return HttpClientRequest.setUrl(request, `${server.url}${new URL(request.url).pathname}`)
      })
    )
  ).pipe(Layer.provide(FetchHttpClient.layer))

export type Json = Record<string, unknown>

/** The JSON body of the `index`th request the server received. */
export const bodyOf = (server: WireServer.WireServer, index = 0): Json => server.requests[index]!.body as Json

const isStreamRequest = (request: WireServer.RecordedRequest): boolean =>
  (request.body as Json | undefined)?.stream === true

/** The usage every Chat Completions answer reports. */
export const usage = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 }

/** A `chat.completion` answer (written from `CreateChatCompletionResponse`). */
export const completion = (message: Json, extra: Json = {}) => ({
  id: "chatcmpl-docs",
  object: "chat.completion",
  created: 1741570283,
  model: "gpt-4.1-mini-2025-04-14",
  choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: "stop" }],
  usage,
  ...extra
})

/** A `chat.completion.chunk` with the given choices. */
export const chunkOf = (choices: ReadonlyArray<Json>, extra: Json = {}) => ({
  id: "chatcmpl-docs",
  object: "chat.completion.chunk",
  created: 1741570283,
  model: "gpt-4.1-mini-2025-04-14",
  choices,
  ...extra
})

/** An SSE answer: one delta per piece, the finish chunk, the usage chunk when asked for, `[DONE]`. */
const streamed = (pieces: ReadonlyArray<Json>, withUsage: boolean) =>
  WireServer.sseReply(
    WireServer.sse([
      ...pieces.map((delta) => chunkOf([{ index: 0, delta, finish_reason: null }])),
      chunkOf([{ index: 0, delta: {}, finish_reason: "stop" }]),
      ...(withUsage ? [chunkOf([], { usage })] : []),
      "[DONE]"
    ])
  )

/** A Chat Completions server answering `text` (JSON, or SSE with usage when the request asks for it). */
export const chatServer =
  (text: string, reasoning?: Json) =>
  (request: WireServer.RecordedRequest): WireServer.Reply => {
    if (!isStreamRequest(request)) return WireServer.json(completion({ content: text, ...reasoning }))
    const options = (request.body as Json).stream_options as Json | undefined
    const words = text.split(/(?= )/).map((content) => ({ content }))
    return streamed(reasoning === undefined ? words : [reasoning, ...words], options?.include_usage === true)
  }

/** Runs a stream and gives its elements. */
export const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

/** A completed `response` of the Responses API with the given output items. */
export const response = (output: ReadonlyArray<Json>, extra: Json = {}) => ({
  id: "resp_docs",
  object: "response",
  created_at: 1741476777,
  status: "completed",
  error: null,
  incomplete_details: null,
  model: "o4-mini-2025-04-16",
  output,
  usage: {
    input_tokens: 13,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 148,
    output_tokens_details: { reasoning_tokens: 128 },
    total_tokens: 161
  },
  ...extra
})

/** An assistant `message` output item with one `output_text` part. */
export const messageItem = (text: string) => ({
  id: "msg_1",
  type: "message",
  status: "completed",
  role: "assistant",
  content: [{ type: "output_text", text, annotations: [] }]
})
