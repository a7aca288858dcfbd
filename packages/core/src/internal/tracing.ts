/**
 * The span of every call, following OpenTelemetry's GenAI semantic conventions. Spans
 * are made with `captureStackTrace: false` (stack capture costs 15-25 µs a call), and
 * only when tracing is enabled: the caller checks the fiber's tracer flag first.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import type * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import type { ChatError } from "../ChatError.js"
import type { ChatResult } from "../ChatModel.js"
import { addUsage } from "./merge.js"
import type { Call } from "./runner.js"
import type { AIMessageChunk, UsageMetadata } from "./schema.js"
import type { State } from "./service.js"
import * as streams from "./streams.js"

type Attributes = Record<string, unknown>

const requestParameters: ReadonlyArray<readonly [param: string, attribute: string]> = [
  ["temperature", "gen_ai.request.temperature"],
  ["maxTokens", "gen_ai.request.max_tokens"],
  ["topP", "gen_ai.request.top_p"],
  ["topK", "gen_ai.request.top_k"],
  ["seed", "gen_ai.request.seed"],
  ["frequencyPenalty", "gen_ai.request.frequency_penalty"],
  ["presencePenalty", "gen_ai.request.presence_penalty"],
  ["n", "gen_ai.request.choice.count"]
]

const isPrimitive = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean"

const requestAttributes = (state: State, call: Call): Attributes => {
  const params = state.identifyingParams
  const provider = typeof params.provider === "string" ? params.provider : state.llmType
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": provider,
    "gen_ai.request.model": state.modelName,
    "effect_chat.run_id": call.runId
  }
  for (const [param, attribute] of requestParameters) {
    const value = params[param]
    if (value !== undefined) attributes[attribute] = value
  }
  const options = call.options
  const stop = options.stop ?? params.stop
  if (Array.isArray(stop)) attributes["gen_ai.request.stop_sequences"] = stop
  if (options.runName !== undefined) attributes["effect_chat.run_name"] = options.runName
  if (options.tags !== undefined && options.tags.length > 0) attributes["effect_chat.tags"] = options.tags
  if (options.metadata !== undefined) {
    for (const [key, value] of Object.entries(options.metadata)) {
      if (isPrimitive(value)) attributes[`effect_chat.metadata.${key}`] = value
    }
  }
  return attributes
}

interface Outcome {
  readonly responseId: string | undefined
  readonly responseModel: string | undefined
  readonly finishReasons: ReadonlyArray<string>
  readonly usage: UsageMetadata | undefined
}

const annotate = (span: Tracer.Span, outcome: Outcome): void => {
  if (outcome.responseId !== undefined) span.attribute("gen_ai.response.id", outcome.responseId)
  if (outcome.responseModel !== undefined) span.attribute("gen_ai.response.model", outcome.responseModel)
  if (outcome.finishReasons.length > 0)
    span.attribute("gen_ai.response.finish_reasons", outcome.finishReasons)
  if (outcome.usage !== undefined) {
    span.attribute("gen_ai.usage.input_tokens", outcome.usage.inputTokens)
    span.attribute("gen_ai.usage.output_tokens", outcome.usage.outputTokens)
  }
}

const outcomeOf = (result: ChatResult): Outcome => {
  let usage: UsageMetadata | undefined
  const finishReasons: Array<string> = []
  for (const generation of result.generations) {
    usage = addUsage(usage, generation.message.usageMetadata)
    const reason = generation.message.responseMetadata.finishReason
    if (reason !== undefined) finishReasons.push(reason)
  }
  const metadata = result.generations[0].message.responseMetadata
  return { responseId: metadata.id, responseModel: metadata.modelName, finishReasons, usage }
}

const spanOptions = (state: State, call: Call): Tracer.SpanOptions => ({
  kind: "client",
  captureStackTrace: false,
  attributes: requestAttributes(state, call)
})

const markError = (span: Tracer.Span) => (error: ChatError) =>
  Effect.sync(() => span.attribute("error.type", error._tag))

export const traceGenerate = (
  effect: Effect.Effect<ChatResult, ChatError>,
  state: State,
  call: Call
): Effect.Effect<ChatResult, ChatError> =>
  Effect.useSpan(`chat ${state.modelName}`, spanOptions(state, call), (span) =>
    effect.pipe(
      Effect.withParentSpan(span),
      Effect.tapBoth({
        onFailure: markError(span),
        onSuccess: (result) => Effect.sync(() => annotate(span, outcomeOf(result)))
      })
    )
  )

/** What a traced stream gives the stage that sees its chunks (see `traceStream`). */
export type Observe = (chunk: Chunk.Chunk<AIMessageChunk>) => void

/**
 * Runs a stream in a span. `make` builds the stream with an `observe` function that a
 * stage it already has calls on every Stream chunk (so tracing adds no stage of its
 * own); the span gets the response id, model, finish reason and usage when the stream
 * ends, `error.type` when it fails, and is the parent of the spans made while it runs.
 */
export const traceStream = (
  make: (observe: Observe) => Stream.Stream<AIMessageChunk, ChatError>,
  state: State,
  call: Call
): Stream.Stream<AIMessageChunk, ChatError> => {
  let responseId: string | undefined
  let responseModel: string | undefined
  let finishReason: string | undefined
  let usage: UsageMetadata | undefined
  const observe: Observe = (chunk) => {
    for (const item of chunk) {
      const metadata = item.responseMetadata
      if (metadata.id !== undefined) responseId = metadata.id
      if (metadata.modelName !== undefined) responseModel = metadata.modelName
      if (metadata.finishReason !== undefined) finishReason = metadata.finishReason
      if (item.usageMetadata !== undefined) usage = addUsage(usage, item.usageMetadata)
    }
  }
  let span: Tracer.Span | undefined
  return streams.unwrapScoped(
    Effect.map(Effect.makeSpanScoped(`chat ${state.modelName}`, spanOptions(state, call)), (made) => {
      span = made
      return streams.provideService(make(observe), Tracer.ParentSpan, made)
    }),
    // before the span ends: the outcome, or the error's tag
    (exit) =>
      Effect.sync(() => {
        if (span === undefined) return
        if (Exit.isFailure(exit)) {
          const error = Cause.failureOption(exit.cause)
          if (Option.isSome(error)) span.attribute("error.type", error.value._tag)
        }
        annotate(span, {
          responseId,
          responseModel,
          finishReasons: finishReason === undefined ? [] : [finishReason],
          usage
        })
      })
  )
}
