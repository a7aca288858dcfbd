/**
 * The examples of docs/structured-output.md: `ChatModel.withStructuredOutput` with each
 * method and the default one, typed failures, `withRetry`, `includeRaw`, streaming
 * partial objects, and batch.
 *
 * Every model here is a fake scripted with the answers a real model would give, so the
 * examples run offline. Importing this module runs nothing;
 * test/docs/structured-output.test.ts runs each program.
 */
import { type ChatError, ChatModel, Message, StructuredOutput } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Console, Effect, Layer, Option, Schema, Stream } from "effect"

// ---------------------------------------------------------------------------
// Ten lines: from a Schema to a typed object
// ---------------------------------------------------------------------------

const ada = '{"name":"Ada Lovelace","born":1815,"languages":["English","French"]}'

/** The model of the ten lines: a fake that follows JSON Schemas (a provider's layer in production). */
export const TenLinesModel: Layer.Layer<ChatModel.ChatModel> = Layer.sync(ChatModel.ChatModel, () =>
  FakeChatModel.fromResponses([ada], { profile: { structuredOutput: true, toolCalling: true } })
)

export class Person extends Schema.Class<Person>("Person")({
  name: Schema.String,
  born: Schema.Int.annotations({ description: "Year of birth" }),
  languages: Schema.Array(Schema.String)
}) {}

const program = Effect.gen(function* () {
  const model = (yield* ChatModel.ChatModel).pipe(ChatModel.withStructuredOutput(Person))
  const person = yield* model.invoke("Who wrote the first computer program?") // a Person, decoded
  yield* Console.log(`${person.name}, born ${person.born}, wrote ${person.languages.join(" and ")}`)
})

export const tenLines: Effect.Effect<void, ChatError.ChatError | ChatError.StructuredOutputError> =
  program.pipe(Effect.provide(TenLinesModel))

// ---------------------------------------------------------------------------
// The three methods, and the default
// ---------------------------------------------------------------------------

/** What a provider received for a structured call. */
export interface Asked {
  readonly name: string
  readonly responseFormat: ChatModel.ResponseFormat | undefined
  readonly tools: ReadonlyArray<string>
  readonly toolChoice: ChatModel.ToolChoice | undefined
  readonly firstMessage: string
}

const asked = (fake: FakeChatModel.Fake, person: Person): Asked => {
  const request = fake.requests[0]!
  return {
    name: person.name,
    responseFormat: request.responseFormat,
    tools: request.tools.map((tool) => tool.name),
    toolChoice: request.toolChoice,
    firstMessage: request.messages[0]!._tag
  }
}

export const methods: Effect.Effect<
  { readonly jsonSchema: Asked; readonly functionCalling: Asked; readonly jsonMode: Asked },
  ChatError.ChatError | ChatError.StructuredOutputError
> = Effect.gen(function* () {
  // "jsonSchema": the provider's native response format, strict by default.
  const native = FakeChatModel.fromResponses([ada])
  const a = yield* native
    .pipe(ChatModel.withStructuredOutput(Person, { method: "jsonSchema" }))
    .invoke("Ada?")

  // "functionCalling": a tool named after the schema, forced with toolChoice.
  const calling = FakeChatModel.fromMessages([
    Message.ai({ content: "", toolCalls: [{ id: "call_1", name: "person", args: JSON.parse(ada) }] })
  ])
  const b = yield* calling
    .pipe(ChatModel.withStructuredOutput(Person, { method: "functionCalling", name: "person" }))
    .invoke("Ada?")

  // "jsonMode": JSON object mode, with the JSON Schema in a system message.
  const json = FakeChatModel.fromResponses([ada])
  const c = yield* json.pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode" })).invoke("Ada?")

  return { jsonSchema: asked(native, a), functionCalling: asked(calling, b), jsonMode: asked(json, c) }
})

/** The method chosen when none is given, from the model's profile. */
export const defaultMethod = (
  profile: FakeChatModel.Options["profile"]
): Effect.Effect<string, ChatError.ChatError | ChatError.StructuredOutputError> =>
  Effect.gen(function* () {
    const fake = FakeChatModel.fromMessages(
      [Message.ai({ content: ada, toolCalls: [{ id: "call_1", name: "Person", args: JSON.parse(ada) }] })],
      profile === undefined ? {} : { profile }
    )
    yield* fake.pipe(ChatModel.withStructuredOutput(Person)).invoke("Ada?")
    const request = fake.requests[0]!
    return request.responseFormat?.type === "jsonSchema"
      ? "jsonSchema"
      : request.tools.length > 0
        ? "functionCalling"
        : "jsonMode"
  })

// ---------------------------------------------------------------------------
// Typed failures
// ---------------------------------------------------------------------------

export const failures: Effect.Effect<ReadonlyArray<string>, ChatError.ChatError> = Effect.gen(function* () {
  const explain = (error: ChatError.StructuredOutputError) =>
    Effect.succeed(
      error.refusal === undefined
        ? `could not read ${JSON.stringify(error.raw)} (retryable: ${error.retryable}): ${error.message}`
        : `refused: ${error.refusal} (retryable: ${error.retryable})`
    )

  // Prose instead of JSON: a StructuredOutputError holding the raw text, never a silent null.
  const prose = FakeChatModel.fromResponses(["It was Ada Lovelace."]).pipe(
    ChatModel.withStructuredOutput(Person, { method: "jsonMode" })
  )
  const notJson = yield* prose.invoke("Ada?").pipe(
    Effect.map((person) => person.name),
    Effect.catchTag("StructuredOutputError", explain)
  )

  // JSON that does not match the Schema.
  const wrong = FakeChatModel.fromResponses(['{"name":"Ada Lovelace","born":"1815"}']).pipe(
    ChatModel.withStructuredOutput(Person, { method: "jsonMode" })
  )
  const mismatch = yield* wrong.invoke("Ada?").pipe(
    Effect.map((person) => person.name),
    Effect.catchTag("StructuredOutputError", explain)
  )

  // A refusal from the provider (OpenAI's `refusal`): typed too, and not retryable.
  const refusing = FakeChatModel.fromMessages([
    Message.ai({ content: "", additionalKwargs: { refusal: "I can't help with that." } })
  ]).pipe(ChatModel.withStructuredOutput(Person, { method: "jsonSchema" }))
  const refused = yield* refusing.invoke("Ada?").pipe(
    Effect.map((person) => person.name),
    Effect.catchTag("StructuredOutputError", explain)
  )

  return [notJson, mismatch, refused]
})

/** `withRetry` asks again when an answer does not parse or decode (not after a refusal). */
export const retried: Effect.Effect<
  { readonly name: string; readonly attempts: number },
  ChatError.ChatError | ChatError.StructuredOutputError
> = Effect.gen(function* () {
  const fake = FakeChatModel.fromResponses(["Ada Lovelace, 1815", ada])
  const model = fake.pipe(
    ChatModel.withStructuredOutput(Person, { method: "jsonMode" }),
    ChatModel.withRetry({ maxRetries: 2 })
  )
  const person = yield* model.invoke("Ada?")
  return { name: person.name, attempts: fake.requests.length } // "Ada Lovelace", 2
})

// ---------------------------------------------------------------------------
// includeRaw
// ---------------------------------------------------------------------------

export const includeRaw: Effect.Effect<
  {
    readonly parsed: Option.Option<string>
    readonly totalTokens: number | undefined
    readonly failedRaw: Option.Option<string | undefined>
  },
  ChatError.ChatError | ChatError.StructuredOutputError
> = Effect.gen(function* () {
  const model = FakeChatModel.fromResponses([ada, "Sorry, no JSON today."]).pipe(
    ChatModel.withStructuredOutput(Person, { method: "jsonMode", includeRaw: true })
  )
  // { raw: AIMessage, parsed: Option<Person>, parsingError: Option<StructuredOutputError> }
  const first = yield* model.invoke("Ada?")
  const second = yield* model.invoke("Ada?") // does not fail: the error is in parsingError
  return {
    parsed: Option.map(first.parsed, (person) => person.name),
    totalTokens: first.raw.usageMetadata?.totalTokens,
    failedRaw: Option.map(second.parsingError, (error) => error.raw)
  }
})

// ---------------------------------------------------------------------------
// Streaming partial objects
// ---------------------------------------------------------------------------

export const streaming: Effect.Effect<
  { readonly partials: ReadonlyArray<unknown>; readonly person: Option.Option<Person> },
  ChatError.ChatError | ChatError.StructuredOutputError
> = Effect.gen(function* () {
  // The answer arrives word by word, one chunk every 50 ms.
  const model = FakeChatModel.fromMessages(
    ['{"name": "Ada Lovelace", "born": 1815, "languages": ["English", "French"]}'],
    { chunkLatency: "50 millis" }
  ).pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode" }))

  const partials: Array<unknown> = []
  const person = yield* model.stream("Who wrote the first computer program?").pipe(
    // Partial: the JSON parsed so far (plain values, not decoded yet)
    Stream.tap((part) =>
      part._tag === "Partial" ? Effect.sync(() => partials.push(part.value)) : Effect.void
    ),
    // Complete, last: the value decoded by the Schema
    Stream.filterMap(StructuredOutput.completed),
    Stream.runLast
  )
  return { partials, person }
})

// ---------------------------------------------------------------------------
// Batch
// ---------------------------------------------------------------------------

export const batch: Effect.Effect<
  ReadonlyArray<string>,
  ChatError.ChatError | ChatError.StructuredOutputError
> = Effect.gen(function* () {
  const model = FakeChatModel.fromResponses([
    ada,
    '{"name":"Grace Hopper","born":1906,"languages":["COBOL"]}',
    '{"name":"Alan Turing","born":1912,"languages":[]}'
  ]).pipe(ChatModel.withStructuredOutput(Person, { method: "jsonMode" }))
  const people = yield* model.batch(["Ada?", "Grace?", "Alan?"], { concurrency: 2 }) // input order
  return people.map((person) => `${person.name} (${person.born})`)
})
