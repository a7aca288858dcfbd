/**
 * Merging streamed chunks (LangChain's `merge_content`, `merge_lists` and
 * `add_usage`, made associative) and finishing them into messages.
 *
 * @internal
 */

import type { Content, ContentBlock } from "./content.js"
import { parsePartial } from "./partialJson.js"
import {
  type AIFields,
  type AIMessage,
  type AIMessageChunk,
  type ChunkFields,
  type ChunkInit,
  emptyList,
  makeAI,
  makeChunkUnchecked,
  type UsageMetadata
} from "./schema.js"
import type { InvalidToolCall, ToolCall, ToolCallChunk } from "./toolCalls.js"

type Json = Record<string, unknown>
type Writable<T> = { -readonly [K in keyof T]: T[K] }

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A wire index may be a number or a numeric string; anything else is no index. */
export const toIndex = (index: unknown): number | undefined => {
  if (typeof index === "number") return Number.isFinite(index) ? index : undefined
  if (typeof index === "string" && index.trim() !== "") {
    const parsed = Number(index)
    return Number.isFinite(parsed) ? parsed : undefined
  }
  return undefined
}

// Read once: `makeChunk` runs for every streamed chunk, and where the package runs
// transpiled to CommonJS (tsx, vitest) each use of an imported name is a getter call.
const newChunk = makeChunkUnchecked

const hasStringIndex = (pieces: NonNullable<ChunkFields["toolCallChunks"]>): boolean => {
  for (const piece of pieces) if (typeof piece.index === "string") return true
  return false
}

export const makeChunk = (fields: ChunkFields): AIMessageChunk => {
  const pieces = fields.toolCallChunks
  if (pieces === undefined || !hasStringIndex(pieces)) return newChunk(fields as ChunkInit)
  const toolCallChunks = pieces.map((piece): ToolCallChunk => {
    const { index, ...rest } = piece
    const numeric = toIndex(index)
    return numeric === undefined ? rest : { ...rest, index: numeric }
  })
  return makeChunkUnchecked({ ...fields, toolCallChunks })
}

/** Whether a chunk carries anything a caller could see (text, blocks, tool calls). */
export const hasContent = (chunk: AIMessageChunk): boolean =>
  chunk.content.length > 0 || chunk.toolCallChunks.length > 0 || chunk.invalidToolCalls.length > 0

export const contentText = (content: Content): string => {
  if (typeof content === "string") return content
  let text = ""
  for (const block of content) if (block.type === "text") text += block.text
  return text
}

// ---------------------------------------------------------------------------
// content
// ---------------------------------------------------------------------------

const concatenatedBlockKeys: ReadonlySet<string> = new Set([
  "text",
  "reasoning",
  "signature",
  "encrypted",
  "data"
])

const mergeBlock = (left: ContentBlock, right: ContentBlock): ContentBlock => {
  const merged: Json = { ...left }
  for (const [key, value] of Object.entries(right)) {
    if (value === undefined || key === "type" || key === "index") continue
    const previous = merged[key]
    merged[key] =
      concatenatedBlockKeys.has(key) && typeof previous === "string" && typeof value === "string"
        ? previous + value
        : value
  }
  return merged as ContentBlock
}

const isPlainText = (block: ContentBlock | undefined): block is Extract<ContentBlock, { type: "text" }> =>
  block !== undefined && block.type === "text" && block.index === undefined

const findLast = <A>(items: ReadonlyArray<A>, predicate: (item: A) => boolean): number => {
  for (let at = items.length - 1; at >= 0; at--) if (predicate(items[at]!)) return at
  return -1
}

/** Blocks with an index join the latest block with that index and type (a left-to-right process, hence associative). */
const mergeBlocks = (left: ReadonlyArray<ContentBlock>, right: ReadonlyArray<ContentBlock>) => {
  if (right.length === 0) return left
  if (left.length === 0) return right
  const result = left.slice()
  for (const block of right) {
    if (block.index !== undefined) {
      const at = findLast(result, (other) => other.index === block.index && other.type === block.type)
      if (at !== -1) {
        result[at] = mergeBlock(result[at]!, block)
        continue
      }
    } else if (block.type === "text") {
      const last = result[result.length - 1]
      if (isPlainText(last)) {
        result[result.length - 1] = { ...last, text: last.text + block.text }
        continue
      }
    }
    result.push(block)
  }
  return result
}

const mergeContent = (left: Content, right: Content): Content => {
  if (typeof left === "string" && typeof right === "string") return left + right
  if (right === "") return left
  if (left === "") return right
  const leftBlocks: ReadonlyArray<ContentBlock> =
    typeof left === "string" ? [{ type: "text", text: left }] : left
  const rightBlocks: ReadonlyArray<ContentBlock> =
    typeof right === "string" ? [{ type: "text", text: right }] : right
  return mergeBlocks(leftBlocks, rightBlocks)
}

// ---------------------------------------------------------------------------
// tool-call chunks
// ---------------------------------------------------------------------------

const mergeToolCallChunk = (left: ToolCallChunk, right: ToolCallChunk): ToolCallChunk => {
  const merged: Writable<ToolCallChunk> = {}
  const id = left.id ?? right.id
  const name = left.name ?? right.name
  const args =
    left.args === undefined ? right.args : right.args === undefined ? left.args : left.args + right.args
  const index = left.index ?? right.index
  if (id !== undefined) merged.id = id
  if (name !== undefined) merged.name = name
  if (args !== undefined) merged.args = args
  if (index !== undefined) merged.index = index
  return merged
}

/**
 * Pieces with an index join the latest call with that index; a piece that carries an id
 * joins only a call with the same id and otherwise starts a new call (some
 * OpenAI-compatible servers send parallel calls all at index 0, told apart by id).
 * Pieces without an index join the call with the same id, or the last open call when
 * they carry no id. Seen as a left-to-right process over pieces, this is associative.
 */
const mergeToolCallChunks = (left: ReadonlyArray<ToolCallChunk>, right: ReadonlyArray<ToolCallChunk>) => {
  if (right.length === 0) return left
  if (left.length === 0) return right
  const result = left.slice()
  for (const piece of right) {
    let at: number
    if (piece.index !== undefined) at = findLast(result, (call) => call.index === piece.index)
    else if (piece.id !== undefined) at = findLast(result, (call) => call.id === piece.id)
    else at = result.length - 1
    const target = at === -1 ? undefined : result[at]
    if (target === undefined || (piece.id !== undefined && target.id !== piece.id)) {
      result.push(piece)
    } else {
      result[at] = mergeToolCallChunk(target, piece)
    }
  }
  return result
}

// ---------------------------------------------------------------------------
// usage and metadata
// ---------------------------------------------------------------------------

const addCounts = <T extends Record<string, number | undefined>>(
  left: T | undefined,
  right: T | undefined
): T | undefined => {
  if (left === undefined) return right
  if (right === undefined) return left
  const sum: Record<string, number> = {}
  for (const [key, value] of Object.entries(left)) if (value !== undefined) sum[key] = value
  for (const [key, value] of Object.entries(right))
    if (value !== undefined) sum[key] = (sum[key] ?? 0) + value
  return sum as T
}

/** Adds two usage records field by field (absent stays absent). */
export const addUsage = (
  left: UsageMetadata | undefined,
  right: UsageMetadata | undefined
): UsageMetadata | undefined => {
  if (left === undefined) return right
  if (right === undefined) return left
  const usage: Writable<UsageMetadata> = {
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    totalTokens: left.totalTokens + right.totalTokens
  }
  const inputTokenDetails = addCounts(left.inputTokenDetails, right.inputTokenDetails)
  const outputTokenDetails = addCounts(left.outputTokenDetails, right.outputTokenDetails)
  if (inputTokenDetails !== undefined) usage.inputTokenDetails = inputTokenDetails
  if (outputTokenDetails !== undefined) usage.outputTokenDetails = outputTokenDetails
  return usage
}

/**
 * Deep merge: records merge key by key, arrays concatenate, strings concatenate when
 * `concatStrings` (additional kwargs, streamed piecewise) and otherwise the later defined
 * value wins (response metadata repeats `modelName` on every chunk).
 */
const mergeRecords = (left: Json, right: Json, concatStrings: boolean): Json => {
  const merged: Json = { ...left }
  for (const [key, value] of Object.entries(right)) {
    if (value === undefined) continue
    const previous = merged[key]
    if (isRecord(previous) && isRecord(value)) merged[key] = mergeRecords(previous, value, concatStrings)
    else if (Array.isArray(previous) && Array.isArray(value)) merged[key] = [...previous, ...value]
    else if (concatStrings && typeof previous === "string" && typeof value === "string")
      merged[key] = previous + value
    else merged[key] = value
  }
  return merged
}

const isEmpty = (record: Json): boolean => {
  for (const _ in record) return false
  return true
}

const mergeOptionalRecords = (left: Json | undefined, right: Json | undefined, concatStrings: boolean) =>
  right === undefined
    ? left
    : left === undefined
      ? right
      : isEmpty(right)
        ? left
        : isEmpty(left)
          ? right
          : mergeRecords(left, right, concatStrings)

// ---------------------------------------------------------------------------
// concat, toMessage, toChunk
// ---------------------------------------------------------------------------

export const concat = (self: AIMessageChunk, that: AIMessageChunk): AIMessageChunk => {
  const fields: Writable<ChunkInit> = {
    content: mergeContent(self.content, that.content),
    toolCallChunks: mergeToolCallChunks(self.toolCallChunks, that.toolCallChunks),
    invalidToolCalls:
      that.invalidToolCalls.length === 0
        ? self.invalidToolCalls
        : self.invalidToolCalls.length === 0
          ? that.invalidToolCalls
          : [...self.invalidToolCalls, ...that.invalidToolCalls],
    responseMetadata: mergeOptionalRecords(self.responseMetadata, that.responseMetadata, false) ?? {}
  }
  const id = self.id ?? that.id
  const name = self.name ?? that.name
  const additionalKwargs = mergeOptionalRecords(self.additionalKwargs, that.additionalKwargs, true)
  const usageMetadata = addUsage(self.usageMetadata, that.usageMetadata)
  if (id !== undefined) fields.id = id
  if (name !== undefined) fields.name = name
  if (additionalKwargs !== undefined) fields.additionalKwargs = additionalKwargs
  if (usageMetadata !== undefined) fields.usageMetadata = usageMetadata
  if (self.last === true || that.last === true) fields.last = true
  return makeChunkUnchecked(fields)
}

const parseArgs = (raw: string | undefined): { readonly args: Json } | { readonly error: string } => {
  if (raw === undefined || raw.trim() === "") return { args: {} }
  try {
    const parsed: unknown = JSON.parse(raw)
    return isRecord(parsed) ? { args: parsed } : { error: "tool-call arguments are not a JSON object" }
  } catch (error) {
    return {
      error: `tool-call arguments are not valid JSON: ${error instanceof Error ? error.message : error}`
    }
  }
}

export const toMessage = (chunk: AIMessageChunk): AIMessage => {
  const toolCalls: Array<ToolCall> = []
  const invalidToolCalls: Array<InvalidToolCall> = [...chunk.invalidToolCalls]
  chunk.toolCallChunks.forEach((piece, position) => {
    const id = piece.id ?? `call_${position}`
    const parsed = parseArgs(piece.args)
    if (piece.name === undefined || piece.name === "") {
      invalidToolCalls.push(withDefined({ id, args: piece.args, error: "tool call has no name" }))
    } else if ("error" in parsed) {
      invalidToolCalls.push(withDefined({ id, name: piece.name, args: piece.args, error: parsed.error }))
    } else {
      toolCalls.push({ id, name: piece.name, args: parsed.args })
    }
  })
  let responseMetadata = chunk.responseMetadata
  if (toolCalls.length > 0 && responseMetadata.finishReason !== "toolCalls") {
    responseMetadata = { ...responseMetadata, finishReason: "toolCalls" }
  }
  const fields: Writable<AIFields> = {
    content: chunk.content,
    toolCalls: toolCalls.length === 0 ? emptyList : toolCalls,
    invalidToolCalls: invalidToolCalls.length === 0 ? emptyList : invalidToolCalls,
    responseMetadata
  }
  if (chunk.id !== undefined) fields.id = chunk.id
  if (chunk.name !== undefined) fields.name = chunk.name
  if (chunk.additionalKwargs !== undefined) fields.additionalKwargs = chunk.additionalKwargs
  if (chunk.usageMetadata !== undefined) fields.usageMetadata = chunk.usageMetadata
  return makeAI(fields)
}

export const partialToolCalls = (chunk: AIMessageChunk) =>
  chunk.toolCallChunks.map((piece) => {
    const text = piece.args ?? ""
    const whole = text.trim() === "" ? undefined : parseArgs(text)
    let args: Readonly<Record<string, unknown>>
    let complete = false
    if (whole !== undefined && "args" in whole) {
      args = whole.args
      complete = true
    } else {
      const partial = parsePartial(text)?.value
      args = isRecord(partial) ? partial : {}
    }
    const call: { id?: string; name?: string; index?: number; args: typeof args; complete: boolean } = {
      args,
      complete
    }
    if (piece.id !== undefined) call.id = piece.id
    if (piece.name !== undefined) call.name = piece.name
    if (piece.index !== undefined) call.index = piece.index
    return call
  })

export const toChunk = (message: AIMessage): AIMessageChunk => {
  const fields: Writable<ChunkInit> = {
    content: message.content,
    toolCallChunks: message.toolCalls.map((call, index) => ({
      id: call.id,
      name: call.name,
      args: JSON.stringify(call.args),
      index
    })),
    invalidToolCalls: message.invalidToolCalls,
    responseMetadata: message.responseMetadata,
    last: true
  }
  if (message.id !== undefined) fields.id = message.id
  if (message.name !== undefined) fields.name = message.name
  if (message.additionalKwargs !== undefined) fields.additionalKwargs = message.additionalKwargs
  if (message.usageMetadata !== undefined) fields.usageMetadata = message.usageMetadata
  return makeChunkUnchecked(fields)
}

/** Drops the keys whose value is `undefined` (exact optional properties). */
export const withDefined = <T extends object>(record: T): { [K in keyof T]: Exclude<T[K], undefined> } => {
  const out: Json = {}
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value
  return out as { [K in keyof T]: Exclude<T[K], undefined> }
}
