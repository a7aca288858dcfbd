/**
 * Response conversion: a `CreateChatCompletionResponse` body into a `ChatResult` (one
 * generation per choice), with the usage and finish-reason mappings the stream
 * converter shares, so both report the same numbers.
 *
 * Usage (LangChain's semantics, DESIGN.md): input = `prompt_tokens` (it includes the
 * cached tokens: `prompt_tokens_details.cached_tokens` -> `inputTokenDetails.cacheRead`,
 * `cache_write_tokens` -> `cacheCreation`, `audio_tokens` -> `audio`); output =
 * `completion_tokens` (it includes `completion_tokens_details.reasoning_tokens` ->
 * `outputTokenDetails.reasoning`; xAI reports them apart and they are added);
 * total = input + output. No usage on the wire: no `usageMetadata`.
 *
 * @internal
 */
import { ChatError, type ChatModel, Message, Provider } from "@effect-chat/core"
import * as Either from "effect/Either"
import type { CompatProfile } from "../compat.js"
import { isRecord, type Json, num, rec, str } from "../json.js"

// ---------------------------------------------------------------------------
// usage
// ---------------------------------------------------------------------------

type Writable<T> = { -readonly [K in keyof T]: T[K] }

/** `CompletionUsage` as `UsageMetadata`; `undefined` when the counts are missing. */
export const toUsage = (usage: unknown, compat: CompatProfile): Message.UsageMetadata | undefined => {
  if (!isRecord(usage)) return undefined
  const input = num(usage, "prompt_tokens")
  const completion = num(usage, "completion_tokens")
  if (input === undefined || completion === undefined) return undefined
  const promptDetails = rec(usage, "prompt_tokens_details")
  const completionDetails = rec(usage, "completion_tokens_details")
  const reasoning = completionDetails === undefined ? undefined : num(completionDetails, "reasoning_tokens")
  const output = compat.reasoningInCompletion ? completion : completion + (reasoning ?? 0)
  const result: Writable<Message.UsageMetadata> = {
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output
  }
  const inputDetails: Writable<NonNullable<Message.UsageMetadata["inputTokenDetails"]>> = {}
  const cacheRead =
    (promptDetails === undefined ? undefined : num(promptDetails, "cached_tokens")) ??
    (compat.cacheHitField === undefined ? undefined : num(usage, compat.cacheHitField))
  if (cacheRead !== undefined) inputDetails.cacheRead = cacheRead
  if (promptDetails !== undefined) {
    const written = num(promptDetails, "cache_write_tokens")
    const audio = num(promptDetails, "audio_tokens")
    if (written !== undefined) inputDetails.cacheCreation = written
    if (audio !== undefined) inputDetails.audio = audio
  }
  const outputDetails: Writable<NonNullable<Message.UsageMetadata["outputTokenDetails"]>> = {}
  if (reasoning !== undefined) outputDetails.reasoning = reasoning
  if (completionDetails !== undefined) {
    const audio = num(completionDetails, "audio_tokens")
    if (audio !== undefined) outputDetails.audio = audio
  }
  if (Object.keys(inputDetails).length > 0) result.inputTokenDetails = inputDetails
  if (Object.keys(outputDetails).length > 0) result.outputTokenDetails = outputDetails
  return result
}

/** The usage of a response body or stream chunk: `usage`, else the profile's container (Groq's `x_groq.usage`). */
export const usageOf = (body: Json, compat: CompatProfile): Message.UsageMetadata | undefined => {
  const direct = toUsage(body.usage, compat)
  if (direct !== undefined || compat.usageContainer === undefined) return direct
  const container = rec(body, compat.usageContainer)
  return container === undefined ? undefined : toUsage(container.usage, compat)
}

// ---------------------------------------------------------------------------
// finish reasons, reasoning, metadata
// ---------------------------------------------------------------------------

/** `stop`, `length`, `tool_calls`/`function_call`, `content_filter`; anything else is `other`. */
export const toFinishReason = (raw: string): Message.FinishReason => {
  switch (raw) {
    case "stop":
      return "stop"
    case "length":
      return "length"
    case "tool_calls":
    case "function_call":
      return "toolCalls"
    case "content_filter":
      return "contentFilter"
    default:
      return "other"
  }
}

/** The reasoning text of a message or delta: the profile's first non-empty reasoning field. */
export const reasoningOf = (message: Json, compat: CompatProfile): string | undefined => {
  for (const field of compat.reasoningFields) {
    const value = message[field]
    if (typeof value === "string" && value !== "") return value
  }
  return undefined
}

/** Response-level metadata: the model that answered, the response id, fingerprint and tier. */
export const responseMetadataOf = (body: Json): Writable<Message.ResponseMetadata> => {
  const metadata: Writable<Message.ResponseMetadata> = {}
  const model = str(body, "model")
  const id = str(body, "id")
  const fingerprint = str(body, "system_fingerprint")
  const tier = str(body, "service_tier")
  if (model !== undefined) metadata.modelName = model
  if (id !== undefined) metadata.id = id
  if (fingerprint !== undefined) metadata.systemFingerprint = fingerprint
  if (tier !== undefined) metadata.serviceTier = tier
  return metadata
}

// ---------------------------------------------------------------------------
// a whole response
// ---------------------------------------------------------------------------

const malformed = (compat: CompatProfile, message: string) =>
  new ChatError.MalformedResponseError({ message: `${compat.name}: ${message}`, provider: compat.name })

const parseArgs = (text: string): { readonly args: Record<string, unknown> } | { readonly error: string } => {
  if (text.trim() === "") return { args: {} }
  const parsed = Provider.parseJson(text)
  if (Either.isLeft(parsed))
    return { error: `tool-call arguments are not valid JSON: ${parsed.left.message}` }
  return isRecord(parsed.right)
    ? { args: parsed.right as Record<string, unknown> }
    : { error: "tool-call arguments are not a JSON object" }
}

const toolCallsOf = (message: Json, fields: Writable<Message.AIFields>): void => {
  const calls = message.tool_calls
  if (!Array.isArray(calls) || calls.length === 0) return
  const toolCalls: Array<Message.ToolCall> = []
  const invalid: Array<Message.InvalidToolCall> = []
  for (const call of calls) {
    if (!isRecord(call)) continue
    const id = str(call, "id")
    const fn = rec(call, "function")
    if (fn === undefined) {
      const type = str(call, "type") ?? "unknown"
      invalid.push(
        id === undefined
          ? { error: `unsupported tool call type ${type}` }
          : { id, error: `unsupported tool call type ${type}` }
      )
      continue
    }
    const name = str(fn, "name")
    const raw = str(fn, "arguments") ?? ""
    const parsed = parseArgs(raw)
    if (name === undefined || name === "") {
      invalid.push(
        id === undefined
          ? { args: raw, error: "tool call has no name" }
          : { id, args: raw, error: "tool call has no name" }
      )
    } else if ("error" in parsed) {
      invalid.push(
        id === undefined
          ? { name, args: raw, error: parsed.error }
          : { id, name, args: raw, error: parsed.error }
      )
    } else {
      toolCalls.push({ id: id ?? `call_${toolCalls.length}`, name, args: parsed.args })
    }
  }
  if (toolCalls.length > 0) fields.toolCalls = toolCalls
  if (invalid.length > 0) fields.invalidToolCalls = invalid
}

const generationOf = (
  choice: Json,
  base: Message.ResponseMetadata,
  compat: CompatProfile,
  usage: Message.UsageMetadata | undefined,
  id: string | undefined
): Either.Either<ChatModel.GenerationInput, ChatError.MalformedResponseError> => {
  const message = rec(choice, "message")
  if (message === undefined) return Either.left(malformed(compat, "a choice has no message"))
  const text = str(message, "content") ?? ""
  const reasoning = reasoningOf(message, compat)
  const content: Message.Content =
    reasoning === undefined
      ? text
      : text === ""
        ? [{ type: "reasoning", reasoning }]
        : [
            { type: "reasoning", reasoning },
            { type: "text", text }
          ]
  const metadata: Writable<Message.ResponseMetadata> = { ...base }
  const raw = str(choice, "finish_reason")
  if (raw !== undefined) {
    metadata.finishReason = toFinishReason(raw)
    metadata.rawFinishReason = raw
  }
  if (isRecord(choice.logprobs)) metadata.logprobs = choice.logprobs
  const fields: Writable<Message.AIFields> = { content, responseMetadata: metadata }
  if (id !== undefined) fields.id = id
  if (usage !== undefined) fields.usageMetadata = usage
  toolCallsOf(message, fields)
  if ((fields.toolCalls?.length ?? 0) > 0) metadata.finishReason = "toolCalls"
  const kwargs: Record<string, unknown> = {}
  const refusal = str(message, "refusal")
  if (refusal !== undefined) kwargs.refusal = refusal
  if (Array.isArray(message.annotations) && message.annotations.length > 0)
    kwargs.annotations = message.annotations
  if (isRecord(message.audio)) kwargs.audio = message.audio
  if (Object.keys(kwargs).length > 0) fields.additionalKwargs = kwargs
  return Either.right({ message: Message.ai(fields) })
}

/**
 * A response body as a `ChatResult`: one generation per choice (by `index`), the usage
 * on the first generation only (it counts the whole request, and `generate` sums
 * generations), `llmOutput` with the token usage, model name and fingerprint.
 */
export const toResult = (
  body: unknown,
  compat: CompatProfile
): Either.Either<ChatModel.ChatResultInput, ChatError.ChatError> => {
  if (!isRecord(body)) return Either.left(malformed(compat, "the response is not a JSON object"))
  if (body.error !== undefined && body.error !== null) {
    return Either.left(Provider.errorFromBody({ provider: compat.name, body }))
  }
  const choices = Array.isArray(body.choices) ? body.choices.filter(isRecord) : []
  if (choices.length === 0) return Either.left(malformed(compat, "the response has no choices"))
  const ordered = choices
    .map((choice, position) => ({ choice, index: num(choice, "index") ?? position }))
    .sort((a, b) => a.index - b.index)
  const base = responseMetadataOf(body)
  const usage = usageOf(body, compat)
  const generations: Array<ChatModel.GenerationInput> = []
  for (const [position, { choice }] of ordered.entries()) {
    const generation = generationOf(choice, base, compat, position === 0 ? usage : undefined, base.id)
    if (Either.isLeft(generation)) return Either.left(generation.left)
    generations.push(generation.right)
  }
  const llmOutput: Record<string, unknown> = {}
  if (usage !== undefined) llmOutput.tokenUsage = usage
  if (base.modelName !== undefined) llmOutput.modelName = base.modelName
  if (base.systemFingerprint !== undefined) llmOutput.systemFingerprint = base.systemFingerprint
  const [first, ...rest] = generations
  return Either.right({ generations: [first!, ...rest], llmOutput })
}
