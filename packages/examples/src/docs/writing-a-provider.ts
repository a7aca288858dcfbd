/**
 * The example of docs/writing-a-provider.md: a complete provider for "Acme chat", an
 * imaginary HTTP API, built on the shared foundation (`Provider` in `@effect-chat/core`):
 *
 * - `POST {baseUrl}/chat` with a JSON body `{ model, messages, temperature?, max_tokens?,
 *   stop?, stream? }` and the key in an `x-acme-key` header;
 * - without `stream`, a JSON answer `{ id, model, text, finish_reason, usage }`;
 * - with `stream: true`, server-sent events: `data: {"delta": "..."}` for each piece of
 *   text, then `data: {"id", "model", "finish_reason", "usage"}`, then `data: [DONE]`; a
 *   failure after the stream started comes as `event: error` with
 *   `data: {"error": {"type", "message"}}`;
 * - errors as `{ "error": { "type", "message" } }` with an HTTP status.
 *
 * A real package splits the sections below into files (see the doc's "Layout"). The
 * last section is a fake Acme server for the loopback wire server, which the tests
 * (test/docs/writing-a-provider*.test.ts) run the provider against.
 *
 * Importing this module runs nothing (registration is `registerAcme()`).
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { ChatError, ChatModel, Message, Provider } from "@effect-chat/core"
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import {
  Config,
  type ConfigError,
  type Duration,
  Effect,
  Either,
  Layer,
  Option,
  type Redacted,
  Stream
} from "effect"

// ---------------------------------------------------------------------------
// wire.ts: the wire format, written from the API reference
// ---------------------------------------------------------------------------

/** One message of a request. */
export interface AcmeMessage {
  readonly role: "system" | "user" | "assistant"
  readonly content: string
}

/** The body of `POST /chat`. */
export interface AcmeRequest {
  readonly model: string
  readonly messages: ReadonlyArray<AcmeMessage>
  readonly temperature?: number
  readonly max_tokens?: number
  readonly stop?: ReadonlyArray<string>
  readonly stream?: boolean
  /** Anything else the caller passes in `providerOptions`. */
  readonly [key: string]: unknown
}

/** Acme's finish reasons. */
export type AcmeFinishReason = "end_turn" | "max_tokens" | "stop_sequence"

/** The end marker of a stream. */
export const doneMarker = "[DONE]"

/** A JSON object (answers are read with structural checks, never trusted by type). */
type Json = Readonly<Record<string, unknown>>

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

// ---------------------------------------------------------------------------
// request.ts: ChatRequest -> request body
// ---------------------------------------------------------------------------

/** The configuration of the Acme model (the shared provider field names). */
export interface AcmeConfig {
  readonly model: string
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** Default `https://api.acme.example/v1`. */
  readonly baseUrl?: string | undefined
  readonly temperature?: number | undefined
  readonly maxTokens?: number | undefined
  readonly timeout?: Duration.DurationInput | undefined
}

const provider = "acme"

const unsupported = (message: string) => new ChatError.UnsupportedFeatureError({ message, provider })

/** A message as Acme's wire message; what Acme cannot take fails before any request. */
const toAcmeMessage = (message: Message.Message): Either.Either<AcmeMessage, ChatError.ChatError> => {
  if (typeof message.content !== "string" && message.content.some((block) => block.type !== "text")) {
    return Either.left(unsupported("Acme chat takes text only"))
  }
  const content = Message.text(message)
  switch (message._tag) {
    case "SystemMessage":
      return Either.right({ role: "system", content })
    case "HumanMessage":
      return Either.right({ role: "user", content })
    case "AIMessage":
    case "AIMessageChunk":
      return Either.right({ role: "assistant", content })
    case "ToolMessage":
      return Either.left(unsupported("Acme chat has no tools"))
  }
}

/** The request body: configured fields, the call's stop sequences, then `providerOptions`. */
export const toRequest = (
  request: ChatModel.ChatRequest,
  config: AcmeConfig,
  stream: boolean
): Either.Either<AcmeRequest, ChatError.ChatError> => {
  if (request.tools.length > 0) return Either.left(unsupported("Acme chat has no tools"))
  if (request.responseFormat !== undefined) return Either.left(unsupported("Acme chat has no JSON mode"))
  return Either.map(Either.all(request.messages.map(toAcmeMessage)), (messages) => ({
    model: config.model,
    messages,
    ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
    ...(config.maxTokens === undefined ? {} : { max_tokens: config.maxTokens }),
    ...(request.stop === undefined ? {} : { stop: request.stop }),
    ...(stream ? { stream: true } : {}),
    ...request.providerOptions
  }))
}

// ---------------------------------------------------------------------------
// response.ts: answer body -> ChatResultInput (usage and finish reasons shared with the stream)
// ---------------------------------------------------------------------------

const malformed = (message: string) => new ChatError.MalformedResponseError({ message, provider })

/** Acme's usage with LangChain's semantics; `undefined` when the counts are missing (no invented zeros). */
export const toUsage = (usage: unknown): Message.UsageMetadata | undefined => {
  if (!isRecord(usage)) return undefined
  const input = usage.input_tokens
  const output = usage.output_tokens
  if (typeof input !== "number" || typeof output !== "number") return undefined
  return { inputTokens: input, outputTokens: output, totalTokens: input + output }
}

/** Acme's finish reasons to the unified ones (the raw value is kept in `rawFinishReason`). */
export const toFinishReason = (raw: string): Message.FinishReason =>
  raw === "end_turn" || raw === "stop_sequence" ? "stop" : raw === "max_tokens" ? "length" : "other"

/** The metadata of an answer or of the stream's final event. */
const metadataOf = (body: Json): Message.ResponseMetadata => {
  const raw = typeof body.finish_reason === "string" ? body.finish_reason : undefined
  return {
    ...(typeof body.id === "string" ? { id: body.id } : {}),
    ...(typeof body.model === "string" ? { modelName: body.model } : {}),
    ...(raw === undefined ? {} : { finishReason: toFinishReason(raw), rawFinishReason: raw })
  }
}

/** A whole answer as plain objects: `ChatModel.make` builds the message. */
export const toResult = (body: unknown): Either.Either<ChatModel.ChatResultInput, ChatError.ChatError> => {
  if (!isRecord(body) || typeof body.text !== "string")
    return Either.left(malformed("acme answered without text"))
  const usage = toUsage(body.usage)
  return Either.right({
    generations: [
      {
        message: {
          content: body.text,
          responseMetadata: metadataOf(body),
          ...(usage === undefined ? {} : { usageMetadata: usage })
        }
      }
    ]
  })
}

// ---------------------------------------------------------------------------
// stream.ts: server-sent events -> AIMessageChunks
// ---------------------------------------------------------------------------

/** One event as one chunk: a text delta, or the final event (usage, finish reason, `last`). */
const toChunk = (event: Provider.SseEvent): Either.Either<Message.AIMessageChunk, ChatError.ChatError> => {
  const parsed = Provider.parseJson(event.data, provider)
  if (event.event === "error") {
    // the same mapping as an HTTP error body, without a status: its `type` decides
    return Either.left(Provider.errorFromBody({ provider, body: Either.getOrElse(parsed, () => event.data) }))
  }
  return Either.flatMap(parsed, (body) => {
    if (!isRecord(body)) return Either.left(malformed("acme sent an event that is not a JSON object"))
    if (typeof body.delta === "string") return Either.right(Message.chunk({ content: body.delta }))
    if (typeof body.finish_reason !== "string") return Either.left(malformed("acme sent an unknown event"))
    const usage = toUsage(body.usage)
    return Either.right(
      Message.chunk({
        content: "",
        responseMetadata: metadataOf(body),
        ...(usage === undefined ? {} : { usageMetadata: usage }),
        last: true
      })
    )
  })
}

/** The chunks of an event stream, whole Stream chunks at a time (no effect per event). */
export const toChunks = <E>(
  events: Stream.Stream<Provider.SseEvent, E>
): Stream.Stream<Message.AIMessageChunk, E | ChatError.ChatError> =>
  Provider.transduce(
    events,
    (): Provider.Stage<Provider.SseEvent, Message.AIMessageChunk, ChatError.ChatError> => ({
      step: (input, out) => {
        for (const event of input) {
          if (event.data === doneMarker) continue
          const chunk = toChunk(event)
          if (Either.isLeft(chunk)) return { _tag: "Fail", error: chunk.left }
          out.push(chunk.right)
        }
        return undefined
      },
      done: () => undefined
    })
  )

// ---------------------------------------------------------------------------
// AcmeChatModel.ts: make, layer, layerConfig
// ---------------------------------------------------------------------------

/** Acme's API root, when no `baseUrl` is given. */
export const defaultBaseUrl = "https://api.acme.example/v1"

/**
 * Builds the Acme model on the `HttpClient` of the context.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 * import { AcmeChatModel } from "./writing-a-provider.js"
 *
 * const model = AcmeChatModel.make({ model: "acme-small", apiKey: Redacted.make("acme-...") }).pipe(
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 */
const make = (config: AcmeConfig): Effect.Effect<ChatModel.Service, never, HttpClient.HttpClient> =>
  Effect.map(
    Provider.make({
      provider,
      baseUrl: config.baseUrl ?? defaultBaseUrl,
      apiKey: config.apiKey,
      auth: { header: "x-acme-key" }, // the default is `authorization: Bearer <key>`
      headers: { "acme-version": "2025-01-01" },
      timeout: config.timeout
    }),
    (client) =>
      ChatModel.make({
        llmType: "acme-chat",
        identifyingParams: { provider, model: config.model, temperature: config.temperature },
        profile: { maxInputTokens: 32_000, maxOutputTokens: 4_096 },
        generate: (request) =>
          Either.match(toRequest(request, config, false), {
            onLeft: Effect.fail,
            onRight: (body) => Effect.flatMap(Provider.postJson(client, { path: "/chat", body }), toResult)
          }),
        stream: (request) =>
          Either.match(toRequest(request, config, true), {
            onLeft: Stream.fail,
            onRight: (body) =>
              toChunks(
                Provider.streamSse(client, {
                  path: "/chat",
                  body,
                  isEnd: (event) => event.data === doneMarker
                })
              )
          })
      })
  )

/**
 * The Acme model as a `ChatModel` layer.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { AcmeChatModel } from "./writing-a-provider.js"
 *
 * const Model = AcmeChatModel.layer({ model: "acme-small" }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
const layer = (config: AcmeConfig): Layer.Layer<ChatModel.ChatModel, never, HttpClient.HttpClient> =>
  Layer.effect(ChatModel.ChatModel, make(config))

/**
 * The Acme model configured from the environment: fields given win; the key comes from
 * `ACME_API_KEY` (redacted), the base URL from `ACME_BASE_URL`, the model from
 * `ACME_MODEL` (default `acme-small`).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { AcmeChatModel } from "./writing-a-provider.js"
 *
 * const Model = AcmeChatModel.layerConfig({ temperature: 0 }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
const layerConfig = (
  config: Partial<AcmeConfig> = {}
): Layer.Layer<ChatModel.ChatModel, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    ChatModel.ChatModel,
    Effect.flatMap(
      Config.all({
        apiKey: Config.option(Config.redacted("ACME_API_KEY")),
        baseUrl: Config.option(Config.string("ACME_BASE_URL")),
        model: Config.withDefault(Config.string("ACME_MODEL"), "acme-small")
      }),
      (env) =>
        make({
          ...config,
          model: config.model ?? env.model,
          apiKey: config.apiKey ?? Option.getOrUndefined(env.apiKey),
          baseUrl: config.baseUrl ?? Option.getOrUndefined(env.baseUrl)
        })
    )
  )

/** The Acme provider. */
export const AcmeChatModel = { make, layer, layerConfig } as const

/**
 * Registers `"acme"` for `ChatModel.fromString("acme:<model>", options)`. A provider
 * package does this at the top level of its `index.ts`, so importing it registers it.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { registerAcme } from "./writing-a-provider.js"
 *
 * registerAcme()
 * const Model = ChatModel.fromString("acme:acme-large", { temperature: 0 })
 * ```
 */
export const registerAcme = (): void =>
  // `options` are untyped (LangChain's kwargs): they are the configuration fields
  ChatModel.registerProvider("acme", (model, options) =>
    AcmeChatModel.layerConfig({ ...(options as Partial<AcmeConfig>), model })
  )

// ---------------------------------------------------------------------------
// a program using it
// ---------------------------------------------------------------------------

/** What `program` got back. */
export interface AcmeProgramResult {
  readonly reply: Message.AIMessage
  readonly streamed: Message.AIMessage
}

/**
 * One call and one stream with the model of the context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { main } from "./writing-a-provider.js"
 *
 * Effect.runPromise(main).then(({ reply }) => console.log(reply.content))
 * ```
 */
export const program: Effect.Effect<AcmeProgramResult, ChatError.ChatError, ChatModel.ChatModel> = Effect.gen(
  function* () {
    const reply = yield* ChatModel.invoke([
      ["system", "Be brief."],
      ["user", "Hello Acme"]
    ])
    const merged = yield* ChatModel.stream("Count to three").pipe(
      Stream.runFold(Message.chunk({ content: "" }), Message.concat)
    )
    return { reply, streamed: Message.toMessage(merged) }
  }
)

/** `program` with Acme configured from the environment, over `fetch`. */
export const main: Effect.Effect<AcmeProgramResult, ChatError.ChatError | ConfigError.ConfigError> =
  program.pipe(Effect.provide(AcmeChatModel.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))))

// ---------------------------------------------------------------------------
// a fake Acme server, for the loopback wire server (tests)
// ---------------------------------------------------------------------------

const words = (text: string): number => text.split(/\s+/).filter((word) => word !== "").length

/** The text before the first stop sequence found. */
const cutAtStop = (
  text: string,
  stop: ReadonlyArray<string>
): { readonly text: string; readonly stopped: boolean } => {
  const at = stop.map((sequence) => text.indexOf(sequence)).filter((index) => index >= 0)
  return at.length === 0 ? { text, stopped: false } : { text: text.slice(0, Math.min(...at)), stopped: true }
}

/**
 * A script for `WireServer.make` that speaks Acme's wire format: it answers
 * `You said: <last message>` (cut at the request's stop sequences), as one JSON body or
 * as an event stream with one delta per word, with word counts as usage.
 *
 * @example
 * ```ts
 * import * as WireServer from "@effect-chat/testing/internal/wireServer"
 * import { acmeServer } from "./writing-a-provider.js"
 *
 * const server = WireServer.make(acmeServer())
 * ```
 */
export const acmeServer =
  (options: WireServer.ReplyOptions = {}) =>
  (request: WireServer.RecordedRequest): WireServer.Reply => {
    const body = isRecord(request.body) ? request.body : {}
    const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : []
    const said = (message: Json | undefined) => (typeof message?.content === "string" ? message.content : "")
    const stop = Array.isArray(body.stop) ? body.stop.filter((item) => typeof item === "string") : []
    const { text, stopped } = cutAtStop(`You said: ${said(messages.at(-1))}`, stop)
    const final = {
      id: `acme-${request.index}`,
      model: typeof body.model === "string" ? body.model : "acme-small",
      finish_reason: stopped ? "stop_sequence" : "end_turn",
      usage: {
        input_tokens: messages.reduce((sum, message) => sum + words(said(message)), 0),
        output_tokens: words(text)
      }
    }
    if (body.stream !== true) return WireServer.json({ ...final, text }, options)
    const deltas = text.split(/(?<= )/).map((delta) => ({ delta }))
    return WireServer.sseReply(WireServer.sse([...deltas, final, doneMarker]), options)
  }
