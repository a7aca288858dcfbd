/**
 * `bindTools` and `runTools`: tools reach the provider as a binding layer, the model's
 * tool calls come back decoded by the tools' Schemas (failures moved to
 * `invalidToolCalls` with the reason), and decoded args are encoded again when the
 * message goes back to a provider in a history.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { ChatError } from "../ChatError.js"
import type { Any as AnyTool, RunOptions, ToolError } from "../Tool.js"
import type { CallOptions, RunToolsOptions } from "./calls.js"
import { fromInput } from "./input.js"
import type { ToolChoice } from "./protocol.js"
import type { Binding } from "./runner.js"
import type { ToolMessage } from "./schema.js"
import { type AIMessage, copy, type Message } from "./schema.js"
import { isDecoded, markDecoded } from "./tool/decoded.js"
import { run as runToolCalls } from "./tool/run.js"
import type { InvalidToolCall, ToolCall } from "./toolCalls.js"

/** Options of `bindTools`. */
export interface BindOptions {
  readonly toolChoice?: ToolChoice
  readonly parallelToolCalls?: boolean
  readonly strict?: boolean
}

const availableNames = (tools: ReadonlyArray<AnyTool>) => tools.map((tool) => tool.name).join(", ")

export const toolBinding = (tools: ReadonlyArray<AnyTool>, options: BindOptions): Binding => {
  const byName = new Map(tools.map((tool) => [tool.name, tool] as const))
  const argsOptions = options.strict === undefined ? {} : { strict: options.strict }

  const transform = (message: AIMessage): AIMessage => {
    if (isDecoded(message)) return message
    if (message.toolCalls.length === 0) return markDecoded(message)
    const toolCalls: Array<ToolCall> = []
    const invalidToolCalls: Array<InvalidToolCall> = [...message.invalidToolCalls]
    for (const call of message.toolCalls) {
      const tool = byName.get(call.name)
      const decoded =
        tool === undefined
          ? Either.left(`unknown tool "${call.name}"; available: ${availableNames(tools)}`)
          : tool.decodeArgs(call.args, argsOptions)
      if (Either.isRight(decoded)) {
        toolCalls.push({ id: call.id, name: call.name, args: decoded.right as ToolCall["args"] })
      } else {
        invalidToolCalls.push({
          id: call.id,
          name: call.name,
          args: JSON.stringify(call.args),
          error: decoded.left
        })
      }
    }
    return markDecoded(copy(message, { toolCalls, invalidToolCalls }))
  }

  const encode = (message: AIMessage): AIMessage => {
    const toolCalls = message.toolCalls.map((call) => {
      const tool = byName.get(call.name)
      if (tool === undefined) return call
      const encoded = tool.encodeArgs(call.args, argsOptions)
      return Either.isRight(encoded) ? { ...call, args: encoded.right } : call
    })
    return copy(message, { toolCalls })
  }

  const prepare = (messages: ReadonlyArray<Message>): ReadonlyArray<Message> =>
    messages.some((message) => message._tag === "AIMessage" && isDecoded(message))
      ? messages.map((message) =>
          message._tag === "AIMessage" && isDecoded(message) ? encode(message) : message
        )
      : messages

  const binding: {
    -readonly [K in keyof Binding]: Binding[K]
  } = {
    tools: tools.map((tool) => tool.definition(argsOptions)),
    transform,
    prepare
  }
  if (options.toolChoice !== undefined) binding.toolChoice = options.toolChoice
  if (options.parallelToolCalls !== undefined) binding.parallelToolCalls = options.parallelToolCalls
  return binding
}

const defaultMaxSteps = 10

/**
 * The tool loop: call the model (with the tools bound), run the calls of its answer,
 * call again with the results, until an answer without tool calls or `maxSteps` model
 * calls. Emits each AI message, then its tool messages.
 */
export const runTools = <R>(
  invoke: (messages: ReadonlyArray<Message>, options: CallOptions) => Effect.Effect<AIMessage, ChatError>,
  input: Parameters<typeof fromInput>[0],
  options: RunToolsOptions<ReadonlyArray<AnyTool>>
): Stream.Stream<Message, ChatError | ToolError, R> => {
  const {
    tools,
    maxSteps = defaultMaxSteps,
    failureMode,
    toolConcurrency,
    // the binding's options (applied by the caller), not the calls'
    toolChoice: _toolChoice,
    parallelToolCalls: _parallelToolCalls,
    strict: _strict,
    ...callOptions
  } = options
  const runOptions: { -readonly [K in keyof RunOptions]: RunOptions[K] } = {}
  if (failureMode !== undefined) runOptions.failureMode = failureMode
  if (toolConcurrency !== undefined) runOptions.concurrency = toolConcurrency
  const messages = fromInput(input)
  if (Either.isLeft(messages)) return Stream.fail(messages.left)
  type State = { readonly history: ReadonlyArray<Message>; readonly step: number }
  const step = (
    state: State
  ): Effect.Effect<readonly [Chunk.Chunk<Message>, Option.Option<State>], ChatError | ToolError, R> =>
    Effect.gen(function* () {
      const answer = yield* invoke(state.history, callOptions)
      const done = answer.toolCalls.length === 0 && answer.invalidToolCalls.length === 0
      if (done || state.step >= maxSteps) return [Chunk.of<Message>(answer), Option.none()] as const
      const results = yield* runToolCalls(answer, tools, runOptions) as Effect.Effect<
        ReadonlyArray<ToolMessage>,
        ToolError,
        R
      >
      const produced: ReadonlyArray<Message> = [answer, ...results]
      return [
        Chunk.fromIterable(produced),
        Option.some({ history: [...state.history, ...produced], step: state.step + 1 })
      ] as const
    })
  return Stream.paginateChunkEffect({ history: messages.right, step: 1 }, step)
}
