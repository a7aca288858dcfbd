/**
 * Conformance checks of structured output (LangChain's `test_structured_output` for each
 * method, `test_structured_output_optional_param`, `include_raw`, and `test_json_mode`):
 * `ChatModel.withStructuredOutput` with each method the profile supports, by `invoke`
 * and by `stream`.
 *
 * Gates: `jsonSchema` needs `structuredOutput`, `functionCalling` (a forced tool) needs
 * `toolChoice`, `jsonMode` needs `jsonMode`.
 *
 * @internal
 */

import { ChatModel, Message, type StructuredOutput } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { type Capability, type Case, type CaseError, collect } from "./harness.js"
import { vitest } from "./vitest.js"

const setup = Schema.String.annotations({ description: "question to set up a joke" })
const punchline = Schema.String.annotations({ description: "answer to resolve the joke" })

/** LangChain's `Joke`. */
export const Joke = Schema.Struct({ setup, punchline }).annotations({
  identifier: "Joke",
  description: "Joke to tell user."
})

/** LangChain's `Joke` with an optional punchline. */
export const JokeOptional = Schema.Struct({ setup, punchline: Schema.optional(punchline) }).annotations({
  identifier: "Joke",
  description: "Joke to tell user."
})

/** The prompts of the structured-output checks. */
export const structuredPrompts = {
  joke: "Tell me a joke about cats.",
  json:
    "Tell me a joke about cats. Return the result as a JSON object with 'setup' and 'punchline' keys. " +
    "Return nothing other than JSON.",
  setupOnly: "Give me the setup to a joke about cats, no punchline.",
  withPunchline: "Give me a joke about cats, include the punchline."
} as const

interface MethodInfo {
  readonly method: StructuredOutput.Method
  readonly requires: Capability
  /** The prompt asking for a joke (JSON mode says "JSON" and names the keys, as providers require). */
  readonly prompt: string
}

const methods: ReadonlyArray<MethodInfo> = [
  { method: "jsonSchema", requires: "structuredOutput", prompt: structuredPrompts.joke },
  { method: "functionCalling", requires: "toolChoice", prompt: structuredPrompts.joke },
  { method: "jsonMode", requires: "jsonMode", prompt: structuredPrompts.json }
]

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Asserts a joke: a non-empty setup, and a non-empty punchline when `withPunchline`. */
const expectJoke = (
  joke: { readonly setup: string; readonly punchline?: string | undefined },
  withPunchline: boolean,
  what: string
): void => {
  vitest().expect(joke.setup.length, `${what}: setup`).toBeGreaterThan(0)
  if (withPunchline) {
    vitest()
      .expect(typeof joke.punchline, `${what}: punchline`)
      .toBe("string")
    vitest().expect(joke.punchline?.length, `${what}: punchline`).toBeGreaterThan(0)
  }
}

/**
 * Asserts the parts of a structured stream: partial objects (plain JSON objects, at
 * least one), then exactly one final `Complete` part; returns its value.
 */
const expectParts = <A>(parts: ReadonlyArray<StructuredOutput.Part<A>>, what: string): A => {
  vitest()
    .expect(
      parts.map((part) => part._tag),
      `${what}: partial parts, then one complete part`
    )
    .toEqual(parts.map((_, index) => (index === parts.length - 1 ? "Complete" : "Partial")))
  vitest().expect(parts.length, `${what}: number of partial parts`).toBeGreaterThan(1)
  parts.slice(0, -1).forEach((part, index) => {
    vitest().expect(isRecord(part.value), `${what}: partial ${index} is a JSON object`).toBe(true)
  })
  return parts.at(-1)!.value as A
}

type Check = (model: ChatModel.Service, info: MethodInfo) => Effect.Effect<void, CaseError>

const perMethod = (name: (method: string) => string, check: Check): ReadonlyArray<Case> =>
  methods.map((info) => ({
    name: name(info.method),
    requires: info.requires,
    check: (model) => check(model, info)
  }))

/** `invoke` answers a decoded `Joke`; `stream` partial objects, then the decoded `Joke`. */
const structuredOutput = perMethod(
  (method) => `structured output (${method})`,
  (model, { method, prompt }) =>
    Effect.gen(function* () {
      const jokes = model.pipe(ChatModel.withStructuredOutput(Joke, { method }))
      expectJoke(yield* jokes.invoke(prompt), true, "invoke")
      expectJoke(expectParts(yield* collect(jokes.stream(prompt)), "stream"), true, "stream")
    })
)

/**
 * An optional field: the setup alone when the prompt declines the punchline (a missing
 * field, never a `null` that fails decoding), both fields when it asks for them.
 */
const optionalField = perMethod(
  (method) => `structured output with an optional field (${method})`,
  (model, { method }) =>
    Effect.gen(function* () {
      const jokes = model.pipe(ChatModel.withStructuredOutput(JokeOptional, { method }))
      expectJoke(yield* jokes.invoke(structuredPrompts.setupOnly), false, "setup only")
      expectJoke(yield* jokes.invoke(structuredPrompts.withPunchline), true, "with punchline")
    })
)

/** Asserts an `includeRaw` value: the raw AI message, the parsed joke, no parsing error. */
const expectWithRaw = (
  value: StructuredOutput.WithRaw<typeof Joke.Type>,
  method: StructuredOutput.Method,
  what: string
): void => {
  vitest().expect(value.raw, `${what}: raw`).toBeInstanceOf(Message.AIMessage)
  vitest().expect(Option.getOrUndefined(value.parsingError)?.message, `${what}: parsingError`).toBeUndefined()
  vitest().expect(Option.isSome(value.parsed), `${what}: parsed`).toBe(true)
  if (Option.isSome(value.parsed)) expectJoke(value.parsed.value, true, `${what}: parsed`)
  if (method === "functionCalling") {
    vitest()
      .expect(
        value.raw.toolCalls.map((call) => call.name),
        `${what}: raw tool calls`
      )
      .toEqual(["Joke"])
  } else {
    vitest().expect(Message.text(value.raw).length, `${what}: raw text`).toBeGreaterThan(0)
  }
}

/** `includeRaw: true` returns `{ raw, parsed, parsingError }`, by `invoke` and by `stream`. */
const includeRaw = perMethod(
  (method) => `structured output with includeRaw (${method})`,
  (model, { method, prompt }) =>
    Effect.gen(function* () {
      const jokes = model.pipe(ChatModel.withStructuredOutput(Joke, { method, includeRaw: true }))
      expectWithRaw(yield* jokes.invoke(prompt), method, "invoke")
      expectWithRaw(expectParts(yield* collect(jokes.stream(prompt)), "stream"), method, "stream")
    })
)

/** The structured-output checks, in registration order. */
export const cases: ReadonlyArray<Case> = [...structuredOutput, ...optionalField, ...includeRaw]
