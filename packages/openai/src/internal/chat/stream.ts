/**
 * Stream conversion: the server-sent events of a `stream: true` request
 * (`CreateChatCompletionStreamResponse` chunks, then `data: [DONE]`) into
 * `AIMessageChunk`s, whole Stream chunks at a time, with structural checks only.
 *
 * - Choice 0 is streamed (with `n` > 1 the other choices are left out): text, tool-call
 *   deltas (`index`, `id`, `name`, `args`), refusal deltas (`additionalKwargs.refusal`),
 *   reasoning deltas of compatible servers (reasoning blocks), logprobs, finish reason.
 * - Usage: servers report it on one chunk (OpenAI's choice-less chunk before `[DONE]`),
 *   on the finish chunk, or cumulatively on every chunk (vLLM's continuous usage). The
 *   latest report is kept and put on the final chunk only, marked `last: true`: exactly
 *   one chunk carries usage, the same numbers as a non-streaming call.
 * - The end: `[DONE]` ends the stream; a body that ends without `[DONE]` is fine after a
 *   finish reason and a `TransportError` without one. An error event or an `error`
 *   object in a chunk fails the stream with its typed error; data that does not parse
 *   is a `MalformedResponseError`.
 *
 * @internal
 */
import { ChatError, Message, Provider } from "@effect-chat/core"
import * as Either from "effect/Either"
import type * as Stream from "effect/Stream"
import type { CompatProfile } from "../compat.js"
import { isRecord, type Json, rec, str } from "../json.js"
import { reasoningOf, responseMetadataOf, toFinishReason, usageOf } from "./response.js"
import { doneMarker } from "./wire.js"

type Writable<T> = { -readonly [K in keyof T]: T[K] }
type Out = Message.AIMessageChunk

const ended: Provider.Step<never> = { _tag: "End" }

// The per-event path reads these once: where the package runs transpiled to CommonJS
// (tsx, vitest), every use of an imported name is a getter call on the module's exports.
const makeChunk = Message.chunk
const endMarker: string = doneMarker
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)
type ToolCallPiece = Writable<Omit<Message.ToolCallChunk, "index">> & { index?: number | string }

const toolCallPieces = (calls: ReadonlyArray<unknown>): Array<ToolCallPiece> => {
  const pieces: Array<ToolCallPiece> = []
  for (const call of calls) {
    if (!isRecord(call)) continue
    const piece: ToolCallPiece = {}
    const index = call.index
    if (typeof index === "number" || typeof index === "string") piece.index = index
    const id = str(call, "id")
    if (id !== undefined && id !== "") piece.id = id
    const fn = rec(call, "function")
    if (fn !== undefined) {
      const name = str(fn, "name")
      const args = str(fn, "arguments")
      if (name !== undefined && name !== "") piece.name = name
      if (args !== undefined) piece.args = args
    }
    pieces.push(piece)
  }
  return pieces
}

const isFirstChoice = (choice: Json, position: number): boolean => {
  const index = choice.index
  return (typeof index === "number" && Number.isFinite(index) ? index : position) === 0
}

/** The state of one stream: what has been seen, and what goes on the final chunk. */
class State {
  done = false
  finished = false
  failure: ChatError.ChatError | undefined
  emitted = false
  id: string | undefined
  usage: Message.UsageMetadata | undefined
  metadata: Writable<Message.ResponseMetadata> = {}

  constructor(readonly compat: CompatProfile) {}

  fail(error: ChatError.ChatError): void {
    this.failure = error
  }

  step(event: Provider.SseEvent, out: Array<Out>): void {
    const data = event.data
    if (data === endMarker) {
      this.done = true
      return
    }
    if (data.trim() === "") return
    // `JSON.parse` on the hot path; the typed error (built by `Provider.parseJson`) only when it fails
    let body: unknown
    try {
      body = JSON.parse(data)
    } catch {
      const parsed = Provider.parseJson(data, this.compat.name)
      if (Either.isLeft(parsed)) {
        this.fail(
          event.event === "error"
            ? Provider.errorFromBody({ provider: this.compat.name, body: data })
            : parsed.left
        )
        return
      }
      body = parsed.right
    }
    if (event.event === "error") {
      this.fail(Provider.errorFromBody({ provider: this.compat.name, body }))
      return
    }
    if (!isObject(body)) {
      const message = `${this.compat.name} sent a stream event that is not a JSON object`
      this.fail(new ChatError.MalformedResponseError({ message, provider: this.compat.name }))
      return
    }
    if (body.error !== undefined && body.error !== null) {
      this.fail(Provider.errorFromBody({ provider: this.compat.name, body }))
      return
    }
    if ((body.usage !== undefined && body.usage !== null) || this.compat.usageContainer !== undefined) {
      const usage = usageOf(body, this.compat)
      if (usage !== undefined) this.usage = usage
    }
    if (this.id === undefined) {
      const meta = responseMetadataOf(body)
      this.id = meta.id
      if (meta.modelName !== undefined) this.metadata.modelName = meta.modelName
      if (meta.id !== undefined) this.metadata.id = meta.id
    }
    const fingerprint = body.system_fingerprint
    const tier = body.service_tier
    if (typeof fingerprint === "string") this.metadata.systemFingerprint = fingerprint
    if (typeof tier === "string") this.metadata.serviceTier = tier
    const choices = body.choices
    if (!Array.isArray(choices)) return
    for (let position = 0; position < choices.length; position++) {
      const choice: unknown = choices[position]
      if (isObject(choice) && isFirstChoice(choice, position)) this.choice(choice, out)
    }
  }

  choice(choice: Json, out: Array<Out>): void {
    let text = ""
    let reasoning: string | undefined
    let refusal: string | undefined
    let calls: Array<ToolCallPiece> | undefined
    const delta = choice.delta
    if (isObject(delta)) {
      const content = delta.content
      if (typeof content === "string") text = content
      if (this.compat.reasoningFields.length > 0) reasoning = reasoningOf(delta, this.compat)
      const refused = delta.refusal
      if (typeof refused === "string" && refused !== "") refusal = refused
      const toolCalls = delta.tool_calls
      if (Array.isArray(toolCalls)) {
        const pieces = toolCallPieces(toolCalls)
        if (pieces.length > 0) calls = pieces
      }
    }
    const finish = choice.finish_reason
    const raw = typeof finish === "string" ? finish : undefined
    const logprobs = isObject(choice.logprobs) ? choice.logprobs : undefined
    if (
      text === "" &&
      reasoning === undefined &&
      refusal === undefined &&
      calls === undefined &&
      raw === undefined &&
      logprobs === undefined
    ) {
      return
    }
    const fields: Writable<Message.ChunkFields> = {
      content:
        reasoning === undefined
          ? text
          : text === ""
            ? [{ type: "reasoning", reasoning, index: 0 }]
            : [
                { type: "reasoning", reasoning, index: 0 },
                { type: "text", text }
              ]
    }
    if (this.id !== undefined) fields.id = this.id
    if (!this.emitted || raw !== undefined || logprobs !== undefined) {
      // most deltas carry no metadata: their chunks share the empty default
      const metadata: Writable<Message.ResponseMetadata> = {}
      if (!this.emitted) {
        this.emitted = true
        if (this.metadata.modelName !== undefined) metadata.modelName = this.metadata.modelName
        if (this.metadata.id !== undefined) metadata.id = this.metadata.id
      }
      if (raw !== undefined) {
        this.finished = true
        metadata.finishReason = toFinishReason(raw)
        metadata.rawFinishReason = raw
      }
      if (logprobs !== undefined) metadata.logprobs = logprobs
      fields.responseMetadata = metadata
    }
    if (refusal !== undefined) fields.additionalKwargs = { refusal }
    if (calls !== undefined) fields.toolCallChunks = calls
    out.push(makeChunk(fields))
  }

  /** The final chunk (usage, fingerprint, tier; `last: true`), or the failure of a cut-off stream. */
  end(): Either.Either<Message.AIMessageChunk, ChatError.ChatError> {
    if (!this.done && !this.finished) {
      return Either.left(
        new ChatError.TransportError({
          message: `${this.compat.name} stream ended before [DONE] or a finish reason`,
          provider: this.compat.name
        })
      )
    }
    const metadata: Writable<Message.ResponseMetadata> = {}
    if (!this.emitted) {
      if (this.metadata.modelName !== undefined) metadata.modelName = this.metadata.modelName
      if (this.metadata.id !== undefined) metadata.id = this.metadata.id
    }
    if (this.metadata.systemFingerprint !== undefined)
      metadata.systemFingerprint = this.metadata.systemFingerprint
    if (this.metadata.serviceTier !== undefined) metadata.serviceTier = this.metadata.serviceTier
    const fields: Writable<Message.ChunkFields> = { content: "", responseMetadata: metadata, last: true }
    if (this.id !== undefined) fields.id = this.id
    if (this.usage !== undefined) fields.usageMetadata = this.usage
    return Either.right(Message.chunk(fields))
  }
}

/**
 * The message chunks of a Chat Completions event stream: one pass over each Stream chunk
 * of events (no effect per event), ending at `[DONE]` (which closes the request) and
 * failing after the chunks that came before a failure. A stage of `Provider.transduce`,
 * so over `Provider.streamSse` it runs fused with the SSE decoding.
 */
export const toChunks = <E>(
  events: Stream.Stream<Provider.SseEvent, E>,
  compat: CompatProfile
): Stream.Stream<Message.AIMessageChunk, E | ChatError.ChatError> =>
  Provider.transduce(events, (): Provider.Stage<Provider.SseEvent, Out, ChatError.ChatError> => {
    const state = new State(compat)
    return {
      step: (input, out) => {
        for (const event of input) {
          state.step(event, out)
          if (state.failure !== undefined) return { _tag: "Fail", error: state.failure }
          if (state.done) {
            const last = state.end()
            if (Either.isLeft(last)) return { _tag: "Fail", error: last.left }
            out.push(last.right)
            return ended
          }
        }
        return undefined
      },
      done: (out) => {
        const last = state.end()
        if (Either.isLeft(last)) return last.left
        out.push(last.right)
        return undefined
      }
    }
  })
