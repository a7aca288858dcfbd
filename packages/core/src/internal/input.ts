/**
 * Coercion of everything a model accepts into messages, validating what is not
 * statically typed.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { InvalidInputError } from "../ChatError.js"
import type { ChatInput, MessageLike } from "../Message.js"
import { isPromptValue } from "../PromptValue.js"

import { Content } from "./content.js"
import {
  AIMessage,
  AIMessageChunk,
  HumanMessage,
  Message,
  makeAI,
  makeHuman,
  makeSystem,
  makeTool,
  SystemMessage,
  ToolMessage
} from "./schema.js"
import type { InvalidToolCall, ToolCall } from "./toolCalls.js"

type Json = Record<string, unknown>
type Result<A> = Either.Either<A, string>

const decodeContent = Schema.decodeUnknownEither(Content, { errors: "first" })
const decodeMessage = Schema.decodeUnknownEither(Message, { errors: "first" })

const isMessageInstance = (value: unknown): value is Message =>
  value instanceof HumanMessage ||
  value instanceof AIMessage ||
  value instanceof SystemMessage ||
  value instanceof ToolMessage ||
  value instanceof AIMessageChunk

const describe = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "an array"
      : typeof value === "object"
        ? "an object"
        : typeof value

const content = (value: unknown): Result<Content> => {
  if (typeof value === "string") return Either.right(value)
  if (value === null || value === undefined) return Either.right("")
  return Either.mapLeft(
    decodeContent(value),
    (error) => `invalid content: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
  )
}

const optionalString = (record: Json, ...keys: ReadonlyArray<string>): Result<string | undefined> => {
  for (const key of keys) {
    const value = record[key]
    if (value === undefined || value === null) continue
    return typeof value === "string"
      ? Either.right(value)
      : Either.left(`"${key}" must be a string, got ${describe(value)}`)
  }
  return Either.right(undefined)
}

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Tool calls in LangChain's shape (`{ id, name, args }`) or OpenAI's (`{ id, function: { name, arguments } }`). */
const toolCalls = (
  value: unknown
): Result<{ readonly valid: Array<ToolCall>; readonly invalid: Array<InvalidToolCall> }> => {
  const valid: Array<ToolCall> = []
  const invalid: Array<InvalidToolCall> = []
  if (value === undefined || value === null) return Either.right({ valid, invalid })
  if (!Array.isArray(value)) return Either.left(`"tool_calls" must be a list, got ${describe(value)}`)
  for (const [position, call] of value.entries()) {
    if (!isRecord(call)) return Either.left(`tool call ${position} must be an object, got ${describe(call)}`)
    const id = typeof call.id === "string" ? call.id : `call_${position}`
    const fn = isRecord(call.function) ? call.function : undefined
    const name = fn !== undefined ? fn.name : call.name
    if (typeof name !== "string") return Either.left(`tool call ${position} has no name`)
    const rawArgs = fn !== undefined ? fn.arguments : call.args
    if (isRecord(rawArgs)) {
      valid.push({ id, name, args: rawArgs })
    } else if (typeof rawArgs === "string" || rawArgs === undefined) {
      const text = rawArgs ?? ""
      try {
        const parsed: unknown = text.trim() === "" ? {} : JSON.parse(text)
        if (isRecord(parsed)) valid.push({ id, name, args: parsed })
        else invalid.push({ id, name, args: text, error: "tool-call arguments are not a JSON object" })
      } catch (error) {
        invalid.push({
          id,
          name,
          args: text,
          error: `tool-call arguments are not valid JSON: ${String(error)}`
        })
      }
    } else {
      return Either.left(`tool call ${position} has arguments of type ${describe(rawArgs)}`)
    }
  }
  return Either.right({ valid, invalid })
}

const roles = "system, developer, human, user, ai, assistant or tool"

const fromRole = (role: unknown, record: Json): Result<Message> => {
  if (typeof role !== "string") return Either.left(`"role" must be a string, got ${describe(role)}`)
  return Either.gen(function* () {
    const body = yield* content(record.content)
    const name = yield* optionalString(record, "name")
    const id = yield* optionalString(record, "id")
    const common = {
      content: body,
      ...(name === undefined ? {} : { name }),
      ...(id === undefined ? {} : { id })
    }
    switch (role) {
      case "system":
        return makeSystem(common)
      case "developer":
        return makeSystem({ ...common, additionalKwargs: { role: "developer" } })
      case "human":
      case "user":
        return makeHuman(common)
      case "ai":
      case "assistant": {
        const calls = yield* toolCalls(record.tool_calls ?? record.toolCalls)
        return makeAI({ ...common, toolCalls: calls.valid, invalidToolCalls: calls.invalid })
      }
      case "tool": {
        const toolCallId = yield* optionalString(record, "tool_call_id", "toolCallId")
        if (toolCallId === undefined) return yield* Either.left(`a tool message needs "tool_call_id"`)
        const status = record.status
        if (status !== undefined && status !== "success" && status !== "error") {
          return yield* Either.left(`"status" must be "success" or "error"`)
        }
        return makeTool({ ...common, toolCallId, ...(status === undefined ? {} : { status }) })
      }
      default:
        return yield* Either.left(`unknown role "${role}": use ${roles}`)
    }
  })
}

const fromOne = (item: unknown): Result<Message> => {
  if (isMessageInstance(item)) return Either.right(item)
  if (typeof item === "string") return Either.right(makeHuman({ content: item }))
  if (Array.isArray(item)) {
    if (item.length !== 2) return Either.left(`a [role, content] pair needs 2 entries, got ${item.length}`)
    return fromRole(item[0], { content: item[1] })
  }
  if (isRecord(item)) {
    if ("role" in item) return fromRole(item.role, item)
    if ("_tag" in item) {
      return Either.mapLeft(decodeMessage(item), (error) => ParseResult.TreeFormatter.formatErrorSync(error))
    }
    return Either.left(`an object message needs a "role" (${roles})`)
  }
  return Either.left(
    `expected a message, a [role, content] pair, a { role, content } object or a string, got ${describe(item)}`
  )
}

const invalid = (message: string) => Either.left(new InvalidInputError({ message }))

export const fromInput = (value: ChatInput): Either.Either<ReadonlyArray<Message>, InvalidInputError> => {
  if (typeof value === "string") return Either.right([makeHuman({ content: value })])
  if (isPromptValue(value)) return Either.right(value.toMessages())
  if (!Array.isArray(value)) {
    return invalid(`expected a string, a PromptValue or a list of messages, got ${describe(value)}`)
  }
  const items: ReadonlyArray<MessageLike> = value
  if (items.length === 0) return invalid("the conversation is empty: give at least one message")
  if (items.every(isMessageInstance)) return Either.right(items as ReadonlyArray<Message>)
  const messages: Array<Message> = []
  for (const [position, item] of items.entries()) {
    const result = fromOne(item)
    if (Either.isLeft(result)) return invalid(`message ${position}: ${result.left}`)
    messages.push(result.right)
  }
  return Either.right(messages)
}
