/**
 * The examples of docs/chat-model.md, "Writing a model": a minimal model in a few lines,
 * then a complete provider for a made-up vendor SDK ("Acme") with generate, streaming,
 * usage, finish reasons, cancellation and typed errors.
 * test/docs/custom-model.conformance.test.ts runs the shared conformance suite against
 * both.
 *
 * Importing this module runs nothing.
 */
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { Duration, Effect, Stream } from "effect"

// ---------------------------------------------------------------------------
// 1. The smallest model: `generate` only, returning plain objects.
// ---------------------------------------------------------------------------

/**
 * A model that answers with the last message's text, reversed. Everything else
 * (`stream`, `batch`, `streamEvents`, stop sequences, callbacks, tracing, retries) is
 * supplied by `ChatModel.make`.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 * import { ReverseModel } from "./custom-model.js"
 *
 * const reply = ChatModel.invoke("stressed").pipe(Effect.provide(ChatModel.layer(ReverseModel)))
 * // reply.content === "desserts"
 * ```
 */
export const ReverseModel: ChatModel.Service = ChatModel.make({
  llmType: "reverse",
  generate: (request) =>
    Effect.succeed({
      generations: [{ message: { content: [...Message.text(request.messages.at(-1)!)].reverse().join("") } }]
    })
})

// ---------------------------------------------------------------------------
// 2. A provider over a vendor SDK.
// ---------------------------------------------------------------------------

/** A message in the wire format of the Acme SDK. */
export interface AcmeMessage {
  readonly role: "system" | "user" | "assistant" | "tool"
  readonly content: string
  readonly name?: string
}

/** The parameters of one Acme request. */
export interface AcmeParams {
  readonly model: string
  readonly messages: ReadonlyArray<AcmeMessage>
  readonly stop?: ReadonlyArray<string>
  readonly temperature?: number
}

/** Acme's token counts. */
export interface AcmeUsage {
  readonly promptTokens: number
  readonly completionTokens: number
}

/** A whole Acme answer. */
export interface AcmeResponse {
  readonly id: string
  readonly text: string
  readonly finishReason: "end_turn" | "max_tokens"
  readonly usage: AcmeUsage
}

/** One streamed Acme event: a text delta, or the final event with finish reason and usage. */
export type AcmeDelta =
  | { readonly type: "text"; readonly text: string }
  | {
      readonly type: "done"
      readonly id: string
      readonly finishReason: "end_turn" | "max_tokens"
      readonly usage: AcmeUsage
    }

/** What the Acme SDK throws: an HTTP status and, for 429, the seconds to wait. */
export class AcmeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds?: number
  ) {
    super(message)
  }
}

/** The Promise-based client of a typical vendor SDK. */
export interface AcmeClient {
  readonly create: (params: AcmeParams, options: { readonly signal: AbortSignal }) => Promise<AcmeResponse>
  readonly stream: (params: AcmeParams, options: { readonly signal: AbortSignal }) => AsyncIterable<AcmeDelta>
}

/** The configuration of the Acme model (the shared provider field names). */
export interface AcmeConfig {
  readonly client: AcmeClient
  readonly model: string
  readonly temperature?: number
}

/** Our messages to Acme's wire format. */
const toAcmeMessage = (message: Message.Message): AcmeMessage => {
  const role =
    message._tag === "SystemMessage"
      ? "system"
      : message._tag === "HumanMessage"
        ? "user"
        : message._tag === "ToolMessage"
          ? "tool"
          : "assistant"
  return message.name === undefined
    ? { role, content: Message.text(message) }
    : { role, content: Message.text(message), name: message.name }
}

/** Acme's finish reasons to the unified ones (the raw value is kept too). */
const finishReason = (raw: "end_turn" | "max_tokens"): Message.FinishReason =>
  raw === "max_tokens" ? "length" : "stop"

/** Acme's usage to `usageMetadata` (total = input + output). */
const usageMetadata = (usage: AcmeUsage): Message.UsageMetadata => ({
  inputTokens: usage.promptTokens,
  outputTokens: usage.completionTokens,
  totalTokens: usage.promptTokens + usage.completionTokens
})

/** Anything the SDK throws to a typed `ChatError` (never a defect). */
const toChatError = (cause: unknown): ChatError.ChatError => {
  if (!(cause instanceof AcmeApiError)) {
    return new ChatError.TransportError({
      message: `Acme request failed: ${String(cause)}`,
      provider: "acme",
      cause
    })
  }
  const fields = { message: cause.message, provider: "acme", status: cause.status, cause }
  if (cause.status === 429) {
    return new ChatError.RateLimitError(
      cause.retryAfterSeconds === undefined
        ? fields
        : { ...fields, retryAfter: Duration.seconds(cause.retryAfterSeconds) }
    )
  }
  if (cause.status === 401) return new ChatError.AuthenticationError(fields)
  if (cause.status === 404) return new ChatError.NotFoundError(fields)
  if (cause.status >= 500) return new ChatError.ServerError(fields)
  return new ChatError.BadRequestError(fields)
}

/**
 * The Acme chat model, built with `ChatModel.make` from the provider protocol:
 * `generate` returns plain objects, `stream` returns `AIMessageChunk`s, and both fail
 * only with `ChatError`s.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { AcmeChatModel, inMemoryAcmeClient } from "./custom-model.js"
 *
 * const model = AcmeChatModel.make({ client: inMemoryAcmeClient(), model: "acme-small" })
 * const ModelLive = ChatModel.layer(model)
 * ```
 */
const make = (config: AcmeConfig): ChatModel.Service => {
  const { client, model } = config
  const params = (request: ChatModel.ChatRequest): AcmeParams => ({
    model,
    messages: request.messages.map(toAcmeMessage),
    ...(request.stop === undefined ? {} : { stop: request.stop }),
    ...(config.temperature === undefined ? {} : { temperature: config.temperature })
  })
  return ChatModel.make({
    llmType: "acme-chat",
    identifyingParams: { model, temperature: config.temperature },
    profile: { maxInputTokens: 32_000, maxOutputTokens: 4_096 },

    // One answer. `Effect.tryPromise` hands us an AbortSignal that fires when the call is
    // interrupted (a timeout, a lost race, Ctrl-C), so the HTTP request is cancelled.
    generate: (request) =>
      Effect.tryPromise({
        try: (signal) => client.create(params(request), { signal }),
        catch: toChatError
      }).pipe(
        Effect.map((response) => ({
          generations: [
            {
              message: {
                content: response.text,
                usageMetadata: usageMetadata(response.usage),
                responseMetadata: {
                  id: response.id,
                  finishReason: finishReason(response.finishReason),
                  rawFinishReason: response.finishReason
                }
              }
            }
          ]
        }))
      ),

    // The answer as chunks. The AbortController is released (aborted) when the stream
    // ends or is interrupted; the usage arrives once, on the final chunk.
    stream: (request) =>
      Stream.unwrapScoped(
        Effect.map(
          Effect.acquireRelease(
            Effect.sync(() => new AbortController()),
            (controller) => Effect.sync(() => controller.abort())
          ),
          (controller) =>
            Stream.fromAsyncIterable(
              client.stream(params(request), { signal: controller.signal }),
              toChatError
            )
        )
      ).pipe(
        Stream.map((delta) =>
          delta.type === "text"
            ? Message.chunk({ content: delta.text })
            : Message.chunk({
                content: "",
                usageMetadata: usageMetadata(delta.usage),
                responseMetadata: {
                  id: delta.id,
                  finishReason: finishReason(delta.finishReason),
                  rawFinishReason: delta.finishReason
                },
                last: true
              })
        )
      )
  })
}

/**
 * A layer providing the Acme model under the `ChatModel` tag.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 * import { AcmeChatModel, inMemoryAcmeClient } from "./custom-model.js"
 *
 * const reply = ChatModel.invoke("hi").pipe(
 *   Effect.provide(AcmeChatModel.layer({ client: inMemoryAcmeClient(), model: "acme-small" }))
 * )
 * ```
 */
const layer = (config: AcmeConfig) => ChatModel.layer(make(config))

/** The Acme provider: `make` gives the service, `layer` a layer of it. */
export const AcmeChatModel = { make, layer } as const

// ---------------------------------------------------------------------------
// An in-memory Acme backend, for the example and its tests.
// ---------------------------------------------------------------------------

/** Options of the in-memory Acme client. */
export interface InMemoryAcmeOptions {
  /** Errors thrown by the first calls, one per call, before the client answers normally. */
  readonly failures?: ReadonlyArray<AcmeApiError>
}

const countTokens = (text: string): number => text.split(/\s+/).filter((word) => word !== "").length

/** The in-memory client, which also counts its open streams (for the interruption test). */
export interface InMemoryAcmeClient extends AcmeClient {
  /** Streams started whose iterator has not been closed yet. */
  readonly openStreams: number
}

/**
 * An Acme client that answers `Echo: <last message>` without a network, streaming word
 * by word. It honours `signal` like a real SDK.
 *
 * @example
 * ```ts
 * import { AcmeApiError, inMemoryAcmeClient } from "./custom-model.js"
 *
 * const client = inMemoryAcmeClient({ failures: [new AcmeApiError("overloaded", 503)] })
 * ```
 */
export const inMemoryAcmeClient = (options: InMemoryAcmeOptions = {}): InMemoryAcmeClient => {
  const failures = [...(options.failures ?? [])]
  let calls = 0
  let openStreams = 0
  const answer = (params: AcmeParams) => {
    const failure = failures.shift()
    if (failure !== undefined) throw failure
    calls += 1
    const last = params.messages.at(-1)?.content ?? ""
    const text = `Echo: ${last}`
    const usage = {
      promptTokens: params.messages.reduce((sum, message) => sum + countTokens(message.content), 0),
      completionTokens: countTokens(text)
    }
    return { id: `acme-${calls}`, text, usage }
  }
  return {
    get openStreams() {
      return openStreams
    },
    create: async (params, { signal }) => {
      signal.throwIfAborted()
      const { id, text, usage } = answer(params)
      return { id, text, usage, finishReason: "end_turn" }
    },
    stream: async function* (params, { signal }) {
      openStreams += 1
      try {
        const { id, text, usage } = answer(params)
        for (const piece of text.split(/(?<= )/)) {
          signal.throwIfAborted()
          yield { type: "text", text: piece }
        }
        yield { type: "done", id, finishReason: "end_turn", usage }
      } finally {
        openStreams -= 1
      }
    }
  }
}

/** What the example program saw. */
export interface CustomModelResult {
  readonly reversed: string
  readonly invoked: Message.AIMessage
  readonly streamed: ReadonlyArray<string>
  readonly retried: Message.AIMessage
}

/**
 * Uses both models: the reverse model, the Acme model with `invoke` and `stream`, and
 * the Acme model behind `withRetry` recovering from a 503.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { program } from "./custom-model.js"
 *
 * Effect.runPromise(program).then((result) => console.log(result.streamed.join("")))
 * ```
 */
export const program: Effect.Effect<CustomModelResult, ChatError.ChatError> = Effect.gen(function* () {
  const reversed = Message.text(yield* ReverseModel.invoke("stressed"))

  const acme = AcmeChatModel.make({ client: inMemoryAcmeClient(), model: "acme-small" })
  const invoked = yield* acme.invoke([
    ["system", "Be brief."],
    ["user", "Hello Acme"]
  ])
  const streamed = yield* acme.stream("one two three").pipe(
    Stream.map((chunk) => Message.text(chunk)),
    Stream.runCollect
  )

  const flaky = AcmeChatModel.make({
    client: inMemoryAcmeClient({ failures: [new AcmeApiError("overloaded", 503)] }),
    model: "acme-small"
  }).pipe(ChatModel.withRetry({ maxRetries: 2 }))
  const retried = yield* flaky.invoke("try again")

  return { reversed, invoked, streamed: [...streamed], retried }
})
