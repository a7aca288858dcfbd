/**
 * Structured output: a model that answers with a value of a Schema's type. Made with
 * `ChatModel.withStructuredOutput(schema, options?)`; its `invoke` decodes the answer
 * (or fails with a typed `StructuredOutputError` holding the raw text: never a silent
 * null), its `stream` emits partial objects as the JSON arrives, then the decoded value.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect, Schema } from "effect"
 *
 * const Person = Schema.Struct({ name: Schema.String, age: Schema.Number })
 * const model = FakeChatModel.fromResponses(['{"name":"Ada","age":36}']).pipe(
 *   ChatModel.withStructuredOutput(Person, { method: "jsonMode" })
 * )
 * const program = Effect.map(model.invoke("Who wrote the first program?"), (person) => person.age)
 * ```
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Stream from "effect/Stream"
import type { ChatError, StructuredOutputError } from "./ChatError.js"
import type { BatchOptions, CallOptions } from "./internal/calls.js"
import * as internal from "./internal/structured.js"
import type { AIMessage, ChatInput } from "./Message.js"

/**
 * The brand of structured models (the key `isModel` looks for).
 *
 * @example
 * ```ts
 * import { ChatModel, StructuredOutput } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Schema } from "effect"
 *
 * const model = FakeChatModel.fromResponses(['{"n":1}']).pipe(
 *   ChatModel.withStructuredOutput(Schema.Struct({ n: Schema.Number }), { method: "jsonMode" })
 * )
 * StructuredOutput.TypeId in model // true
 * ```
 *
 * @since 0.1.0
 */
export const TypeId: typeof internal.TypeId = internal.TypeId

/**
 * The type of the brand of structured models.
 *
 * @example
 * ```ts
 * import { StructuredOutput } from "@effect-chat/core"
 *
 * const brandOf = (model: StructuredOutput.Model<unknown>): StructuredOutput.TypeId => model[StructuredOutput.TypeId]
 * ```
 *
 * @since 0.1.0
 */
export type TypeId = typeof TypeId

/**
 * How the model is asked for the structure: a provider-native JSON Schema response
 * format (`"jsonSchema"`), a forced tool call (`"functionCalling"`), or JSON object mode
 * with the schema in a system message (`"jsonMode"`). The default follows the model's
 * profile: `jsonSchema` when it supports structured output, else `functionCalling` when
 * it calls tools, else `jsonMode`.
 *
 * @example
 * ```ts
 * import { ChatModel, type StructuredOutput } from "@effect-chat/core"
 * import { Schema } from "effect"
 *
 * const method: StructuredOutput.Method = "functionCalling"
 * const extractCity = ChatModel.withStructuredOutput(Schema.Struct({ city: Schema.String }), { method })
 * ```
 *
 * @since 0.1.0
 */
export type Method = "jsonSchema" | "functionCalling" | "jsonMode"

/**
 * Options of `ChatModel.withStructuredOutput`.
 *
 * @example
 * ```ts
 * import { ChatModel, type StructuredOutput } from "@effect-chat/core"
 * import { Schema } from "effect"
 *
 * const Person = Schema.Struct({ name: Schema.String, age: Schema.Number })
 * const options = { method: "jsonSchema", strict: true, name: "Person" } satisfies StructuredOutput.Options
 * const asPerson = ChatModel.withStructuredOutput(Person, options)
 * ```
 *
 * @since 0.1.0
 */
export interface Options {
  readonly method?: Method
  /** OpenAI's strict mode (default: true for `jsonSchema`, false for `functionCalling`). */
  readonly strict?: boolean
  /** Return `{ raw, parsed, parsingError }` instead of failing on a parse error. */
  readonly includeRaw?: boolean
  /** The name of the schema or tool sent to the provider (default: the Schema's identifier, else "output"). */
  readonly name?: string
}

/**
 * What `includeRaw: true` returns: the model's message, and the decoded value or the
 * reason it could not be decoded.
 *
 * @example
 * ```ts
 * import { ChatModel, Message, type StructuredOutput } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect, Option, Schema } from "effect"
 *
 * const Person = Schema.Struct({ name: Schema.String })
 * const model = FakeChatModel.fromResponses(["not JSON"]).pipe(
 *   ChatModel.withStructuredOutput(Person, { method: "jsonMode", includeRaw: true })
 * )
 * const name = Effect.map(model.invoke("Who?"), (result: StructuredOutput.WithRaw<typeof Person.Type>) =>
 *   Option.match(result.parsed, {
 *     onNone: () => `no person in: ${Message.text(result.raw)}`,
 *     onSome: (person) => person.name
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 */
export interface WithRaw<A> {
  readonly raw: AIMessage
  readonly parsed: Option.Option<A>
  readonly parsingError: Option.Option<StructuredOutputError>
}

/**
 * A streamed part: the JSON parsed so far (`Partial`, plain JSON values, not yet
 * decoded), then, last, the decoded value (`Complete`).
 *
 * @example
 * ```ts
 * import { ChatModel, type StructuredOutput } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect, Schema, Stream } from "effect"
 *
 * const Book = Schema.Struct({ title: Schema.String, year: Schema.Number })
 * const model = FakeChatModel.fromResponses(['{"title":"Dune","year":1965}']).pipe(
 *   ChatModel.withStructuredOutput(Book, { method: "jsonMode" })
 * )
 * const printed = model.stream("A classic novel?").pipe(
 *   Stream.runForEach((part: StructuredOutput.Part<typeof Book.Type>) =>
 *     part._tag === "Partial" ? Effect.log("so far", part.value) : Effect.log("done:", part.value.title)
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 */
export type Part<A> =
  | { readonly _tag: "Partial"; readonly value: unknown }
  | { readonly _tag: "Complete"; readonly value: A }

/**
 * A model that answers with values of type `A`.
 *
 * @example
 * ```ts
 * import { ChatModel, type StructuredOutput } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Schema } from "effect"
 *
 * const Sentiment = Schema.Struct({ label: Schema.Literal("positive", "negative") })
 * const classifier: StructuredOutput.Model<typeof Sentiment.Type> = FakeChatModel.fromResponses([
 *   '{"label":"positive"}',
 *   '{"label":"negative"}'
 * ]).pipe(ChatModel.withStructuredOutput(Sentiment, { method: "jsonMode" }))
 * const labels = classifier.batch(["I love it", "I hate it"], { concurrency: 1 })
 * ```
 *
 * @since 0.1.0
 */
export interface Model<A> extends Pipeable {
  readonly [TypeId]: TypeId
  /** One call, decoded. */
  invoke(input: ChatInput, options?: CallOptions): Effect.Effect<A, ChatError | StructuredOutputError>
  /** Partial objects as the answer streams, then the decoded value. */
  stream(input: ChatInput, options?: CallOptions): Stream.Stream<Part<A>, ChatError | StructuredOutputError>
  /** Several calls, `concurrency` at a time, in input order. */
  batch(
    inputs: ReadonlyArray<ChatInput>,
    options?: BatchOptions
  ): Effect.Effect<ReadonlyArray<A>, ChatError | StructuredOutputError>
}

/**
 * Tells whether a value is a structured model.
 *
 * @example
 * ```ts
 * import { StructuredOutput } from "@effect-chat/core"
 *
 * StructuredOutput.isModel({}) // false
 * ```
 *
 * @since 0.1.0
 */
export const isModel = (value: unknown): value is Model<unknown> => internal.isModel(value)

/**
 * The value of the final part of a structured stream, if the stream has ended.
 *
 * @example
 * ```ts
 * import { StructuredOutput } from "@effect-chat/core"
 *
 * StructuredOutput.completed({ _tag: "Complete", value: 1 }) // Option.some(1)
 * ```
 *
 * @since 0.1.0
 */
export const completed = <A>(part: Part<A>): Option.Option<A> =>
  part._tag === "Complete" ? Option.some(part.value) : Option.none()
