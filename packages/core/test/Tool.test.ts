import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Message, Tool } from "@effect-chat/core"
import { Context, Effect, Either, Exit, Fiber, pipe, Schema, TestClock } from "effect"

type Json = Record<string, unknown>

const call = (id: string, name: string, args: Record<string, unknown>) => ({ id, name, args })
const aiWith = (...toolCalls: ReadonlyArray<Message.ToolCall>) => Message.ai({ content: "", toolCalls })
const leftOf = <A>(either: Either.Either<A, string>): string => (Either.isLeft(either) ? either.left : "")

class Address extends Schema.Class<Address>("Address")({
  city: Schema.String.annotations({ description: "The city" }),
  country: Schema.optional(Schema.String)
}) {}

const weather = Tool.make("weather", {
  description: "The current weather in a city",
  parameters: Schema.Struct({
    city: Schema.String.annotations({ description: "The city, e.g. Paris" }),
    unit: Schema.optional(Schema.Literal("celsius", "fahrenheit"))
  }),
  success: Schema.Struct({ temperature: Schema.Number, unit: Schema.String }),
  handler: ({ city, unit }) =>
    Effect.succeed({ temperature: city === "Paris" ? 18 : 25, unit: unit ?? "celsius" })
})

const echo = Tool.make("echo", {
  description: "Echo a text",
  parameters: Schema.Struct({ text: Schema.String }),
  handler: ({ text }) => Effect.succeed(text)
})

class NotFound extends Schema.TaggedError<NotFound>()("NotFound", { what: Schema.String }) {}

const lookup = Tool.make("lookup", {
  description: "Look a word up",
  parameters: Schema.Struct({ word: Schema.String }),
  failure: NotFound,
  handler: ({ word }) => Effect.fail(new NotFound({ what: word }))
})

const noHandler = Tool.make("noHandler", { description: "A tool declared for the model only" })

describe("Tool.make", () => {
  it("holds the name, description and a JSON Schema with descriptions", () => {
    expect(weather.name).toBe("weather")
    expect(weather.description).toBe("The current weather in a city")
    expect(Tool.isTool(weather)).toBe(true)
    expect(Tool.isTool({ name: "weather" })).toBe(false)
    expect(weather.jsonSchema).toEqual({
      type: "object",
      required: ["city"],
      properties: {
        city: { type: "string", description: "The city, e.g. Paris" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] }
      },
      additionalProperties: false
    })
  })

  it("inlines a class at the root: no top-level $ref", () => {
    const tool = Tool.make("where", { description: "Where", parameters: Address })
    expect(tool.jsonSchema.$ref).toBeUndefined()
    expect(tool.jsonSchema).toMatchObject({
      type: "object",
      required: ["city"],
      properties: { city: { type: "string", description: "The city" } }
    })
    expect(Either.getOrThrow(tool.decodeArgs({ city: "Oslo" }))).toBeInstanceOf(Address)
  })

  it("gives providers a plain definition, or the strict rewrite with strict: true", () => {
    expect(weather.definition()).toEqual({
      name: "weather",
      description: "The current weather in a city",
      parameters: weather.jsonSchema
    })
    expect(weather.definition({ strict: false }).strict).toBe(false)
    const strict = weather.definition({ strict: true, provider: "openai" })
    expect(strict.strict).toBe(true)
    expect(strict.parameters).toEqual({
      type: "object",
      properties: {
        city: { type: "string", description: "The city, e.g. Paris" },
        unit: { anyOf: [{ type: "string", enum: ["celsius", "fahrenheit"] }, { type: "null" }] }
      },
      required: ["city", "unit"],
      additionalProperties: false
    })
    // built once, on first use
    expect(weather.definition({ strict: true }).parameters).toBe(strict.parameters)
  })

  it("decodes args, formatting issues with their paths", () => {
    expect(weather.decodeArgs({ city: "Paris" })).toEqual(Either.right({ city: "Paris" }))
    expect(leftOf(weather.decodeArgs({ city: 1, unit: "kelvin" }))).toBe(
      '/city: Expected string, actual 1\n/unit: Expected "celsius" | "fahrenheit", actual "kelvin"'
    )
    expect(leftOf(weather.decodeArgs({}))).toBe("/city: is missing")
  })

  it("decodes and encodes the strict wire shape with { strict: true }", () => {
    expect(weather.decodeArgs({ city: "Paris", unit: null }, { strict: true })).toEqual(
      Either.right({ city: "Paris" })
    )
    expect(weather.encodeArgs({ city: "Paris" }, { strict: true })).toEqual(
      Either.right({ city: "Paris", unit: null })
    )
  })

  it("encodes decoded args back to JSON", () => {
    const schedule = Tool.make("schedule", {
      description: "Schedule",
      parameters: Schema.Struct({ at: Schema.Date })
    })
    const args = Either.getOrThrow(schedule.decodeArgs({ at: "2024-05-06T07:08:09.000Z" }))
    expect(args.at).toBeInstanceOf(Date)
    expect(schedule.encodeArgs(args)).toEqual(Either.right({ at: "2024-05-06T07:08:09.000Z" }))
  })

  it("wraps a root that is not an object as { value }", () => {
    const pick = Tool.make("pick", {
      description: "Pick a shape",
      parameters: Schema.Union(
        Schema.Struct({ circle: Schema.Number }),
        Schema.Struct({ square: Schema.Number })
      )
    })
    expect(pick.jsonSchema).toMatchObject({ type: "object", required: ["value"] })
    expect(pick.decodeArgs({ value: { circle: 1 } })).toEqual(Either.right({ circle: 1 }))
    expect(pick.encodeArgs({ square: 2 })).toEqual(Either.right({ value: { square: 2 } }))
  })
})

describe("Tool.make without parameters", () => {
  const now = Tool.make("now", { description: "The time", handler: () => Effect.succeed("noon") })

  it("sends an empty object schema, plain and strict", () => {
    const empty = { type: "object", properties: {}, required: [], additionalProperties: false }
    expect(now.parameters).toBeUndefined()
    expect(now.jsonSchema).toEqual(empty)
    expect(now.definition({ strict: true }).parameters).toEqual(empty)
  })

  it("receives {}", () => {
    expect(now.decodeArgs({})).toEqual(Either.right({}))
    expect(now.decodeArgs({ stray: 1 })).toEqual(Either.right({}))
    expect(now.decodeArgs(undefined)).toEqual(Either.right({}))
    expect(Either.isLeft(now.decodeArgs("x"))).toBe(true)
    expectTypeOf(now.decodeArgs({})).toEqualTypeOf<Either.Either<{}, string>>()
  })
})

describe("Tool.fromJsonSchema", () => {
  const search = Tool.fromJsonSchema("search", {
    description: "Search documents",
    jsonSchema: {
      $ref: "#/$defs/Query",
      $defs: {
        Query: {
          type: "object",
          properties: {
            query: { type: "string", minLength: 2, pattern: "^[a-z ]+$" },
            limit: { type: "integer", minimum: 1, maximum: 50 },
            mode: { enum: ["fast", "deep"] },
            filters: { type: "array", items: { $ref: "#/$defs/Filter" }, maxItems: 2 },
            since: { type: ["string", "null"] },
            kind: { const: "docs" }
          },
          required: ["query"],
          additionalProperties: false
        },
        Filter: {
          anyOf: [
            { type: "object", properties: { tag: { type: "string" } }, required: ["tag"] },
            { type: "object", properties: { year: { type: "number" } }, required: ["year"] }
          ]
        }
      }
    },
    handler: (args) => Effect.succeed(`found ${String(args.query)}`)
  })

  it("inlines a top-level $ref and keeps $defs", () => {
    expect(search.jsonSchema.$ref).toBeUndefined()
    expect(search.jsonSchema.type).toBe("object")
    expect(search.jsonSchema.$defs).toBeDefined()
  })

  it("accepts valid args as they are", () => {
    const args = {
      query: "cats",
      limit: 5,
      mode: "deep",
      filters: [{ tag: "x" }, { year: 2020 }],
      since: null
    }
    expect(search.decodeArgs(args)).toEqual(Either.right(args))
  })

  it("reports every validation issue with its path", () => {
    const issues = leftOf(
      search.decodeArgs({
        query: "C",
        limit: 0.5,
        mode: "slow",
        filters: [{ tag: 1 }, {}, {}],
        since: 3,
        kind: "mail",
        extra: true
      })
    ).split("\n")
    expect(issues).toEqual([
      "/query: expected at least 2 character(s), got 1",
      '/query: expected a string matching ^[a-z ]+$, got "C"',
      "/limit: expected integer, got number",
      "/limit: expected at least 1, got 0.5",
      '/mode: expected one of "fast", "deep", got "slow"',
      "/filters: expected at most 2 item(s), got 3",
      "/filters/0: matches none of the allowed shapes (/filters/0/tag: expected string, got integer; /filters/0/year: is missing)",
      "/filters/1: matches none of the allowed shapes (/filters/1/tag: is missing; /filters/1/year: is missing)",
      "/filters/2: matches none of the allowed shapes (/filters/2/tag: is missing; /filters/2/year: is missing)",
      "/since: expected string or null, got integer",
      '/kind: expected "docs", got "mail"',
      "/extra: is unexpected"
    ])
    expect(leftOf(search.decodeArgs({}))).toBe("/query: is missing")
    expect(leftOf(search.decodeArgs([]))).toBe("the arguments must be a JSON object, got an array")
  })

  it("rewrites for strict mode and undoes the rewrite on decode", () => {
    const definition = search.definition({ strict: true })
    expect(definition.parameters).toMatchObject({
      required: ["query", "limit", "mode", "filters", "since", "kind"],
      additionalProperties: false
    })
    const wire = { query: "cats", limit: null, mode: null, filters: null, since: null, kind: null }
    expect(search.decodeArgs(wire, { strict: true })).toEqual(Either.right({ query: "cats", since: null }))
  })

  it("follows recursive root references ($ref: #), plain and strict", () => {
    const tree = Tool.fromJsonSchema("tree", {
      description: "A tree",
      jsonSchema: {
        type: "object",
        properties: { label: { type: "string" }, children: { type: "array", items: { $ref: "#" } } },
        required: ["label"]
      }
    })
    expect(
      leftOf(tree.decodeArgs({ label: "a", children: [{ label: "b", children: [{ label: 1 }] }] }))
    ).toBe("/children/0/children/0/label: expected string, got integer")
    const strict = tree.definition({ strict: true }).parameters
    expect(strict.$ref).toBeUndefined()
    expect(Object.keys(strict.$defs as Json)).toEqual(["Root"])
    expect(
      tree.decodeArgs({ label: "a", children: [{ label: "b", children: null }] }, { strict: true })
    ).toEqual(Either.right({ label: "a", children: [{ label: "b" }] }))
  })

  it("adds type and properties to a bare object schema", () => {
    const bare = Tool.fromJsonSchema("bare", { description: "Bare", jsonSchema: { type: "object" } })
    expect(bare.jsonSchema).toEqual({ type: "object", properties: {} })
    expect(bare.decodeArgs({ anything: 1 })).toEqual(Either.right({ anything: 1 }))
  })
})

describe("Tool.run, failureMode return (the default)", () => {
  it.effect("runs each call into a tool message matched by toolCallId", () =>
    Effect.gen(function* () {
      const messages = yield* Tool.run(
        aiWith(call("c1", "weather", { city: "Paris" }), call("c2", "echo", { text: "hi" })),
        [weather, echo]
      )
      expect(messages.map((m) => [m.toolCallId, m.name, m.status, m.content])).toEqual([
        ["c1", "weather", "success", '{"temperature":18,"unit":"celsius"}'],
        ["c2", "echo", "success", "hi"]
      ])
      expect(messages[0]?.artifact).toEqual({ temperature: 18, unit: "celsius" })
      expect(messages[0]).toBeInstanceOf(Message.ToolMessage)
    })
  )

  it.effect("turns an unknown tool into an error message naming the available tools", () =>
    Effect.gen(function* () {
      const [message] = yield* Tool.run(aiWith(call("c1", "teleport", {})), [weather, echo])
      expect(message?.status).toBe("error")
      expect(message?.toolCallId).toBe("c1")
      expect(message?.content).toBe(
        'Error: unknown tool "teleport"; available: weather, echo\nPlease fix your mistakes.'
      )
    })
  )

  it.effect("turns invalid args into an error message with the decode issue", () =>
    Effect.gen(function* () {
      const [message] = yield* Tool.run(aiWith(call("c1", "weather", { city: 42 })), [weather])
      expect(message?.status).toBe("error")
      expect(message?.content).toBe(
        'Error: invalid arguments for tool "weather":\n/city: Expected string, actual 42\nPlease fix your mistakes.'
      )
    })
  )

  it.effect("turns a handler failure into an error message, encoded by the failure schema", () =>
    Effect.gen(function* () {
      const plain = Tool.make("plain", {
        description: "Fails with an Error",
        handler: () => Effect.fail(new Error("disk full"))
      })
      const text = Tool.make("text", {
        description: "Fails with a string",
        handler: () => Effect.fail("no luck")
      })
      const messages = yield* Tool.run(
        aiWith(call("c1", "lookup", { word: "zyx" }), call("c2", "plain", {}), call("c3", "text", {})),
        [lookup, plain, text]
      )
      expect(messages.map((m) => [m.status, m.content])).toEqual([
        ["error", 'Error: {"what":"zyx","_tag":"NotFound"}'],
        ["error", "Error: Error: disk full"],
        ["error", "Error: no luck"]
      ])
    })
  )

  it.effect("turns a tool without handler into an error message", () =>
    Effect.gen(function* () {
      const [message] = yield* Tool.run(aiWith(call("c1", "noHandler", {})), [noHandler])
      expect(message?.status).toBe("error")
      expect(message?.content).toBe('Error: tool "noHandler" has no handler')
    })
  )

  it.effect("answers invalid tool calls (with an id) with their reason", () =>
    Effect.gen(function* () {
      const message = Message.ai({
        content: "",
        toolCalls: [call("c1", "echo", { text: "ok" })],
        invalidToolCalls: [
          { id: "c2", name: "echo", args: '{"text": ', error: "Unexpected end of JSON input" },
          { error: "no id: cannot be answered" }
        ]
      })
      const messages = yield* Tool.run(message, [echo])
      expect(messages.map((m) => [m.toolCallId, m.status, m.content])).toEqual([
        ["c1", "success", "ok"],
        [
          "c2",
          "error",
          'Error: invalid call to tool "echo": Unexpected end of JSON input\nPlease fix your mistakes.'
        ]
      ])
    })
  )

  it.effect("keeps Unicode args raw, in and out", () =>
    Effect.gen(function* () {
      const text = "héllo 👋 日本語 \u2028 ✓"
      const seen: Array<string> = []
      const record = Tool.make("record", {
        description: "Record a text",
        parameters: Schema.Struct({ text: Schema.String }),
        handler: ({ text }) => Effect.sync(() => seen.push(text)).pipe(Effect.as({ saved: text }))
      })
      const [message] = yield* Tool.run(aiWith(call("c1", "record", { text })), [record])
      expect(seen).toEqual([text])
      expect(message?.content).toBe(`{"saved":"${text}"}`)
      expect(message?.content).not.toContain("\\u")
    })
  )

  it.effect("is pipeable", () =>
    Effect.gen(function* () {
      const messages = yield* pipe(aiWith(call("c1", "echo", { text: "piped" })), Tool.run([echo]))
      expect(messages.map((m) => m.content)).toEqual(["piped"])
    })
  )

  it.effect("decodes the strict wire shape with strict: true", () =>
    Effect.gen(function* () {
      const [message] = yield* Tool.run(
        aiWith(call("c1", "weather", { city: "Rome", unit: null })),
        [weather],
        {
          strict: true
        }
      )
      expect(message?.content).toBe('{"temperature":25,"unit":"celsius"}')
    })
  )

  it.effect("returns no messages for a message without tool calls", () =>
    Effect.gen(function* () {
      expect(yield* Tool.run(Message.ai("just text"), [echo])).toEqual([])
    })
  )
})

describe("Tool.run, failureMode fail", () => {
  const failureOf = (message: Message.AIMessage, tools: ReadonlyArray<Tool.Any>) =>
    Effect.flip(Tool.run(message, tools, { failureMode: "fail" }) as Effect.Effect<unknown, Tool.ToolError>)

  it.effect("fails with a ToolError for each kind of problem", () =>
    Effect.gen(function* () {
      const unknown = yield* failureOf(aiWith(call("c1", "teleport", {})), [echo])
      expect(unknown).toBeInstanceOf(Tool.ToolError)
      expect([unknown._tag, unknown.kind, unknown.toolName, unknown.toolCallId]).toEqual([
        "ToolError",
        "UnknownTool",
        "teleport",
        "c1"
      ])
      expect(unknown.reason).toBe('unknown tool "teleport"; available: echo')
      expect(unknown.message).toBe('tool "teleport" (call c1): unknown tool "teleport"; available: echo')

      const invalid = yield* failureOf(aiWith(call("c2", "echo", { text: 1 })), [echo])
      expect([invalid.kind, invalid.reason]).toEqual([
        "InvalidArguments",
        'invalid arguments for tool "echo":\n/text: Expected string, actual 1'
      ])

      const handler = yield* failureOf(aiWith(call("c3", "lookup", { word: "w" })), [lookup])
      expect(handler.kind).toBe("HandlerFailed")
      expect(handler.cause).toEqual(new NotFound({ what: "w" }))

      const missing = yield* failureOf(aiWith(call("c4", "noHandler", {})), [noHandler])
      expect(missing.kind).toBe("MissingHandler")

      const invalidCall = yield* failureOf(
        Message.ai({ content: "", invalidToolCalls: [{ id: "c5", name: "echo", error: "bad JSON" }] }),
        [echo]
      )
      expect([invalidCall.kind, invalidCall.toolCallId, invalidCall.reason]).toEqual([
        "InvalidToolCall",
        "c5",
        'invalid call to tool "echo": bad JSON'
      ])
    })
  )

  it.effect("succeeds like return mode when nothing goes wrong", () =>
    Effect.gen(function* () {
      const messages = yield* Tool.run(aiWith(call("c1", "echo", { text: "x" })), [echo], {
        failureMode: "fail"
      })
      expect(messages.map((m) => m.content)).toEqual(["x"])
    })
  )

  it.effect("lets defects through in both modes", () =>
    Effect.gen(function* () {
      const boom = Tool.make("boom", { description: "Dies", handler: () => Effect.die("bug") })
      const exit = yield* Effect.exit(Tool.run(aiWith(call("c1", "boom", {})), [boom]))
      expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Die")
    })
  )
})

describe("Tool.run concurrency and order", () => {
  const slow = (inFlight: { now: number; max: number }) =>
    Tool.make("slow", {
      description: "Takes the given number of seconds",
      parameters: Schema.Struct({ seconds: Schema.Number }),
      handler: ({ seconds }) =>
        Effect.acquireUseRelease(
          Effect.sync(() => {
            inFlight.now++
            inFlight.max = Math.max(inFlight.max, inFlight.now)
          }),
          () => Effect.sleep(`${seconds} seconds`).pipe(Effect.as(`${seconds}s`)),
          () => Effect.sync(() => inFlight.now--)
        )
    })

  it.effect("runs at most `concurrency` calls at once, 8 by default", () =>
    Effect.gen(function* () {
      const calls = Array.from({ length: 20 }, (_, i) => call(`c${i}`, "slow", { seconds: 1 }))
      for (const [options, expected] of [
        [{ concurrency: 3 }, 3],
        [{}, 8]
      ] as const) {
        const inFlight = { now: 0, max: 0 }
        const fiber = yield* Effect.fork(Tool.run(aiWith(...calls), [slow(inFlight)], options))
        yield* TestClock.adjust("30 seconds")
        const messages = yield* Fiber.join(fiber)
        expect(messages).toHaveLength(20)
        expect(inFlight.max).toBe(expected)
      }
    })
  )

  it.effect("keeps the order of the calls when they finish out of order", () =>
    Effect.gen(function* () {
      const inFlight = { now: 0, max: 0 }
      const message = aiWith(
        call("a", "slow", { seconds: 3 }),
        call("b", "slow", { seconds: 1 }),
        call("c", "slow", { seconds: 2 })
      )
      const fiber = yield* Effect.fork(Tool.run(message, [slow(inFlight)]))
      yield* TestClock.adjust("5 seconds")
      const messages = yield* Fiber.join(fiber)
      expect(messages.map((m) => [m.toolCallId, m.content])).toEqual([
        ["a", "3s"],
        ["b", "1s"],
        ["c", "2s"]
      ])
      expect(inFlight.max).toBe(3)
    })
  )
})

describe("never decoding twice", () => {
  const seen: Array<unknown> = []
  const remind = Tool.make("remind", {
    description: "Set a reminder",
    parameters: Schema.Struct({ at: Schema.DateFromString, text: Schema.String }),
    handler: ({ at, text }) =>
      Effect.sync(() => seen.push(at)).pipe(Effect.as(`${text} at ${at.toISOString()}`))
  })

  it("markDecoded marks a copy, non-enumerably", () => {
    const original = aiWith(call("c1", "remind", {}))
    const marked = Tool.markDecoded(original)
    expect(Tool.isDecoded(marked)).toBe(true)
    expect(Tool.isDecoded(original)).toBe(false)
    expect(Object.keys(marked)).toEqual(Object.keys(original))
    expect(marked).toBeInstanceOf(Message.AIMessage)
    expect(Tool.decodedArgs).toBe(Tool.DecodedArgs)
  })

  it.effect("uses the args of a marked message as they are", () =>
    Effect.gen(function* () {
      const at = new Date("2025-01-01T09:00:00.000Z")
      const marked = Tool.markDecoded(aiWith(call("c1", "remind", { at, text: "coffee" })))
      const [message] = yield* Tool.run(marked, [remind])
      expect(message?.status).toBe("success")
      expect(message?.content).toBe("coffee at 2025-01-01T09:00:00.000Z")
      expect(seen[seen.length - 1]).toBe(at)
    })
  )

  it.effect("decodes the args of an unmarked message (a Date there is invalid JSON input)", () =>
    Effect.gen(function* () {
      const raw = yield* Tool.run(
        aiWith(call("c1", "remind", { at: "2025-01-01T09:00:00.000Z", text: "tea" })),
        [remind]
      )
      expect(raw[0]?.content).toBe("tea at 2025-01-01T09:00:00.000Z")
      const twice = yield* Tool.run(aiWith(call("c2", "remind", { at: new Date(0), text: "tea" })), [remind])
      expect(twice[0]?.status).toBe("error")
    })
  )
})

describe("types", () => {
  it("CallOf is a union discriminated by name with decoded args", () => {
    const now = Tool.make("now", { description: "The time" })
    type Calls = Tool.CallOf<[typeof weather, typeof now]>
    expectTypeOf<Calls>().toEqualTypeOf<
      | Tool.Call<"weather", { readonly city: string; readonly unit?: "celsius" | "fahrenheit" | undefined }>
      | Tool.Call<"now", {}>
    >()
    const describe = (c: Calls) => (c.name === "weather" ? c.args.city : "now")
    expect(describe({ id: "1", name: "weather", args: { city: "Paris" } })).toBe("Paris")
  })

  it("Tool.run requires what the handlers require", () => {
    class Clock extends Context.Tag("Clock")<Clock, { readonly now: string }>() {}
    const now = Tool.make("now", { description: "The time", handler: () => Effect.map(Clock, (c) => c.now) })
    const program = Tool.run(aiWith(call("c1", "now", {})), [now, echo])
    expectTypeOf(program).toEqualTypeOf<
      Effect.Effect<ReadonlyArray<Message.ToolMessage>, Tool.ToolError, Clock>
    >()
    const messages = Effect.runSync(Effect.provideService(program, Clock, { now: "noon" }))
    expect(messages[0]?.content).toBe("noon")
  })

  it("fromJsonSchema tools take records of unknown values", () => {
    const tool = Tool.fromJsonSchema("any", { description: "Any", jsonSchema: { type: "object" } })
    expectTypeOf(tool).toEqualTypeOf<Tool.Tool<"any", Record<string, unknown>, unknown, unknown, never>>()
    const json: Json = tool.jsonSchema
    expect(json.type).toBe("object")
  })
})
