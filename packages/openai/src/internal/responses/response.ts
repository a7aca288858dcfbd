/**
 * A Responses API `Response` to our messages: output items to content blocks, tool-call
 * pieces and additional kwargs (shared with the stream converter, so a merged stream
 * and a non-streaming answer are the same message), usage, the finish reason and the
 * response metadata, and a failed response's `error` to a typed `ChatError`.
 *
 * Block indexes: every reasoning item and every non-empty `output_text` part gets the
 * next block index in output order, so streamed pieces of one part merge into one
 * block and parts never merge with each other. `additionalKwargs.itemIds` maps each
 * block index to its output item's id (`rs_…`, `msg_…`), `additionalKwargs.functionCallItemIds`
 * each call id to its `function_call` item's id (`fc_…`), so the items can be sent back.
 *
 * @internal
 */
import { ChatError, type ChatModel, Message, Provider } from "@effect-chat/core"
import * as Either from "effect/Either"
import { arr, isRecord, type Json, num, rec, str } from "../json.js"

/** The provider name carried by errors when none is given. */
export const defaultProvider = "openai"

type Writable<T> = { -readonly [K in keyof T]: T[K] }

// ---------------------------------------------------------------------------
// block indexes
// ---------------------------------------------------------------------------

/** The block indexes handed out so far, by output item (and content part). */
export interface Blocks {
  next: number
  readonly byKey: Map<string, number>
}

export const makeBlocks = (): Blocks => ({ next: 0, byKey: new Map() })

/** The block index of a reasoning item (by its output index). */
export const reasoningKey = (outputIndex: number): string => `r${outputIndex}`

/** The block index of an `output_text` part (by output index and content index). */
export const textKey = (outputIndex: number, contentIndex: number): string =>
  `t${outputIndex}:${contentIndex}`

/** The block index for `key`, handing out the next one the first time. */
export const blockIndex = (blocks: Blocks, key: string): number => {
  const found = blocks.byKey.get(key)
  if (found !== undefined) return found
  const index = blocks.next++
  blocks.byKey.set(key, index)
  return index
}

// ---------------------------------------------------------------------------
// output items
// ---------------------------------------------------------------------------

/** The summary parts of a reasoning item, joined by blank lines (as the stream joins them). */
export const summaryText = (item: Json): string => {
  let text = ""
  let first = true
  for (const part of arr(item, "summary")) {
    if (!isRecord(part)) continue
    const piece = str(part, "text")
    if (piece === undefined) continue
    text += first ? piece : `\n\n${piece}`
    first = false
  }
  return text
}

/** The separator put before the summary part `summaryIndex` of a reasoning item. */
export const summarySeparator = "\n\n"

/** What output items add to a message, accumulated. */
export interface Output {
  readonly content: Array<Message.ContentBlock>
  readonly toolCallChunks: Array<Message.ToolCallChunk>
  readonly itemIds: Record<string, string>
  readonly functionCallItemIds: Record<string, string>
  refusal: string
  readonly logprobs: Array<unknown>
}

export const makeOutput = (): Output => ({
  content: [],
  toolCallChunks: [],
  itemIds: {},
  functionCallItemIds: {},
  refusal: "",
  logprobs: []
})

/** A reasoning item's block: its summary text and, when given, its encrypted content. */
export const reasoningBlock = (reasoning: string, encrypted: string | undefined, index: number) =>
  encrypted === undefined
    ? { type: "reasoning" as const, reasoning, index }
    : { type: "reasoning" as const, reasoning, encrypted, index }

/** Adds one output item (at `outputIndex`) of a complete response. */
export const addItem = (output: Output, blocks: Blocks, item: Json, outputIndex: number): void => {
  const id = str(item, "id")
  switch (str(item, "type")) {
    case "reasoning": {
      const index = blockIndex(blocks, reasoningKey(outputIndex))
      output.content.push(reasoningBlock(summaryText(item), str(item, "encrypted_content"), index))
      if (id !== undefined) output.itemIds[String(index)] = id
      return
    }
    case "message": {
      arr(item, "content").forEach((part, contentIndex) => {
        if (!isRecord(part)) return
        const type = str(part, "type")
        if (type === "output_text") {
          const text = str(part, "text") ?? ""
          for (const logprob of arr(part, "logprobs")) output.logprobs.push(logprob)
          if (text === "") return
          const index = blockIndex(blocks, textKey(outputIndex, contentIndex))
          output.content.push({ type: "text", text, index })
          if (id !== undefined) output.itemIds[String(index)] = id
        } else if (type === "refusal") {
          output.refusal += str(part, "refusal") ?? ""
        }
      })
      return
    }
    case "function_call": {
      const callId = str(item, "call_id") ?? id
      const piece: Writable<Message.ToolCallChunk> = {
        index: outputIndex,
        args: str(item, "arguments") ?? ""
      }
      const name = str(item, "name")
      if (callId !== undefined) piece.id = callId
      if (name !== undefined) piece.name = name
      output.toolCallChunks.push(piece)
      if (callId !== undefined && id !== undefined) output.functionCallItemIds[callId] = id
      return
    }
  }
}

/** The additional kwargs of accumulated output (absent when there is nothing to keep). */
export const additionalKwargsOf = (output: Output): Record<string, unknown> | undefined => {
  const kwargs: Record<string, unknown> = {}
  let kept = false
  if (Object.keys(output.itemIds).length > 0) {
    kwargs.itemIds = output.itemIds
    kept = true
  }
  if (Object.keys(output.functionCallItemIds).length > 0) {
    kwargs.functionCallItemIds = output.functionCallItemIds
    kept = true
  }
  if (output.refusal !== "") {
    kwargs.refusal = output.refusal
    kept = true
  }
  return kept ? kwargs : undefined
}

// ---------------------------------------------------------------------------
// usage, finish reason, metadata
// ---------------------------------------------------------------------------

/**
 * `ResponseUsage` to `UsageMetadata`: `input_tokens` (cached included),
 * `input_tokens_details.cached_tokens` as `cacheRead`, `cache_write_tokens` as
 * `cacheCreation`, `output_tokens` (reasoning included),
 * `output_tokens_details.reasoning_tokens` as `reasoning`, `total_tokens`. Absent when
 * the response reports no usage.
 */
export const usageOf = (usage: unknown): Message.UsageMetadata | undefined => {
  if (!isRecord(usage)) return undefined
  const inputTokens = num(usage, "input_tokens")
  const outputTokens = num(usage, "output_tokens")
  if (inputTokens === undefined || outputTokens === undefined) return undefined
  const result: Writable<Message.UsageMetadata> = {
    inputTokens,
    outputTokens,
    totalTokens: num(usage, "total_tokens") ?? inputTokens + outputTokens
  }
  const inputDetails = rec(usage, "input_tokens_details")
  if (inputDetails !== undefined) {
    const details: { cacheRead?: number; cacheCreation?: number } = {}
    const cacheRead = num(inputDetails, "cached_tokens")
    const cacheCreation = num(inputDetails, "cache_write_tokens")
    if (cacheRead !== undefined) details.cacheRead = cacheRead
    if (cacheCreation !== undefined) details.cacheCreation = cacheCreation
    if (cacheRead !== undefined || cacheCreation !== undefined) result.inputTokenDetails = details
  }
  const outputDetails = rec(usage, "output_tokens_details")
  const reasoning = outputDetails === undefined ? undefined : num(outputDetails, "reasoning_tokens")
  if (reasoning !== undefined) result.outputTokenDetails = { reasoning }
  return result
}

/**
 * `status` and `incomplete_details.reason` to a finish reason: `completed` is `stop`
 * (`toolCalls` when the answer has function calls), `incomplete` for
 * `max_output_tokens` is `length`, for `content_filter` `contentFilter`.
 */
export const finishOf = (
  response: Json,
  hasToolCalls: boolean
): { readonly finishReason: Message.FinishReason; readonly rawFinishReason: string } | undefined => {
  const status = str(response, "status")
  if (status === undefined) return undefined
  switch (status) {
    case "completed":
      return { finishReason: hasToolCalls ? "toolCalls" : "stop", rawFinishReason: status }
    case "incomplete": {
      const reason = str(rec(response, "incomplete_details") ?? {}, "reason")
      const finishReason: Message.FinishReason =
        reason === "max_output_tokens" || reason === "max_tokens"
          ? "length"
          : reason === "content_filter"
            ? "contentFilter"
            : "other"
      return { finishReason, rawFinishReason: reason ?? status }
    }
    case "failed":
      return { finishReason: "error", rawFinishReason: status }
    default:
      return { finishReason: "other", rawFinishReason: status }
  }
}

/** The response metadata: id, model, finish reason, service tier. */
export const metadataOf = (response: Json, hasToolCalls: boolean): Message.ResponseMetadata => {
  const metadata: Record<string, unknown> = {}
  const id = str(response, "id")
  const model = str(response, "model")
  const serviceTier = str(response, "service_tier")
  if (id !== undefined) metadata.id = id
  if (model !== undefined) metadata.modelName = model
  const finish = finishOf(response, hasToolCalls)
  if (finish !== undefined) {
    metadata.finishReason = finish.finishReason
    metadata.rawFinishReason = finish.rawFinishReason
  }
  if (serviceTier !== undefined) metadata.serviceTier = serviceTier
  return metadata as Message.ResponseMetadata
}

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/** `ResponseErrorCode`s that are the request's fault (`Provider.errorFromBody` reads the type). */
const badRequestCodes: ReadonlySet<string> = new Set([
  "invalid_prompt",
  "data_residency_mismatch",
  "invalid_image",
  "invalid_image_format",
  "invalid_base64_image",
  "invalid_image_url",
  "image_too_large",
  "image_too_small",
  "image_parse_error",
  "invalid_image_mode",
  "image_file_too_large",
  "unsupported_image_media_type",
  "empty_image_file",
  "failed_to_download_image",
  "image_file_not_found"
])

const contentFilterCodes: ReadonlySet<string> = new Set(["bio_policy", "image_content_policy_violation"])

/**
 * The `ChatError` of a failed response's `error` (`{ code, message }`) or of an `error`
 * event (`{ code, message, param }`): `server_error` a retryable `ServerError`,
 * `rate_limit_exceeded` a `RateLimitError`, invalid prompts and images a
 * `BadRequestError`, policy codes a `ContentFilterError`, unknown codes a `ServerError`.
 */
export const errorOf = (
  error: unknown,
  fallback: string,
  provider: string = defaultProvider
): ChatError.ChatError => {
  if (!isRecord(error)) return Provider.errorFromBody({ provider, body: { error: { message: fallback } } })
  const code = str(error, "code")
  const body: Record<string, unknown> = { message: str(error, "message") ?? fallback }
  if (code !== undefined) body.code = code
  const param = str(error, "param")
  if (param !== undefined) body.param = param
  if (code !== undefined && badRequestCodes.has(code)) body.type = "invalid_request_error"
  if (code !== undefined && contentFilterCodes.has(code)) body.type = "content_filter"
  return Provider.errorFromBody({ provider, body: { error: body } })
}

export const malformed = (
  message: string,
  provider: string = defaultProvider
): ChatError.MalformedResponseError =>
  new ChatError.MalformedResponseError({ message: `${provider} ${message}`, provider })

// ---------------------------------------------------------------------------
// the whole response
// ---------------------------------------------------------------------------

/** A complete response as one chunk (what the stream merges into); `last` marks it final. */
export const responseChunk = (response: Json, last = false): Message.AIMessageChunk => {
  const output = makeOutput()
  const blocks = makeBlocks()
  arr(response, "output").forEach((item, outputIndex) => {
    if (isRecord(item)) addItem(output, blocks, item, outputIndex)
  })
  const hasToolCalls = output.toolCallChunks.length > 0
  const responseMetadata: Record<string, unknown> = { ...metadataOf(response, hasToolCalls) }
  if (output.logprobs.length > 0) responseMetadata.logprobs = output.logprobs
  const fields: Writable<Message.ChunkFields> = {
    content: output.content.length === 0 ? "" : output.content,
    toolCallChunks: output.toolCallChunks,
    responseMetadata: responseMetadata as Message.ResponseMetadata
  }
  const id = str(response, "id")
  const usage = usageOf(response.usage)
  const additionalKwargs = additionalKwargsOf(output)
  if (id !== undefined) fields.id = id
  if (usage !== undefined) fields.usageMetadata = usage
  if (additionalKwargs !== undefined) fields.additionalKwargs = additionalKwargs
  if (last) fields.last = true
  return Message.chunk(fields)
}

/**
 * The body of a non-streaming call to a `ChatResult`; a `failed` response is its typed
 * error, a body that is not a response a `MalformedResponseError`.
 */
export const toResult = (
  body: unknown,
  provider: string = defaultProvider
): Either.Either<ChatModel.ChatResultInput, ChatError.ChatError> => {
  if (!isRecord(body) || !Array.isArray(body.output)) {
    return Either.left(malformed("answered with something that is not a response (no output list)", provider))
  }
  if (str(body, "status") === "failed") {
    return Either.left(errorOf(body.error, `${provider} reported that the response failed`, provider))
  }
  return Either.right({ generations: [{ message: Message.toMessage(responseChunk(body)) }] })
}
