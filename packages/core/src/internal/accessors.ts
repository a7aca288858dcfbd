/**
 * The accessors of the `ChatModel` module: each method of the service, called on the
 * model in the context (re-exported by the `ChatModel` module).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import type { ChatError } from "../ChatError.js"
import type * as Message from "../Message.js"
import type { PromptValue } from "../PromptValue.js"
import type * as Tool from "../Tool.js"
import type { BatchOptions, CallOptions, ChatModelEvent, LLMResult, RunToolsOptions } from "./calls.js"
import { ChatModel } from "./model.js"

/**
 * `invoke` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const reply = ChatModel.invoke([["system", "Be brief."], ["user", "hi"]])
 * ```
 *
 * @since 0.1.0
 */
export const invoke = (
  input: Message.ChatInput,
  options?: CallOptions
): Effect.Effect<Message.AIMessage, ChatError, ChatModel> =>
  Effect.flatMap(ChatModel, (model) => model.invoke(input, options))

/**
 * `stream` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { Effect, Stream } from "effect"
 *
 * const printed = ChatModel.stream("Tell me a story").pipe(
 *   Stream.runForEach((chunk) => Effect.sync(() => process.stdout.write(Message.text(chunk))))
 * )
 * ```
 *
 * @since 0.1.0
 */
export const stream = (
  input: Message.ChatInput,
  options?: CallOptions
): Stream.Stream<Message.AIMessageChunk, ChatError, ChatModel> =>
  Stream.unwrap(Effect.map(ChatModel, (model) => model.stream(input, options)))

/**
 * `batch` on the model in the context: the answers in input order, failing with the
 * first error; with `returnExceptions: true`, each answer or error as an `Either`
 * (never failing).
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect, Either } from "effect"
 *
 * const replies = ChatModel.batch(["one", "two", "three"], { concurrency: 2 })
 * const answered = ChatModel.batch(["one", "two"], { returnExceptions: true }).pipe(
 *   Effect.map((results) => results.filter(Either.isRight).length)
 * )
 * ```
 *
 * @since 0.1.0
 */
export function batch(
  inputs: ReadonlyArray<Message.ChatInput>,
  options: BatchOptions & { readonly returnExceptions: true }
): Effect.Effect<ReadonlyArray<Either.Either<Message.AIMessage, ChatError>>, never, ChatModel>
export function batch(
  inputs: ReadonlyArray<Message.ChatInput>,
  options?: BatchOptions & { readonly returnExceptions?: false }
): Effect.Effect<ReadonlyArray<Message.AIMessage>, ChatError, ChatModel>
export function batch(
  inputs: ReadonlyArray<Message.ChatInput>,
  options?: BatchOptions & { readonly returnExceptions?: boolean }
): Effect.Effect<
  ReadonlyArray<Message.AIMessage | Either.Either<Message.AIMessage, ChatError>>,
  ChatError,
  ChatModel
> {
  return options?.returnExceptions === true
    ? Effect.flatMap(ChatModel, (model) => model.batch(inputs, { ...options, returnExceptions: true }))
    : Effect.flatMap(ChatModel, (model) => model.batch(inputs, { ...options, returnExceptions: false }))
}

/**
 * `batchAsCompleted` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const results = ChatModel.batchAsCompleted(["slow question", "quick question"])
 * ```
 *
 * @since 0.1.0
 */
export const batchAsCompleted = (
  inputs: ReadonlyArray<Message.ChatInput>,
  options?: BatchOptions
): Stream.Stream<
  readonly [index: number, result: Either.Either<Message.AIMessage, ChatError>],
  never,
  ChatModel
> => Stream.unwrap(Effect.map(ChatModel, (model) => model.batchAsCompleted(inputs, options)))

/**
 * `generate` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const result = ChatModel.generate([[["user", "hi"]], [["user", "bye"]]])
 * ```
 *
 * @since 0.1.0
 */
export const generate = (
  conversations: ReadonlyArray<ReadonlyArray<Message.MessageLike>>,
  options?: BatchOptions
): Effect.Effect<LLMResult, ChatError, ChatModel> =>
  Effect.flatMap(ChatModel, (model) => model.generate(conversations, options))

/**
 * `generatePrompt` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel, PromptValue } from "@effect-chat/core"
 *
 * const result = ChatModel.generatePrompt([PromptValue.fromString("hi")])
 * ```
 *
 * @since 0.1.0
 */
export const generatePrompt = (
  prompts: ReadonlyArray<PromptValue>,
  options?: BatchOptions
): Effect.Effect<LLMResult, ChatError, ChatModel> =>
  Effect.flatMap(ChatModel, (model) => model.generatePrompt(prompts, options))

/**
 * `streamEvents` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const events = ChatModel.streamEvents("hi")
 * ```
 *
 * @since 0.1.0
 */
export const streamEvents = (
  input: Message.ChatInput,
  options?: CallOptions
): Stream.Stream<ChatModelEvent, ChatError, ChatModel> =>
  Stream.unwrap(Effect.map(ChatModel, (model) => model.streamEvents(input, options)))

/**
 * `runTools` on the model in the context.
 *
 * @example
 * ```ts
 * import { ChatModel, Message, Tool } from "@effect-chat/core"
 * import { Effect, Schema, Stream } from "effect"
 *
 * const add = Tool.make("add", {
 *   description: "Add two numbers",
 *   parameters: Schema.Struct({ a: Schema.Number, b: Schema.Number }),
 *   handler: ({ a, b }) => Effect.succeed(a + b)
 * })
 * const transcript = ChatModel.runTools("What is 2 + 2?", { tools: [add], maxSteps: 4 }).pipe(
 *   Stream.runForEach((message) => Effect.log(message._tag, Message.text(message)))
 * )
 * ```
 *
 * @since 0.1.0
 */
export const runTools = <const Tools extends ReadonlyArray<Tool.Any>>(
  input: Message.ChatInput,
  options: RunToolsOptions<Tools>
): Stream.Stream<Message.Message, ChatError | Tool.ToolError, ChatModel | Tool.Requirements<Tools[number]>> =>
  Stream.unwrap(Effect.map(ChatModel, (model) => model.runTools(input, options)))
