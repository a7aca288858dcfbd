/**
 * The service and its calls (re-exported by the `ChatModel` module, where users find
 * them): the `Service` interface, the options of its calls, callbacks, the events of
 * `streamEvents` and the results of `generate`.
 *
 * @internal
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type { Pipeable } from "effect/Pipeable"
import type * as Stream from "effect/Stream"
import type { ChatError } from "../ChatError.js"
import type * as Message from "../Message.js"
import type { ModelProfile } from "../ModelProfile.js"
import type { PromptValue } from "../PromptValue.js"
import type * as Tool from "../Tool.js"
import type { BindToolsOptions } from "./combinatorOptions.js"
import type { ChatGeneration, ChatResult } from "./protocol.js"
import type { TypeId } from "./service.js"

/**
 * Facts about one run, given to every callback.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const describe = (run: ChatModel.RunInfo): string => `${run.runName} (${run.llmType}) ${run.runId}`
 * const Logging = ChatModel.layerCallbacks({ onStart: (event) => Effect.log(describe(event)) })
 * ```
 *
 * @since 0.1.0
 */
export interface RunInfo {
  readonly runId: string
  readonly runName: string
  readonly llmType: string
  readonly tags: ReadonlyArray<string>
  readonly metadata: Readonly<Record<string, unknown>>
}

/**
 * Callbacks of a run (LangChain's callback handlers, as effects). A failing callback is
 * logged and never fails the call. `onToken` runs before its chunk is emitted.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const callbacks: ChatModel.Callbacks = {
 *   onStart: ({ runId, messages }) => Effect.log(`run ${runId}: ${messages.length} messages`),
 *   onToken: ({ token }) => Effect.sync(() => process.stdout.write(token)),
 *   onError: ({ error }) => Effect.logError(error.message)
 * }
 * const reply = ChatModel.invoke("hi", { callbacks })
 * ```
 *
 * @since 0.1.0
 */
export interface Callbacks {
  readonly onStart?: (
    event: RunInfo & { readonly messages: ReadonlyArray<Message.Message> }
  ) => Effect.Effect<void, unknown>
  readonly onToken?: (
    event: RunInfo & { readonly token: string; readonly chunk: Message.AIMessageChunk }
  ) => Effect.Effect<void, unknown>
  readonly onEnd?: (event: RunInfo & { readonly result: ChatResult }) => Effect.Effect<void, unknown>
  readonly onError?: (event: RunInfo & { readonly error: ChatError }) => Effect.Effect<void, unknown>
}

/**
 * Options of one call.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const options: ChatModel.CallOptions = {
 *   stop: ["\n\n"],
 *   timeout: "30 seconds",
 *   tags: ["support"],
 *   metadata: { userId: "u-42" },
 *   providerOptions: { top_p: 0.9 }
 * }
 * const reply = ChatModel.invoke("Summarize our refund policy.", options)
 * ```
 *
 * @since 0.1.0
 */
export interface CallOptions {
  /** Stop sequences (replace the bound ones). */
  readonly stop?: ReadonlyArray<string>
  readonly tags?: ReadonlyArray<string>
  readonly metadata?: Readonly<Record<string, unknown>>
  readonly runName?: string
  /** The run's id (a UUID is made when absent); message ids default to `run-<runId>`. */
  readonly runId?: string
  /** Per attempt: the whole call for `invoke`, the wait for the first chunk for `stream`. */
  readonly timeout?: Duration.DurationInput
  readonly callbacks?: Callbacks | ReadonlyArray<Callbacks>
  /** Passed through to the provider (LangChain's `**kwargs`). */
  readonly providerOptions?: Readonly<Record<string, unknown>>
}

/**
 * Options of `batch`, `batchAsCompleted` and `generate`.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 *
 * const options: ChatModel.BatchOptions = { concurrency: 4, tags: ["nightly-eval"], timeout: "1 minute" }
 * const replies = ChatModel.batch(["question 1", "question 2", "question 3"], options)
 * ```
 *
 * @since 0.1.0
 */
export interface BatchOptions extends Omit<CallOptions, "runId"> {
  /** How many calls run at once (default 8). */
  readonly concurrency?: number
}

/**
 * An event of `streamEvents`.
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { Effect, Stream } from "effect"
 *
 * const logged = ChatModel.streamEvents("hi").pipe(
 *   Stream.runForEach((event: ChatModel.ChatModelEvent) => {
 *     switch (event.event) {
 *       case "on_chat_model_stream":
 *         return Effect.log(Message.text(event.data.chunk))
 *       case "on_chat_model_end":
 *         return Effect.log("usage", event.data.output.usageMetadata)
 *       default:
 *         return Effect.void
 *     }
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 */
export type ChatModelEvent =
  | EventOf<"on_chat_model_start", { readonly input: ReadonlyArray<Message.Message> }>
  | EventOf<"on_chat_model_stream", { readonly chunk: Message.AIMessageChunk }>
  | EventOf<"on_chat_model_end", { readonly output: Message.AIMessage }>

/**
 * One kind of event of `streamEvents`: its name, the run it belongs to, and its data.
 *
 * @example
 * ```ts
 * import { type ChatModel, Message } from "@effect-chat/core"
 *
 * type TokenEvent = ChatModel.EventOf<"on_chat_model_stream", { readonly chunk: Message.AIMessageChunk }>
 * const tokenOf = (event: TokenEvent): string => Message.text(event.data.chunk)
 * ```
 *
 * @since 0.1.0
 */
export interface EventOf<Name extends string, Data> {
  readonly event: Name
  readonly runId: string
  readonly parentIds: ReadonlyArray<string>
  readonly name: string
  readonly tags: ReadonlyArray<string>
  readonly metadata: Readonly<Record<string, unknown>>
  readonly data: Data
}

/**
 * A chat model. `Output` narrows the answers of a model with bound tools.
 *
 * @example
 * ```ts
 * import type { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const ask = (model: ChatModel.Service, question: string) => model.invoke(question, { tags: ["faq"] })
 * const answer = ask(FakeChatModel.fromResponses(["42"]), "What is the answer?")
 * ```
 *
 * @since 0.1.0
 */
export interface Service<Output = Message.AIMessage> extends Pipeable {
  readonly [TypeId]: typeof TypeId
  readonly llmType: string
  readonly identifyingParams: Readonly<Record<string, unknown>>
  readonly profile: ModelProfile
  /** One call. */
  invoke(input: Message.ChatInput, options?: CallOptions): Effect.Effect<Output, ChatError>
  /** The answer as chunks; the final chunk has `last: true`. */
  stream(input: Message.ChatInput, options?: CallOptions): Stream.Stream<Message.AIMessageChunk, ChatError>
  /** Several calls, `concurrency` at a time, answers in input order. */
  batch(
    inputs: ReadonlyArray<Message.ChatInput>,
    options: BatchOptions & { readonly returnExceptions: true }
  ): Effect.Effect<ReadonlyArray<Either.Either<Output, ChatError>>>
  batch(
    inputs: ReadonlyArray<Message.ChatInput>,
    options?: BatchOptions & { readonly returnExceptions?: false }
  ): Effect.Effect<ReadonlyArray<Output>, ChatError>
  /** Several calls, each answer with its input's index as soon as it is done. */
  batchAsCompleted(
    inputs: ReadonlyArray<Message.ChatInput>,
    options?: BatchOptions
  ): Stream.Stream<readonly [index: number, result: Either.Either<Output, ChatError>]>
  /** Several conversations to an `LLMResult`; all finish before the first error is reported. */
  generate(
    conversations: ReadonlyArray<ReadonlyArray<Message.MessageLike>>,
    options?: BatchOptions
  ): Effect.Effect<LLMResult, ChatError>
  /** `generate` from prompt values. */
  generatePrompt(
    prompts: ReadonlyArray<PromptValue>,
    options?: BatchOptions
  ): Effect.Effect<LLMResult, ChatError>
  /** The run as events: start, one per chunk, end. */
  streamEvents(input: Message.ChatInput, options?: CallOptions): Stream.Stream<ChatModelEvent, ChatError>
  /**
   * The tool loop: call, run the tool calls, call again, until an answer without tool
   * calls or `maxSteps` (default 10) model calls; emits each AI message, then its tool
   * messages.
   */
  runTools<const Tools extends ReadonlyArray<Tool.Any>>(
    input: Message.ChatInput,
    options: RunToolsOptions<Tools>
  ): Stream.Stream<Message.Message, ChatError | Tool.ToolError, Tool.Requirements<Tools[number]>>
}

/**
 * Options of `runTools`: the tools, the most model calls (`maxSteps`, default 10), how
 * tool failures are handled (`failureMode`, default `"return"`: sent back to the model
 * as error tool messages), how many tool calls run at once (`toolConcurrency`), and the
 * options of `bindTools` for the binding (`toolChoice`, which applies to every step,
 * so a forced choice calls tools until `maxSteps`; `parallelToolCalls`; `strict`).
 *
 * @example
 * ```ts
 * import { ChatModel, Tool } from "@effect-chat/core"
 * import { Effect, Schema } from "effect"
 *
 * const add = Tool.make("add", {
 *   description: "Add two numbers",
 *   parameters: Schema.Struct({ a: Schema.Number, b: Schema.Number }),
 *   handler: ({ a, b }) => Effect.succeed(a + b)
 * })
 * const options: ChatModel.RunToolsOptions<readonly [typeof add]> = {
 *   tools: [add],
 *   strict: true,
 *   maxSteps: 4,
 *   failureMode: "fail",
 *   toolConcurrency: 2
 * }
 * const transcript = ChatModel.runTools("What is 2 + 2?", options)
 * ```
 *
 * @since 0.1.0
 */
export interface RunToolsOptions<Tools extends ReadonlyArray<Tool.Any>>
  extends CallOptions,
    BindToolsOptions {
  readonly tools: Tools
  readonly maxSteps?: number
  readonly failureMode?: "return" | "fail"
  readonly toolConcurrency?: number
}

/**
 * The results of `generate`: one list of generations per conversation, summed usage,
 * and one run per conversation.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const totalTokens = ChatModel.generate([[["user", "hi"]], [["user", "bye"]]]).pipe(
 *   Effect.map((result: ChatModel.LLMResult) => result.llmOutput?.tokenUsage?.totalTokens ?? 0)
 * )
 * ```
 *
 * @since 0.1.0
 */
export interface LLMResult {
  readonly generations: ReadonlyArray<ReadonlyArray<ChatGeneration>>
  readonly llmOutput?: {
    readonly tokenUsage?: Message.UsageMetadata
    readonly modelName?: string
  }
  readonly run: ReadonlyArray<{ readonly runId: string }>
}
