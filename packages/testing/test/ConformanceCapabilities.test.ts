import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message, type ModelProfile } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import * as harness from "@effect-chat/testing/internal/conformance/harness"
import * as structured from "@effect-chat/testing/internal/conformance/structured"
import * as tools from "@effect-chat/testing/internal/conformance/tools"
import { Cause, Effect, Exit, Stream } from "effect"

// The tool and structured-output checks of the conformance suite, each run against
// deliberately wrong models (it must fail, for the expected reason) and against a minimal
// right one (it must pass). The full suite runs against a reference model in
// Conformance.test.ts.

const capable: Partial<ModelProfile.ModelProfile> = {
  toolCalling: true,
  toolChoice: true,
  parallelToolCalls: true,
  structuredOutput: true,
  jsonMode: true
}

const findCase = (name: string): harness.Case => {
  const found = [...tools.cases, ...structured.cases].find((testCase) => testCase.name === name)
  expect(found, name).toBeDefined()
  return found!
}

const outcome = (name: string, model: ChatModel.Service) =>
  Effect.exit(harness.runCase(findCase(name), model, harness.defaultSettings))

/** Runs a check that must fail, with `reason` in the failure (an assertion's label or an error). */
const fails = (name: string, model: ChatModel.Service, reason: string) =>
  Effect.gen(function* () {
    const exit = yield* outcome(name, model)
    expect(Exit.isFailure(exit), `${name} fails`).toBe(true)
    if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain(reason)
  })

const passes = (name: string, model: ChatModel.Service) =>
  harness.runCase(findCase(name), model, harness.defaultSettings)

/** A capable fake answering with `handler`. */
const model = (handler: FakeChatModel.Handler, profile = capable) =>
  FakeChatModel.fromHandler(handler, { profile })

/** A capable model streaming exactly the given chunks (invoke merges them). */
const streaming = (chunks: ReadonlyArray<Message.AIMessageChunk>) =>
  ChatModel.make({ llmType: "chunks", profile: capable, stream: () => Stream.fromIterable(chunks) })

const calling = (...toolCalls: ReadonlyArray<Message.ToolCall>) => Message.ai({ content: "", toolCalls })

const lastText = (request: ChatModel.ChatRequest): string => Message.text(request.messages.at(-1)!)

const afterTool = (request: ChatModel.ChatRequest) => request.messages.at(-1)?._tag === "ToolMessage"

describe("tool checks pass", () => {
  it.effect("tool calling, invoke and stream, for one call with the right name, args and an id", () =>
    Effect.gen(function* () {
      const right = model(() => calling({ id: "c1", name: "magic_function", args: { input: 3 } }))
      yield* passes("tool calling (invoke)", right)
      yield* passes("tool calling (stream)", right)
      expect(right.requests[0]!.tools.map((tool) => tool.name)).toEqual(["magic_function"])
      expect(right.requests[0]!.toolChoice).toBe("any")
    })
  )

  it.effect("without toolChoice in the profile, tool calling binds no tool choice", () =>
    Effect.gen(function* () {
      const right = model(() => calling({ id: "c1", name: "magic_function", args: { input: 3 } }), {
        toolCalling: true
      })
      yield* passes("tool calling (invoke)", right)
      expect(right.requests[0]!.toolChoice).toBeUndefined()
    })
  )

  it.effect("every tool check without calling the model, when the profile has no tool calling", () =>
    Effect.gen(function* () {
      const absent = FakeChatModel.fromHandler(() => Effect.die("the model must not be called"))
      for (const testCase of tools.cases) yield* passes(testCase.name, absent)
      expect(absent.requests).toEqual([])
    })
  )
})

describe("tool checks catch", () => {
  it.effect("a text answer instead of a tool call", () =>
    Effect.gen(function* () {
      yield* fails(
        "tool calling (invoke)",
        model(() => "The value is 5."),
        "answer: number of tool calls"
      )
      yield* fails(
        "tool calling (stream)",
        model(() => "The value is 5."),
        "merged stream: number of tool calls"
      )
    })
  )

  it.effect("arguments that do not match the tool's schema", () =>
    fails(
      "tool calling (invoke)",
      model(() => calling({ id: "c1", name: "magic_function", args: { input: "3" } })),
      "answer: invalid tool calls"
    )
  )

  it.effect("the wrong argument value", () =>
    fails(
      "tool calling (invoke)",
      model(() => calling({ id: "c1", name: "magic_function", args: { input: 4 } })),
      "answer: tool args"
    )
  )

  it.effect("two calls where one was asked for", () =>
    fails(
      "tool calling (invoke)",
      model(() =>
        calling(
          { id: "c1", name: "magic_function", args: { input: 3 } },
          { id: "c2", name: "magic_function", args: { input: 3 } }
        )
      ),
      "answer: number of tool calls"
    )
  )

  it.effect("a tool call without an id", () =>
    fails(
      "tool calling (invoke)",
      model(() => calling({ id: "", name: "magic_function", args: { input: 3 } })),
      "answer: tool call 0: id"
    )
  )

  it.effect("streamed deltas of one call that do not merge into one call", () =>
    fails(
      "tool calling (stream)",
      streaming([
        Message.chunk({
          content: "",
          toolCallChunks: [{ id: "c1", name: "magic_function", args: '{"input"', index: 0 }]
        }),
        Message.chunk({
          content: "",
          toolCallChunks: [{ id: "c2", name: "magic_function", args: ":3}", index: 1 }]
        })
      ]),
      "merged stream: invalid tool calls"
    )
  )

  it.effect("a model ignoring the forced tool choice", () =>
    Effect.gen(function* () {
      yield* fails(
        "tool choice",
        model(() => "Hello! How can I help?"),
        'toolChoice "any": number of tool calls'
      )
      yield* fails(
        "tool choice",
        model(() => calling({ id: "c1", name: "get_weather", args: { location: "Paris" } })),
        'toolChoice "magic_function": tool name'
      )
    })
  )

  it.effect("a tool without parameters called with arguments", () =>
    fails(
      "tool with no arguments",
      model(() => calling({ id: "c1", name: "magic_function_no_args", args: { input: 3 } })),
      "merged stream: tool args"
    )
  )

  it.effect("a model rejecting list content in a tool history", () =>
    Effect.gen(function* () {
      const picky = model((request) =>
        request.messages.some((message) => typeof message.content !== "string")
          ? Effect.fail(new ChatError.BadRequestError({ message: "content must be a string" }))
          : "1 + 2 = 3"
      )
      yield* passes("tool message history (string content)", picky)
      yield* fails("tool message history (list content)", picky, "content must be a string")
    })
  )

  it.effect("a tool call instead of an answer after a tool result", () =>
    fails(
      "tool message history (string content)",
      model(() => calling({ id: "c2", name: "my_adder_tool", args: { a: 1, b: 2 } })),
      "answer: text"
    )
  )

  it.effect("an empty answer after an error tool result, or a call with the same missing argument", () =>
    Effect.gen(function* () {
      yield* passes(
        "tool message with error status",
        model(() => "Which number should I add to 1?")
      )
      yield* fails(
        "tool message with error status",
        model(() => ""),
        "answer: text or a tool call"
      )
      yield* fails(
        "tool message with error status",
        model(() => calling({ id: "c2", name: "my_adder_tool", args: { a: 1 } })),
        "answer: invalid tool calls"
      )
    })
  )

  it.effect("a model repeating the few-shot example's arguments instead of the new question's", () =>
    Effect.gen(function* () {
      yield* passes(
        "few-shot tool examples",
        model(() => calling({ id: "c2", name: "my_adder_tool", args: { a: 3, b: 4 } }))
      )
      yield* fails(
        "few-shot tool examples",
        model(() => calling({ id: "c2", name: "my_adder_tool", args: { a: 1, b: 2 } })),
        "answer: tool args"
      )
    })
  )

  it.effect("one call where two were asked for in parallel, or two calls sharing an id", () => {
    const paris = { id: "c1", name: "get_weather", args: { location: "Paris, France" } }
    const london = { id: "c2", name: "get_weather", args: { location: "London, UK" } }
    return Effect.gen(function* () {
      yield* passes(
        "parallel tool calls",
        model(() => calling(paris, london))
      )
      yield* fails(
        "parallel tool calls",
        model(() => calling(paris)),
        "answer: number of tool calls"
      )
      yield* fails(
        "parallel tool calls",
        model(() => calling(paris, { ...london, id: "c1" })),
        "answer: distinct call ids"
      )
    })
  })

  it.effect("a second parallel call streamed without index or id, merging into the first", () =>
    fails(
      "parallel tool calls",
      streaming([
        Message.chunk({
          content: "",
          toolCallChunks: [{ id: "c1", name: "get_weather", args: '{"location":"Paris"}', index: 0 }]
        }),
        Message.chunk({ content: "", toolCallChunks: [{ args: '{"location":"London"}' }] })
      ]),
      "answer: invalid tool calls"
    )
  )

  it.effect("a Unicode name that comes back escaped or translated", () =>
    Effect.gen(function* () {
      const customer = (name: string) => () =>
        calling({
          id: "c1",
          name: "unicode_customer",
          args: { customer_name: name, description: "a company" }
        })
      yield* passes("unicode tool arguments", model(customer(tools.unicodeName)))
      yield* fails(
        "unicode tool arguments",
        model(customer("\\u4f60\\u597d\\u554a\\u96c6\\u56e2")),
        "answer: customer_name"
      )
      yield* fails("unicode tool arguments", model(customer("Hello Group")), "answer: customer_name")
    })
  )

  it.effect("an agent loop that never stops calling the tool", () =>
    fails(
      "agent loop",
      model((request) =>
        calling({
          id: `c${request.messages.length}`,
          name: "get_weather",
          args: { location: "San Francisco, CA" }
        })
      ),
      "messages produced"
    )
  )

  it.effect("an agent loop that answers without calling the tool", () =>
    fails(
      "agent loop",
      model(() => "It is probably sunny in San Francisco."),
      "messages produced"
    )
  )

  it.effect("an agent loop whose final answer is empty", () =>
    Effect.gen(function* () {
      const call = calling({ id: "c1", name: "get_weather", args: { location: "San Francisco, CA" } })
      yield* passes(
        "agent loop",
        model((request) => (afterTool(request) ? "It's sunny there." : call))
      )
      yield* fails(
        "agent loop",
        model((request) => (afterTool(request) ? "" : call)),
        "final answer: text"
      )
    })
  )

  it.effect("an agent loop calling the tool for the wrong city", () =>
    fails(
      "agent loop",
      model((request) =>
        afterTool(request)
          ? "It's sunny."
          : calling({ id: "c1", name: "get_weather", args: { location: lastText(request).slice(0, 4) } })
      ),
      "first answer: location"
    )
  )
})

// ---------------------------------------------------------------------------
// structured output
// ---------------------------------------------------------------------------

const joke = { setup: "Why did the cat sit on the computer?", punchline: "To keep an eye on the mouse." }

/** Answers a joke the way the request asks for it: a call to the forced tool, or JSON text. */
const answering =
  (value: Readonly<Record<string, unknown>>): FakeChatModel.Handler =>
  (request) =>
    request.toolChoice === undefined || request.toolChoice === "auto"
      ? JSON.stringify(value)
      : calling({ id: "c1", name: request.toolChoice, args: { ...value } })

describe("structured-output checks pass", () => {
  it.effect("each method, invoke and stream, for a model answering the joke as asked", () =>
    Effect.gen(function* () {
      const right = model(answering(joke))
      for (const method of ["jsonSchema", "functionCalling", "jsonMode"]) {
        yield* passes(`structured output (${method})`, right)
        yield* passes(`structured output with includeRaw (${method})`, right)
      }
      // four requests per method: invoke and stream, without and with includeRaw
      const [jsonSchema, functionCalling, jsonMode] = [0, 4, 8].map((index) => right.requests[index])
      expect(right.requests).toHaveLength(12)
      expect(jsonSchema!.responseFormat).toMatchObject({ type: "jsonSchema", name: "Joke", strict: true })
      expect([functionCalling!.toolChoice, functionCalling!.tools.map((tool) => tool.name)]).toEqual([
        "Joke",
        ["Joke"]
      ])
      expect(jsonMode!.responseFormat).toEqual({ type: "json" })
      expect(Message.text(jsonMode!.messages.at(-1)!)).toBe(structured.structuredPrompts.json)
    })
  )

  it.effect("an optional field the model leaves out, or sends as null in strict mode", () =>
    Effect.gen(function* () {
      const setupOnly = model((request) =>
        lastText(request) === structured.structuredPrompts.setupOnly
          ? answering({ setup: joke.setup })(request)
          : answering(joke)(request)
      )
      for (const method of ["jsonSchema", "functionCalling", "jsonMode"]) {
        yield* passes(`structured output with an optional field (${method})`, setupOnly)
      }
      const nulls = model((request) =>
        lastText(request) === structured.structuredPrompts.setupOnly
          ? JSON.stringify({ setup: joke.setup, punchline: null })
          : JSON.stringify(joke)
      )
      yield* passes("structured output with an optional field (jsonSchema)", nulls)
    })
  )

  it.effect(
    "every structured-output check without calling the model, when the profile lacks the method",
    () =>
      Effect.gen(function* () {
        const absent = model(() => Effect.die("the model must not be called"), { toolCalling: true })
        for (const testCase of structured.cases) yield* passes(testCase.name, absent)
        expect(absent.requests).toEqual([])
      })
  )
})

describe("structured-output checks catch", () => {
  it.effect("prose instead of JSON", () =>
    fails(
      "structured output (jsonSchema)",
      model(() => "Why did the cat... never mind."),
      "not valid JSON"
    )
  )

  it.effect("JSON missing a required field", () =>
    fails(
      "structured output (jsonMode)",
      model(answering({ setup: joke.setup })),
      "does not match the schema"
    )
  )

  it.effect("an empty field", () =>
    fails("structured output (jsonSchema)", model(answering({ ...joke, punchline: "" })), "invoke: punchline")
  )

  it.effect("a text answer instead of the forced tool call", () =>
    fails(
      "structured output (functionCalling)",
      model(() => JSON.stringify(joke)),
      "did not call"
    )
  )

  it.effect("a stream that does not answer what invoke answers", () =>
    fails(
      "structured output (jsonSchema)",
      ChatModel.make({
        llmType: "split",
        profile: capable,
        generate: () => Effect.succeed({ generations: [{ message: Message.ai(JSON.stringify(joke)) }] }),
        stream: () => Stream.make(Message.chunk({ content: "Here is a joke about cats." }))
      }),
      "not valid JSON"
    )
  )

  it.effect("a null for an optional field outside strict mode (the silent null)", () =>
    fails(
      "structured output with an optional field (jsonMode)",
      model((request) =>
        lastText(request) === structured.structuredPrompts.setupOnly
          ? JSON.stringify({ setup: joke.setup, punchline: null })
          : JSON.stringify(joke)
      ),
      "does not match the schema"
    )
  )

  it.effect("a punchline left out when the prompt asks for it", () =>
    fails(
      "structured output with an optional field (functionCalling)",
      model(answering({ setup: joke.setup })),
      "with punchline: punchline"
    )
  )

  it.effect("an unparsable answer with includeRaw (a parsing error instead of a value)", () =>
    fails(
      "structured output with includeRaw (jsonSchema)",
      model(() => "no JSON here"),
      "invoke: parsingError"
    )
  )

  it.effect("a text answer instead of the forced tool call, with includeRaw", () =>
    fails(
      "structured output with includeRaw (functionCalling)",
      model(() => JSON.stringify(joke)),
      "invoke: parsingError"
    )
  )
})
