/**
 * The error of running tools with `failureMode: "fail"` (re-exported by the `Tool` module).
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * Why a tool call could not produce a result.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 *
 * const kind: typeof Tool.ToolErrorKind.Type = "UnknownTool"
 * ```
 *
 * @since 0.1.0
 */
export const ToolErrorKind = Schema.Literal(
  "UnknownTool",
  "InvalidArguments",
  "InvalidToolCall",
  "MissingHandler",
  "HandlerFailed",
  "InvalidResult"
)

/**
 * A tool call failed: the model named an unknown tool, sent arguments that do not
 * decode, the call could not be parsed, the tool has no handler, or the handler failed.
 * `cause` holds the handler's failure when there is one.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 *
 * const error = new Tool.ToolError({
 *   toolName: "weather",
 *   toolCallId: "call_1",
 *   kind: "UnknownTool",
 *   reason: "unknown tool \"weather\"; available: search"
 * })
 * console.log(error.message)
 * ```
 *
 * @since 0.1.0
 */
export class ToolError extends Schema.TaggedError<ToolError>("@effect-chat/core/ToolError")("ToolError", {
  toolName: Schema.String,
  toolCallId: Schema.String,
  kind: ToolErrorKind,
  reason: Schema.String,
  cause: Schema.optionalWith(Schema.Defect, { exact: true })
}) {
  override get message(): string {
    return `tool "${this.toolName}" (call ${this.toolCallId}): ${this.reason}`
  }
}
