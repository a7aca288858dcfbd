/**
 * Conformance checks of tool calling (LangChain's `test_tool_calling` and its streaming
 * variant, `test_tool_choice`, `test_tool_calling_with_no_arguments`,
 * `test_tool_message_histories_string_content`, `test_tool_message_histories_list_content`,
 * `test_tool_message_error_status`, `test_structured_few_shot_examples`,
 * `test_unicode_tool_call_integration`, `test_agent_loop`, and parallel tool calls).
 *
 * The prompts are plain instructions a real model follows, and each names what it wants
 * precisely enough for a scripted reference model to answer deterministically.
 *
 * @internal
 */

import { type ChatError, ChatModel, Message, Tool } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { type Case, collect, expectChunks, expectId, expectTextAnswer, mergeChunks } from "./harness.js"
import { vitest } from "./vitest.js"

/** The suite's tools (LangChain's), built on first use so importing the suite stays cheap. */
const makeTools = () => {
  const magicFunction = Tool.make("magic_function", {
    description: "Applies a magic function to an input.",
    parameters: Schema.Struct({
      input: Schema.Int.annotations({ description: "The integer to apply the magic function to" })
    }),
    handler: ({ input }) => Effect.succeed(input + 2)
  })
  const magicFunctionNoArgs = Tool.make("magic_function_no_args", {
    description: "Calculates a magic function.",
    handler: () => Effect.succeed(5)
  })
  const getWeather = Tool.make("get_weather", {
    description: "Get the weather at a location.",
    parameters: Schema.Struct({
      location: Schema.String.annotations({ description: "The city, with its state or country" })
    }),
    handler: () => Effect.succeed("It's sunny.")
  })
  const adder = Tool.make("my_adder_tool", {
    description: "Adds a and b.",
    parameters: Schema.Struct({ a: Schema.Int, b: Schema.Int }),
    handler: ({ a, b }) => Effect.succeed({ result: a + b })
  })
  const unicodeCustomer = Tool.make("unicode_customer", {
    description: "Create a customer with a Unicode name.",
    parameters: Schema.Struct({
      customer_name: Schema.String.annotations({
        description: "The customer's name, exactly as given, in its original script"
      }),
      description: Schema.String.annotations({ description: "A short description of the customer" })
    })
  })
  return { magicFunction, magicFunctionNoArgs, getWeather, adder, unicodeCustomer } as const
}

let built: ReturnType<typeof makeTools> | undefined

/** The suite's tools. */
export const tools = (): ReturnType<typeof makeTools> => {
  built ??= makeTools()
  return built
}

/** The prompts of the tool checks. */
export const toolPrompts = {
  magic: "What is the value of magic_function(3)? Use the tool.",
  noArguments: "What is the value of magic_function_no_args()? Use the tool.",
  hello: "Hello!",
  add: "What is 1 + 2?",
  fewShotExample: "What is 1 + 2? Use the tool.",
  fewShot: "What is 3 + 4? Use the tool.",
  parallel:
    "What is the weather in Paris, France and in London, UK? Call get_weather once for each city, in parallel.",
  unicode:
    "Create a customer named '你好啊集团' (Hello Group), a Chinese technology company. " +
    "Use the unicode_customer tool and keep the name exactly as written.",
  agent: "What is the weather in San Francisco, CA?"
} as const

/** The Unicode customer name the Unicode check expects back unchanged. */
export const unicodeName = "你好啊集团"

/** `toolChoice: "any"` when the model honours tool choice (LangChain's `tool_choice_value`). */
const anyWhenSupported = (model: ChatModel.Service): ChatModel.BindToolsOptions =>
  model.profile.toolChoice ? { toolChoice: "any" } : {}

/** Asserts an AI message whose tool calls are all valid and carry ids; returns them. */
const expectValidCalls = (message: Message.AIMessage, what: string): ReadonlyArray<Message.ToolCall> => {
  vitest().expect(message, what).toBeInstanceOf(Message.AIMessage)
  vitest().expect(message.invalidToolCalls, `${what}: invalid tool calls`).toEqual([])
  message.toolCalls.forEach((call, index) => {
    expectId(call, `${what}: tool call ${index}`)
  })
  return message.toolCalls
}

/** Asserts exactly one valid tool call to `name` (with exactly `args` when given); returns it. */
const expectOneCall = (
  message: Message.AIMessage,
  name: string,
  args: Readonly<Record<string, unknown>> | undefined,
  what: string
): Message.ToolCall => {
  const calls = expectValidCalls(message, what)
  vitest().expect(calls.length, `${what}: number of tool calls`).toBe(1)
  const call = calls[0]!
  vitest().expect(call.name, `${what}: tool name`).toBe(name)
  if (args !== undefined) vitest().expect(call.args, `${what}: tool args`).toEqual(args)
  return call
}

/** Streams an input and finishes the merged chunks into a message (`Message.concat`, then `toMessage`). */
const streamed = (
  model: ChatModel.Service,
  input: Message.ChatInput,
  what: string
): Effect.Effect<Message.AIMessage, ChatError.ChatError> =>
  Effect.map(collect(model.stream(input)), (chunks) => {
    expectChunks(chunks, what)
    return Message.toMessage(mergeChunks(chunks))
  })

/** `invoke` with a tool bound answers exactly one call: the right name, the right args, an id. */
const toolCallingInvoke: Case = {
  name: "tool calling (invoke)",
  requires: "toolCalling",
  check: (model) =>
    Effect.gen(function* () {
      const { magicFunction } = tools()
      const bound = model.pipe(ChatModel.bindTools([magicFunction], anyWhenSupported(model)))
      const answer = yield* bound.invoke(toolPrompts.magic)
      expectOneCall(answer, "magic_function", { input: 3 }, "answer")
    })
}

/** `stream` with a tool bound: the merged chunks hold exactly one call, as `invoke`'s. */
const toolCallingStream: Case = {
  name: "tool calling (stream)",
  requires: "toolCalling",
  check: (model) =>
    Effect.gen(function* () {
      const { magicFunction } = tools()
      const bound = model.pipe(ChatModel.bindTools([magicFunction], anyWhenSupported(model)))
      const merged = yield* streamed(bound, toolPrompts.magic, "stream")
      expectOneCall(merged, "magic_function", { input: 3 }, "merged stream")
    })
}

/**
 * With two tools bound, `toolChoice: "any"` makes the model call one of them even for a
 * greeting, and `toolChoice: <name>` makes it call that one.
 */
const toolChoice: Case = {
  name: "tool choice",
  requires: "toolChoice",
  check: (model) =>
    Effect.gen(function* () {
      const { getWeather, magicFunction } = tools()
      for (const choice of ["any", "magic_function"] as const) {
        const what = `toolChoice ${JSON.stringify(choice)}`
        const bound = model.pipe(ChatModel.bindTools([magicFunction, getWeather], { toolChoice: choice }))
        const answer = yield* bound.invoke(toolPrompts.hello)
        const calls = expectValidCalls(answer, what)
        vitest().expect(calls.length, `${what}: number of tool calls`).toBeGreaterThan(0)
        const allowed = choice === "any" ? ["magic_function", "get_weather"] : [choice]
        for (const call of calls) vitest().expect(allowed, `${what}: tool name`).toContain(call.name)
      }
    })
}

/** A tool without parameters is called with `{}`, by `invoke` and by `stream`. */
const noArguments: Case = {
  name: "tool with no arguments",
  requires: "toolCalling",
  check: (model) =>
    Effect.gen(function* () {
      const { magicFunctionNoArgs } = tools()
      const bound = model.pipe(ChatModel.bindTools([magicFunctionNoArgs], anyWhenSupported(model)))
      const answer = yield* bound.invoke(toolPrompts.noArguments)
      expectOneCall(answer, "magic_function_no_args", {}, "answer")
      const merged = yield* streamed(bound, toolPrompts.noArguments, "stream")
      expectOneCall(merged, "magic_function_no_args", {}, "merged stream")
    })
}

const adderCall = { id: "abc123", name: "my_adder_tool", args: { a: 1, b: 2 } } as const
const adderResult = JSON.stringify({ result: 3 })

/** A history ending with a tool result in string content is answered with text. */
const historyString: Case = {
  name: "tool message history (string content)",
  requires: "toolCalling",
  check: (model) =>
    Effect.gen(function* () {
      const bound = model.pipe(ChatModel.bindTools([tools().adder]))
      const answer = yield* bound.invoke([
        Message.human(toolPrompts.add),
        Message.ai({ content: "", toolCalls: [adderCall] }),
        Message.tool({ toolCallId: adderCall.id, name: adderCall.name, content: adderResult })
      ])
      expectTextAnswer(answer, model.profile)
    })
}

/** A history whose AI message and tool result have list content is answered with text. */
const historyList: Case = {
  name: "tool message history (list content)",
  requires: "toolCalling",
  check: (model) =>
    Effect.gen(function* () {
      const bound = model.pipe(ChatModel.bindTools([tools().adder]))
      const answer = yield* bound.invoke([
        Message.human(toolPrompts.add),
        Message.ai({
          content: [{ type: "text", text: "I will add the two numbers with my_adder_tool." }],
          toolCalls: [adderCall]
        }),
        Message.tool({
          toolCallId: adderCall.id,
          name: adderCall.name,
          content: [{ type: "text", text: adderResult }]
        })
      ])
      expectTextAnswer(answer, model.profile)
    })
}

/**
 * A tool result with `status: "error"` (a call missing an argument) is accepted: the
 * model answers with text or a new, valid tool call.
 */
const errorStatus: Case = {
  name: "tool message with error status",
  requires: "toolCalling",
  check: (model) =>
    Effect.gen(function* () {
      const bound = model.pipe(ChatModel.bindTools([tools().adder]))
      const answer = yield* bound.invoke([
        Message.human(toolPrompts.add),
        Message.ai({ content: "", toolCalls: [{ id: "abc123", name: "my_adder_tool", args: { a: 1 } }] }),
        Message.tool({
          toolCallId: "abc123",
          name: "my_adder_tool",
          content: "Error: Missing required argument 'b'.",
          status: "error"
        })
      ])
      const calls = expectValidCalls(answer, "answer")
      vitest()
        .expect(Message.text(answer).length > 0 || calls.length > 0, "answer: text or a tool call")
        .toBe(true)
    })
}

/**
 * Few-shot examples in the history (question, tool call, tool result, answer), then a
 * new question: the model calls the tool with the new question's numbers.
 */
const fewShot: Case = {
  name: "few-shot tool examples",
  requires: "toolCalling",
  check: (model) =>
    Effect.gen(function* () {
      const bound = model.pipe(ChatModel.bindTools([tools().adder], anyWhenSupported(model)))
      const answer = yield* bound.invoke([
        Message.human(toolPrompts.fewShotExample),
        Message.ai({ content: "", toolCalls: [{ ...adderCall, id: "example_call_1" }] }),
        Message.tool({ toolCallId: "example_call_1", name: adderCall.name, content: adderResult }),
        Message.ai("1 + 2 = 3"),
        Message.human(toolPrompts.fewShot)
      ])
      expectOneCall(answer, "my_adder_tool", { a: 3, b: 4 }, "answer")
    })
}

/** Two calls in one answer, each with its own id, by `invoke` and by `stream`. */
const parallel: Case = {
  name: "parallel tool calls",
  requires: "parallelToolCalls",
  check: (model) =>
    Effect.gen(function* () {
      const bound = model.pipe(ChatModel.bindTools([tools().getWeather], { parallelToolCalls: true }))
      const check = (message: Message.AIMessage, what: string) => {
        const calls = expectValidCalls(message, what)
        vitest().expect(calls.length, `${what}: number of tool calls`).toBe(2)
        vitest()
          .expect(new Set(calls.map((call) => call.id)).size, `${what}: distinct call ids`)
          .toBe(2)
        for (const call of calls) vitest().expect(call.name, `${what}: tool name`).toBe("get_weather")
        const locations = calls.map((call) => String(call.args.location))
        for (const city of ["Paris", "London"]) {
          vitest()
            .expect(
              locations.some((location) => location.includes(city)),
              `${what}: a call for ${city} in ${JSON.stringify(locations)}`
            )
            .toBe(true)
        }
      }
      check(yield* bound.invoke(toolPrompts.parallel), "answer")
      check(yield* streamed(bound, toolPrompts.parallel, "stream"), "merged stream")
    })
}

/** Unicode in tool-call args comes back unchanged, by `invoke` and by `stream`. */
const unicode: Case = {
  name: "unicode tool arguments",
  requires: "toolCalling",
  check: (model) =>
    Effect.gen(function* () {
      const options: ChatModel.BindToolsOptions = model.profile.toolChoice
        ? { toolChoice: "unicode_customer" }
        : {}
      const bound = model.pipe(ChatModel.bindTools([tools().unicodeCustomer], options))
      for (const [what, message] of [
        ["answer", yield* bound.invoke(toolPrompts.unicode)],
        ["merged stream", yield* streamed(bound, toolPrompts.unicode, "stream")]
      ] as const) {
        const call = expectOneCall(message, "unicode_customer", undefined, what)
        vitest().expect(call.args.customer_name, `${what}: customer_name`).toContain(unicodeName)
        vitest()
          .expect(typeof call.args.description, `${what}: description`)
          .toBe("string")
      }
    })
}

/**
 * `runTools`: the model calls the tool, the tool runs, the model answers with text:
 * exactly an AI message with one call, its tool message, and a text answer.
 */
const agentLoop: Case = {
  name: "agent loop",
  requires: "toolCalling",
  check: (model) =>
    Effect.gen(function* () {
      const messages = yield* collect(
        model.runTools(toolPrompts.agent, { tools: [tools().getWeather], maxSteps: 3 })
      )
      vitest()
        .expect(
          messages.map((message) => message._tag),
          "messages produced"
        )
        .toEqual(["AIMessage", "ToolMessage", "AIMessage"])
      const [first, second, third] = messages
      if (first?._tag !== "AIMessage" || second?._tag !== "ToolMessage" || third?._tag !== "AIMessage") return
      const call = expectOneCall(first, "get_weather", undefined, "first answer")
      vitest().expect(String(call.args.location), "first answer: location").toContain("San Francisco")
      vitest().expect(second.toolCallId, "tool message: toolCallId").toBe(call.id)
      vitest().expect(second.status, "tool message: status").toBe("success")
      vitest().expect(Message.text(second), "tool message: content").toBe("It's sunny.")
      expectTextAnswer(third, model.profile, "final answer")
    })
}

/** The tool checks, in registration order. */
export const cases: ReadonlyArray<Case> = [
  toolCallingInvoke,
  toolCallingStream,
  toolChoice,
  noArguments,
  historyString,
  historyList,
  errorStatus,
  fewShot,
  parallel,
  unicode,
  agentLoop
]
