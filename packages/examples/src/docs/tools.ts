/**
 * The examples of docs/tools.md: defining tools (`Tool.make`, `Tool.fromJsonSchema`),
 * binding them (`ChatModel.bindTools`) and reading the typed tool calls, invalid calls,
 * streaming tool calls, running them (`Tool.run`), the loop (`runTools`) and OpenAI's
 * strict mode.
 *
 * Every model here is a fake scripted with the tool calls a real model would make, so
 * the examples run offline. Importing this module runs nothing; test/docs/tools.test.ts
 * runs each program.
 */
import { type ChatError, ChatModel, Message, Tool } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Console, Context, Effect, type Either, Layer, Schema, Stream } from "effect"

// ---------------------------------------------------------------------------
// Ten lines: from a Schema to a typed tool call
// ---------------------------------------------------------------------------

/** The model of the ten lines: a fake that calls the tool (a provider's layer in production). */
export const TenLinesModel: Layer.Layer<ChatModel.ChatModel> = Layer.sync(ChatModel.ChatModel, () =>
  FakeChatModel.fromMessages([
    Message.ai({ content: "", toolCalls: [{ id: "call_1", name: "get_weather", args: { city: "Paris" } }] })
  ])
)

const getWeather = Tool.make("get_weather", {
  description: "The current weather in a city",
  parameters: Schema.Struct({ city: Schema.String, unit: Schema.optional(Schema.Literal("C", "F")) })
})

const program = Effect.gen(function* () {
  const model = (yield* ChatModel.ChatModel).pipe(ChatModel.bindTools([getWeather]))
  const answer = yield* model.invoke("What's the weather in Paris?")
  for (const call of answer.toolCalls) yield* Console.log(call.name, call.args.city, call.args.unit ?? "C")
})

export const tenLines: Effect.Effect<void, ChatError.ChatError> = program.pipe(Effect.provide(TenLinesModel))

// ---------------------------------------------------------------------------
// Defining tools
// ---------------------------------------------------------------------------

/** A failure of the weather service, typed: the tool's `failure` Schema encodes it for the model. */
export class CityNotFound extends Schema.TaggedError<CityNotFound>()("CityNotFound", {
  city: Schema.String
}) {}

/** A service the weather tool's handler needs (its `R`). */
export class Forecasts extends Context.Tag("examples/Forecasts")<
  Forecasts,
  { readonly celsius: (city: string) => Effect.Effect<number, CityNotFound> }
>() {}

/** An offline implementation of `Forecasts`. */
export const ForecastsLive: Layer.Layer<Forecasts> = Layer.succeed(Forecasts, {
  celsius: (city) =>
    city === "Paris"
      ? Effect.succeed(18)
      : city === "Oslo"
        ? Effect.succeed(4)
        : Effect.fail(new CityNotFound({ city }))
})

export const weather = Tool.make("weather", {
  description: "The current weather in a city",
  parameters: Schema.Struct({
    city: Schema.String.annotations({ description: "The city, e.g. Paris" }),
    unit: Schema.optional(
      Schema.Literal("celsius", "fahrenheit").annotations({ description: "Default: celsius" })
    )
  }),
  success: Schema.Struct({ city: Schema.String, temperature: Schema.Number, unit: Schema.String }),
  failure: CityNotFound,
  handler: ({ city, unit = "celsius" }) =>
    Effect.gen(function* () {
      const forecasts = yield* Forecasts
      const celsius = yield* forecasts.celsius(city)
      const temperature = unit === "celsius" ? celsius : Math.round((celsius * 9) / 5 + 32)
      return { city, temperature, unit }
    })
})

/** A tool without parameters: the provider sees an empty object schema, the handler gets `{}`. */
export const now = Tool.make("now", {
  description: "The current date and time (UTC)",
  handler: () => Effect.succeed("2026-05-01T12:00:00Z")
})

// ---------------------------------------------------------------------------
// Tools known only at runtime
// ---------------------------------------------------------------------------

/** A tool as an MCP server lists it (`tools/list`): a name, a description, an input schema. */
const listed = {
  name: "read_file",
  description: "Read a file of the workspace",
  inputSchema: {
    type: "object",
    properties: { path: { type: "string", description: "Relative to the workspace" } },
    required: ["path"]
  }
}

export const readFile = Tool.fromJsonSchema(listed.name, {
  description: listed.description,
  jsonSchema: listed.inputSchema,
  handler: (args) => Effect.succeed(`contents of ${String(args.path)}`)
})

/** A tool dict in OpenAI's Chat Completions format. */
const openAiTool = {
  type: "function",
  function: {
    name: "search",
    description: "Search the documentation",
    parameters: {
      type: "object",
      properties: { query: { type: "string" }, limit: { type: "integer", minimum: 1, maximum: 20 } },
      required: ["query"]
    }
  }
} as const

export const search = Tool.fromJsonSchema(openAiTool.function.name, {
  description: openAiTool.function.description,
  jsonSchema: openAiTool.function.parameters
})

/** Args are checked against the JSON Schema, and stay plain JSON. */
export const runtimeTools: Effect.Effect<
  {
    readonly valid: Either.Either<Record<string, unknown>, string>
    readonly invalid: Either.Either<Record<string, unknown>, string>
    readonly read: string
  },
  Tool.ToolError
> = Effect.gen(function* () {
  const valid = search.decodeArgs({ query: "bindTools", limit: 5 })
  const invalid = search.decodeArgs({ query: "bindTools", limit: 50 })
  const [result] = yield* Tool.run(
    Message.ai({
      content: "",
      toolCalls: [{ id: "call_1", name: "read_file", args: { path: "README.md" } }]
    }),
    [readFile]
  )
  return { valid, invalid, read: Message.text(result!) }
})

// ---------------------------------------------------------------------------
// Binding tools: typed tool calls
// ---------------------------------------------------------------------------

export const typedCalls: Effect.Effect<
  {
    readonly lines: ReadonlyArray<string>
    readonly cities: ReadonlyArray<string>
    readonly sent: ReadonlyArray<string>
    readonly toolChoice: unknown
    readonly parallelToolCalls: unknown
  },
  ChatError.ChatError
> = Effect.gen(function* () {
  const fake = FakeChatModel.fromMessages([
    Message.ai({
      content: "",
      toolCalls: [
        { id: "call_1", name: "weather", args: { city: "Paris", unit: "fahrenheit" } },
        { id: "call_2", name: "now", args: {} }
      ]
    })
  ])
  const model = fake.pipe(ChatModel.bindTools([weather, now], { toolChoice: "any", parallelToolCalls: true }))

  const answer = yield* model.invoke("What time is it, and how warm is it in Paris?")
  const lines: Array<string> = []
  for (const call of answer.toolCalls) {
    switch (call.name) {
      case "weather": // call.args: { readonly city: string; readonly unit?: "celsius" | "fahrenheit" }
        lines.push(`weather in ${call.args.city} in ${call.args.unit ?? "celsius"}`)
        break
      case "now": // call.args: {}
        lines.push("the time")
    }
  }

  // Array methods (map, filter, …) see the plain ToolCall: name the union to use them.
  const calls: ReadonlyArray<Tool.CallOf<[typeof weather, typeof now]>> = answer.toolCalls
  const cities = calls.flatMap((call) => (call.name === "weather" ? [call.args.city] : []))

  // What the provider received with the request.
  const request = fake.requests[0]!
  return {
    lines,
    cities,
    sent: request.tools.map((tool) => tool.name),
    toolChoice: request.toolChoice,
    parallelToolCalls: request.parallelToolCalls
  }
})

// ---------------------------------------------------------------------------
// Invalid tool calls
// ---------------------------------------------------------------------------

export const invalidCalls: Effect.Effect<
  {
    readonly valid: number
    readonly invalid: ReadonlyArray<{ readonly name: string | undefined; readonly error: string }>
  },
  ChatError.ChatError
> = Effect.gen(function* () {
  const model = FakeChatModel.fromMessages([
    Message.ai({
      content: "",
      toolCalls: [
        { id: "call_1", name: "weather", args: { city: 42 } }, // fails the Schema
        { id: "call_2", name: "teleport", args: { to: "Mars" } } // not a bound tool
      ]
    })
  ]).pipe(ChatModel.bindTools([weather, now]))

  const answer = yield* model.invoke("Weather in 42?")
  return {
    valid: answer.toolCalls.length, // 0
    invalid: answer.invalidToolCalls.map(({ name, error }) => ({ name, error }))
  }
})

// ---------------------------------------------------------------------------
// Streaming tool calls
// ---------------------------------------------------------------------------

export const streamingCalls: Effect.Effect<
  { readonly seen: ReadonlyArray<string>; readonly final: Message.AIMessage },
  ChatError.ChatError
> = Effect.gen(function* () {
  const model = FakeChatModel.fromMessages([
    Message.ai({ content: "", toolCalls: [{ id: "call_1", name: "weather", args: { city: "Reykjavík" } }] })
  ]).pipe(ChatModel.bindTools([weather]))

  const seen: Array<string> = []
  const merged = yield* model.stream("Weather in Reykjavík?").pipe(
    Stream.runFoldEffect(Message.chunk({ content: "" }), (merged, chunk) => {
      const next = Message.concat(merged, chunk) // cheap: joins the args strings
      // on demand: the calls so far, partial JSON repaired
      const [call] = Message.partialToolCalls(next)
      if (call !== undefined) seen.push(`${call.name} ${JSON.stringify(call.args)}`)
      return Effect.succeed(next)
    })
  )
  const final = Message.toMessage(merged) // the complete calls, args parsed
  return { seen, final }
})

// ---------------------------------------------------------------------------
// Running tool calls
// ---------------------------------------------------------------------------

export const runCalls: Effect.Effect<
  {
    readonly results: ReadonlyArray<{
      readonly id: string
      readonly status: string
      readonly content: string
    }>
    readonly failed: string
  },
  ChatError.ChatError | Tool.ToolError
> = Effect.gen(function* () {
  const model = FakeChatModel.fromMessages([
    Message.ai({
      content: "",
      toolCalls: [
        { id: "call_1", name: "weather", args: { city: "Paris" } },
        { id: "call_2", name: "weather", args: { city: "Atlantis" } },
        { id: "call_3", name: "now", args: {} }
      ]
    })
  ]).pipe(ChatModel.bindTools([weather, now]))
  const answer = yield* model.invoke("Weather in Paris and Atlantis, and the time?")

  // One ToolMessage per call, in the order of the calls; at most 2 handlers at once.
  const messages = yield* Tool.run(answer, [weather, now], { concurrency: 2 })
  const results = messages.map((message) => ({
    id: message.toolCallId,
    status: message.status,
    content: Message.text(message)
  }))

  // failureMode "fail": the first problem fails the effect with a ToolError instead.
  const failed = yield* Tool.run(answer, [weather, now], { failureMode: "fail" }).pipe(
    Effect.as("no error"),
    Effect.catchTag("ToolError", (error) => Effect.succeed(`${error.kind}: ${error.message}`))
  )
  return { results, failed }
}).pipe(Effect.provide(ForecastsLive)) // the weather handler needs Forecasts

// ---------------------------------------------------------------------------
// The loop: runTools
// ---------------------------------------------------------------------------

const toolCallsOf = (message: Message.Message) =>
  message._tag === "AIMessage" ? message.toolCalls.map((call) => `${call.name}(${call.args.city})`) : []

export const agentLoop: Effect.Effect<
  ReadonlyArray<string>,
  ChatError.ChatError | Tool.ToolError,
  ChatModel.ChatModel
> = ChatModel.runTools("Is it warmer in Paris or in Oslo?", { tools: [weather, now], maxSteps: 5 }).pipe(
  Stream.map(
    (message) => `${message._tag}: ${Message.text(message) || JSON.stringify(toolCallsOf(message))}`
  ),
  Stream.tap((line) => Console.log(line)), // progress, as each message is produced
  Stream.runCollect,
  Effect.map((lines) => Array.from(lines)),
  Effect.provide(ForecastsLive)
)

/** The model of `agentLoop`: it asks for the weather in two cities at once, then answers. */
export const AgentModel: Layer.Layer<ChatModel.ChatModel> = Layer.sync(ChatModel.ChatModel, () =>
  FakeChatModel.fromMessages([
    Message.ai({
      content: "",
      toolCalls: [
        { id: "call_1", name: "weather", args: { city: "Paris" } },
        { id: "call_2", name: "weather", args: { city: "Oslo" } }
      ]
    }),
    "Paris (18°C) is warmer than Oslo (4°C)."
  ])
)

// ---------------------------------------------------------------------------
// Strict mode
// ---------------------------------------------------------------------------

export const strictMode: Effect.Effect<
  {
    readonly parameters: Record<string, unknown>
    readonly args: ReadonlyArray<unknown>
  },
  ChatError.ChatError
> = Effect.gen(function* () {
  // In strict mode the model must send every property: `null` stands for "absent".
  const fake = FakeChatModel.fromMessages([
    Message.ai({
      content: "",
      toolCalls: [{ id: "call_1", name: "weather", args: { city: "Oslo", unit: null } }]
    })
  ])
  const model = fake.pipe(ChatModel.bindTools([weather], { strict: true }))
  const answer = yield* model.invoke("Weather in Oslo?")
  return {
    parameters: fake.requests[0]!.tools[0]!.parameters, // the strict rewrite, sent with strict: true
    args: answer.toolCalls.map((call) => call.args) // [{ city: "Oslo" }]: the null became "absent"
  }
})

/** The rewrite as a codec, on a Schema with a record, tuples and constraints strict mode rejects. */
export const Itinerary = Schema.Struct({
  traveller: Schema.String.pipe(Schema.minLength(2)),
  stops: Schema.Array(Schema.String).pipe(Schema.maxItems(5)),
  nights: Schema.Record({ key: Schema.String, value: Schema.Int }),
  start: Schema.Tuple(Schema.Number, Schema.Number),
  budget: Schema.Tuple(Schema.Number, Schema.Literal("EUR", "USD")),
  note: Schema.optional(Schema.String)
})

export const itineraryCodec: Tool.StrictCodec<typeof Itinerary.Type> = Tool.openAiStrict(Itinerary)

export const strictCodec: Effect.Effect<{
  readonly decoded: Either.Either<typeof Itinerary.Type, string>
  readonly tooShort: Either.Either<typeof Itinerary.Type, string>
}> = Effect.sync(() => ({
  // what the model sends, in the strict shape
  decoded: itineraryCodec.decode({
    traveller: "Ada",
    stops: ["Paris", "Oslo"],
    nights: [
      { key: "Paris", value: 2 },
      { key: "Oslo", value: 3 }
    ],
    start: [48.85, 2.35],
    budget: { "0": 900, "1": "EUR" },
    note: null
  }),
  // minLength was dropped from the JSON Schema, and is still enforced
  tooShort: itineraryCodec.decode({
    traveller: "A",
    stops: [],
    nights: [],
    start: [0, 0],
    budget: { "0": 0, "1": "USD" },
    note: null
  })
}))
