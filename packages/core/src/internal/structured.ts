/**
 * Structured output: a model bound to answer in a shape (a provider-native JSON Schema
 * response format, a forced tool, or JSON mode with the schema in the prompt), and the
 * parsing of its answers into the Schema's type, in one piece or streamed as partial
 * objects (linear in the output: an incremental parser fed with the deltas).
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import * as Stream from "effect/Stream"
import { type ChatError, StructuredOutputError } from "../ChatError.js"
import type { ChatInput } from "../Message.js"
import type { Method, Model, Options, Part, WithRaw } from "../StructuredOutput.js"
import * as Tool from "../Tool.js"
import type { BatchOptions, CallOptions, Service } from "./calls.js"
import { concat, contentText, toMessage } from "./merge.js"
import { makeIncremental } from "./partialJson.js"
import type { Binding } from "./runner.js"
import {
  type AIMessage,
  type AIMessageChunk,
  type Message,
  makeChunkUnchecked,
  makeSystem
} from "./schema.js"
import { modify } from "./service.js"
import { isDecoded } from "./tool/decoded.js"
import { toolBinding } from "./tools.js"

export const TypeId: unique symbol = Symbol.for("@effect-chat/core/StructuredOutput")

type Failure = ChatError | StructuredOutputError

/** How answers of one structured model are read. */
interface Reader<A> {
  readonly source: "text" | "toolArgs"
  readonly parse: (message: AIMessage) => Either.Either<A, StructuredOutputError>
}

const fence = /^\s*```[a-zA-Z]*\s*\n?([\s\S]*?)\n?\s*```\s*$/

/** The JSON text of an answer, without the Markdown code fence models sometimes add. */
const jsonText = (text: string): string => {
  const fenced = fence.exec(text)
  return fenced === null ? text.trim() : fenced[1]!.trim()
}

const refusalOf = (message: AIMessage): string | undefined => {
  const refusal = message.additionalKwargs?.refusal
  return typeof refusal === "string" && refusal !== "" ? refusal : undefined
}

const parseError = (message: string, raw: string) =>
  new StructuredOutputError({ message, raw, retryable: true })

const readText =
  <A>(tool: Tool.Tool<string, A>, strict: boolean) =>
  (message: AIMessage) => {
    const refusal = refusalOf(message)
    if (refusal !== undefined) {
      return Either.left(new StructuredOutputError({ message: `the model refused: ${refusal}`, refusal }))
    }
    const raw = contentText(message.content)
    const text = jsonText(raw)
    if (text === "") return Either.left(parseError("the model's answer is empty", raw))
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return Either.left(parseError(`the model's answer is not valid JSON: ${String(error)}`, raw))
    }
    return Either.mapLeft(tool.decodeArgs(json, { strict }), (issue) =>
      parseError(`the model's answer does not match the schema: ${issue}`, raw)
    )
  }

const readToolCall =
  <A>(tool: Tool.Tool<string, A>, strict: boolean) =>
  (message: AIMessage) => {
    const refusal = refusalOf(message)
    if (refusal !== undefined) {
      return Either.left(new StructuredOutputError({ message: `the model refused: ${refusal}`, refusal }))
    }
    const call = message.toolCalls.find((candidate) => candidate.name === tool.name)
    if (call !== undefined) {
      const raw = JSON.stringify(call.args)
      return isDecoded(message)
        ? Either.right(call.args as A)
        : Either.mapLeft(tool.decodeArgs(call.args, { strict }), (issue) =>
            parseError(`the tool-call arguments do not match the schema: ${issue}`, raw)
          )
    }
    const invalid = message.invalidToolCalls.find((candidate) => candidate.name === tool.name)
    if (invalid !== undefined) return Either.left(parseError(invalid.error, invalid.args ?? ""))
    return Either.left(
      parseError(`the model did not call the "${tool.name}" tool`, contentText(message.content))
    )
  }

/** The AST that carries a Schema's own annotations (a class's are on its type side). */
const annotated = (schema: Schema.Schema.AnyNoContext): SchemaAST.AST =>
  SchemaAST.isTransformation(schema.ast) ? schema.ast.to : schema.ast

const outputName = (schema: Schema.Schema.AnyNoContext, name: string | undefined): string => {
  const identifier = Option.getOrUndefined(SchemaAST.getIdentifierAnnotation(annotated(schema)))
  const base = name ?? identifier ?? "output"
  const cleaned = base.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64)
  return cleaned === "" ? "output" : cleaned
}

const describe = (schema: Schema.Schema.AnyNoContext): string | undefined =>
  Option.getOrUndefined(SchemaAST.getDescriptionAnnotation(annotated(schema)))

export const defaultMethod = (model: Service): Method =>
  model.profile.structuredOutput ? "jsonSchema" : model.profile.toolCalling ? "functionCalling" : "jsonMode"

const jsonModeInstruction = (jsonSchema: Readonly<Record<string, unknown>>) =>
  `Respond only with a JSON object (no prose, no code fence) that matches this JSON Schema:\n${JSON.stringify(jsonSchema)}`

/** The binding and the reader of a method. */
const plan = <A>(
  schema: Schema.Schema<A, unknown>,
  method: Method,
  name: string,
  strictOption: boolean | undefined
): { readonly binding: Binding; readonly reader: Reader<A> } => {
  const description = describe(schema) ?? `The ${name} to produce`
  const tool = Tool.make(name, {
    description,
    parameters: schema as Schema.Schema<A, unknown>
  }) as unknown as Tool.Tool<string, A>
  switch (method) {
    case "jsonSchema": {
      const strict = strictOption ?? true
      const definition = tool.definition({ strict })
      return {
        binding: {
          responseFormat: {
            type: "jsonSchema",
            name,
            schema: definition.parameters,
            strict,
            ...(describe(schema) === undefined ? {} : { description: describe(schema)! })
          }
        },
        reader: { source: "text", parse: readText(tool, strict) }
      }
    }
    case "functionCalling": {
      const strict = strictOption ?? false
      return {
        binding: toolBinding([tool], { toolChoice: name, strict, parallelToolCalls: false }),
        reader: { source: "toolArgs", parse: readToolCall(tool, strict) }
      }
    }
    case "jsonMode": {
      const instruction = makeSystem({ content: jsonModeInstruction(tool.jsonSchema) })
      return {
        binding: {
          responseFormat: { type: "json" },
          prepare: (messages: ReadonlyArray<Message>) => [instruction, ...messages]
        },
        reader: { source: "text", parse: readText(tool, false) }
      }
    }
  }
}

// ---------------------------------------------------------------------------
// the structured model
// ---------------------------------------------------------------------------

interface State<A> {
  readonly model: Service
  readonly reader: Reader<unknown>
  readonly includeRaw: boolean
  readonly wrap: <X>(effect: Effect.Effect<X, Failure>) => Effect.Effect<X, Failure>
  readonly wrapStream: <X>(stream: Stream.Stream<X, Failure>) => Stream.Stream<X, Failure>
  readonly _A?: A
}

const Proto = {
  [TypeId]: TypeId,
  pipe() {
    // biome-ignore lint/complexity/noArguments: pipeArguments reads the arguments object
    return pipeArguments(this, arguments)
  }
}

export const isModel = (value: unknown): value is Model<unknown> =>
  typeof value === "object" && value !== null && TypeId in value

const StateId: unique symbol = Symbol.for("@effect-chat/core/StructuredOutput/State")
const stateOfModel = <A>(model: Model<A>): State<A> =>
  (model as unknown as { readonly [StateId]: State<A> })[StateId]

const finish = <A>(state: State<A>, message: AIMessage): Effect.Effect<A, Failure> => {
  const parsed = state.reader.parse(message)
  if (state.includeRaw) {
    const withRaw: WithRaw<unknown> = {
      raw: message,
      parsed: Either.getRight(parsed),
      parsingError: Either.getLeft(parsed)
    }
    return Effect.succeed(withRaw as A)
  }
  return Either.isRight(parsed) ? Effect.succeed(parsed.right as A) : Effect.fail(parsed.left)
}

/** The text or tool-call argument delta of a chunk. */
const deltaOf = (
  source: Reader<unknown>["source"],
  chunk: AIMessageChunk,
  toolIndex: { value: number | undefined }
) => {
  if (source === "text") return contentText(chunk.content)
  let delta = ""
  for (const piece of chunk.toolCallChunks) {
    const index = piece.index ?? 0
    if (toolIndex.value === undefined) toolIndex.value = index
    if (index === toolIndex.value && piece.args !== undefined) delta += piece.args
  }
  return delta
}

/**
 * Structural equality of two JSON values. Snapshots of the incremental parser share
 * their finished subtrees, so the reference check cuts the walk short: only the open
 * path is compared.
 */
const sameValue = (left: unknown, right: unknown): boolean => {
  if (left === right) return true
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) return false
  if (Array.isArray(left)) {
    return (
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, at) => sameValue(item, right[at]))
    )
  }
  if (Array.isArray(right)) return false
  const leftKeys = Object.keys(left)
  const rightRecord = right as Record<string, unknown>
  return (
    leftKeys.length === Object.keys(right).length &&
    leftKeys.every(
      (key) => key in rightRecord && sameValue((left as Record<string, unknown>)[key], rightRecord[key])
    )
  )
}

/** How many members a snapshot may copy per character received since the last one. */
const snapshotBudget = 8

const streamParts = <A>(
  state: State<A>,
  input: ChatInput,
  options?: CallOptions
): Stream.Stream<Part<A>, Failure> =>
  Stream.suspend(() => {
    const parser = makeIncremental()
    const toolIndex: { value: number | undefined } = { value: undefined }
    let merged = makeChunkUnchecked({ content: "" })
    let started = false
    let lead = ""
    let previous: unknown
    // snapshots copy the open containers: one is taken only when the characters that
    // arrived since the last one pay for it, so the whole stream stays linear
    let credit = 0
    const partials = Stream.mapChunks(state.model.stream(input, options), (chunk): Chunk.Chunk<Part<A>> => {
      for (const item of chunk) {
        merged = concat(merged, item)
        let delta = deltaOf(state.reader.source, item, toolIndex)
        if (!started) {
          // the text before the JSON is held until it is known: a leading Markdown fence
          // (which may arrive split, "```" then "json" then a newline) is skipped
          lead += delta
          const trimmed = lead.trimStart()
          if (trimmed === "") continue
          if (trimmed.startsWith("`")) {
            const newline = trimmed.indexOf("\n")
            if (newline === -1) continue
            delta = trimmed.slice(newline + 1)
          } else {
            delta = trimmed
          }
          started = true
          lead = ""
        }
        if (!parser.complete) {
          parser.push(delta)
          credit += delta.length
        }
      }
      if (parser.snapshotCost > snapshotBudget * credit) return Chunk.empty()
      credit = 0
      const value = parser.value
      if (value === undefined || sameValue(value, previous)) return Chunk.empty()
      previous = value
      return Chunk.of({ _tag: "Partial", value })
    })
    const complete = Stream.fromEffect(
      Effect.map(
        Effect.suspend(() => finish(state, toMessage(merged))),
        (value): Part<A> => ({ _tag: "Complete", value })
      )
    )
    return Stream.concat(partials, complete)
  })

export const build = <A>(state: State<A>): Model<A> => {
  const invoke = (input: ChatInput, options?: CallOptions): Effect.Effect<A, Failure> =>
    state.wrap(Effect.flatMap(state.model.invoke(input, options), (message) => finish(state, message)))
  const stream = (input: ChatInput, options?: CallOptions) =>
    state.wrapStream(streamParts(state, input, options))
  const batch = (inputs: ReadonlyArray<ChatInput>, options?: BatchOptions) =>
    Effect.forEach(inputs, (input) => invoke(input, options), { concurrency: options?.concurrency ?? 8 })
  const model = Object.create(Proto)
  Object.assign(model, { [StateId]: state, invoke, stream, batch })
  return model
}

export const make = <A, I>(
  model: Service,
  schema: Schema.Schema<A, I>,
  options: Options = {}
): Model<unknown> => {
  const method = options.method ?? defaultMethod(model)
  const name = outputName(schema as Schema.Schema.AnyNoContext, options.name)
  const { binding, reader } = plan(schema as Schema.Schema<A, unknown>, method, name, options.strict)
  const bound = modify(model, (current) => ({ ...current, bindings: [...current.bindings, binding] }))
  return build<unknown>({
    model: bound,
    reader: reader as Reader<unknown>,
    includeRaw: options.includeRaw === true,
    wrap: (effect) => effect,
    wrapStream: (stream) => stream
  })
}

/** A structured model whose calls and streams are wrapped (retries). */
export const wrapWith = <A>(
  model: Model<A>,
  wrap: <X>(effect: Effect.Effect<X, Failure>) => Effect.Effect<X, Failure>,
  wrapStream: <X>(stream: Stream.Stream<X, Failure>) => Stream.Stream<X, Failure>
): Model<A> => {
  const state = stateOfModel(model)
  return build({
    ...state,
    wrap: (effect) => wrap(state.wrap(effect)),
    wrapStream: (stream) => wrapStream(state.wrapStream(stream))
  })
}
