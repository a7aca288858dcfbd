/**
 * `Tool.run`: executes the tool calls of an AI message (concurrently, bounded) into
 * tool messages, one per call, in the order of the calls.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import type { Any } from "../../Tool.js"
import type { AIMessage, ToolMessage } from "../schema.js"
import { makeTool } from "../schema.js"
import type { InvalidToolCall, ToolCall } from "../toolCalls.js"
import { formatParseError } from "./codec.js"
import { isDecoded } from "./decoded.js"
import { ToolError } from "./error.js"
import type { RunOptions } from "./types.js"

type Kind = ToolError["kind"]

const stringify = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? ""
  } catch {
    return String(value)
  }
}

/** The text a handler's failure becomes: encoded by the failure schema when it can be. */
export const failureText = (error: unknown, schema: Schema.Schema.AnyNoContext): string => {
  const encoded = Either.getOrElse(Schema.encodeEither(schema)(error), () => error)
  if (typeof encoded === "string") return encoded
  if (encoded instanceof Error) {
    const tag =
      Predicate.hasProperty(encoded, "_tag") && typeof encoded._tag === "string" ? encoded._tag : encoded.name
    if (encoded.message !== "") return `${tag}: ${encoded.message}`
    const fields = Object.entries(encoded).filter(([key]) => key !== "_tag")
    return fields.length === 0 ? tag : `${tag} ${stringify(Object.fromEntries(fields))}`
  }
  return stringify(encoded)
}

/** The content of a tool message for a handler's result: strings as is, the rest as JSON. */
export const resultContent = (
  value: unknown,
  schema: Schema.Schema.AnyNoContext
): Either.Either<string, string> =>
  typeof value === "string"
    ? Either.right(value)
    : Either.map(Either.mapLeft(Schema.encodeEither(schema)(value), formatParseError), (encoded) =>
        typeof encoded === "string" ? encoded : encoded === undefined ? "" : stringify(encoded)
      )

/** Runs the tool calls of a message. */
export const run = (
  message: AIMessage,
  tools: ReadonlyArray<Any>,
  options?: RunOptions
): Effect.Effect<ReadonlyArray<ToolMessage>, ToolError, unknown> => {
  const failureMode = options?.failureMode ?? "return"
  const strict = options?.strict === true
  const concurrency = Math.max(1, Math.floor(options?.concurrency ?? 8))
  const decoded = isDecoded(message)
  const byName = new Map<string, Any>()
  for (const tool of tools) if (!byName.has(tool.name)) byName.set(tool.name, tool)
  const available = byName.size === 0 ? "(none)" : [...byName.keys()].join(", ")

  const problem = (
    toolCallId: string,
    toolName: string,
    kind: Kind,
    reason: string,
    cause?: unknown
  ): Effect.Effect<ToolMessage, ToolError> => {
    if (failureMode === "fail") {
      return Effect.fail(
        new ToolError(
          cause === undefined
            ? { toolName, toolCallId, kind, reason }
            : { toolName, toolCallId, kind, reason, cause }
        )
      )
    }
    const mistake = kind === "UnknownTool" || kind === "InvalidArguments" || kind === "InvalidToolCall"
    const content = `Error: ${reason}${mistake ? "\nPlease fix your mistakes." : ""}`
    return Effect.succeed(
      makeTool(
        toolName === ""
          ? { toolCallId, content, status: "error" }
          : { toolCallId, name: toolName, content, status: "error" }
      )
    )
  }

  const runCall = (call: ToolCall): Effect.Effect<ToolMessage, ToolError, unknown> => {
    const tool = byName.get(call.name)
    if (tool === undefined) {
      return problem(
        call.id,
        call.name,
        "UnknownTool",
        `unknown tool "${call.name}"; available: ${available}`
      )
    }
    const args = decoded ? Either.right(call.args) : tool.decodeArgs(call.args, { strict })
    if (Either.isLeft(args)) {
      return problem(
        call.id,
        call.name,
        "InvalidArguments",
        `invalid arguments for tool "${call.name}":\n${args.left}`
      )
    }
    const handler = tool.handler
    if (handler === undefined) {
      return problem(call.id, call.name, "MissingHandler", `tool "${call.name}" has no handler`)
    }
    return Effect.matchEffect(
      Effect.suspend(() => handler(args.right)),
      {
        onFailure: (error) =>
          problem(call.id, call.name, "HandlerFailed", failureText(error, tool.failure), error),
        onSuccess: (value) =>
          Either.match(resultContent(value, tool.success), {
            onLeft: (issue) =>
              problem(
                call.id,
                call.name,
                "InvalidResult",
                `the result of tool "${call.name}" does not match its success schema:\n${issue}`
              ),
            onRight: (content) =>
              Effect.succeed(
                makeTool(
                  value === undefined
                    ? { toolCallId: call.id, name: call.name, content, status: "success" }
                    : { toolCallId: call.id, name: call.name, content, status: "success", artifact: value }
                )
              )
          })
      }
    )
  }

  const runInvalid = (call: InvalidToolCall & { readonly id: string }) =>
    problem(
      call.id,
      call.name ?? "",
      "InvalidToolCall",
      call.name === undefined
        ? `invalid tool call: ${call.error}`
        : `invalid call to tool "${call.name}": ${call.error}`
    )

  const work: Array<Effect.Effect<ToolMessage, ToolError, unknown>> = message.toolCalls.map(runCall)
  for (const call of message.invalidToolCalls) {
    if (call.id !== undefined) work.push(runInvalid({ ...call, id: call.id }))
  }
  return Effect.forEach(work, (effect) => effect, { concurrency })
}
