// Runs every example of docs/structured-output.md
// (packages/examples/src/docs/structured-output.ts) and checks what it produced, so that
// the page cannot rot. Sleeps (chunk latency, retry backoff) are driven by TestClock.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as Structured from "../../src/docs/structured-output.js"
import { captureLog, withClock } from "./support/effects.js"

describe("docs/structured-output.md", () => {
  it.effect("ten lines: from a Schema to a typed object", () =>
    Effect.gen(function* () {
      const [, output] = yield* captureLog(Structured.tenLines)
      expect(output).toBe("Ada Lovelace, born 1815, wrote English and French\n")
    })
  )

  it.effect("the three methods: what the provider is asked", () =>
    Effect.gen(function* () {
      const { jsonSchema, functionCalling, jsonMode } = yield* Structured.methods
      expect(jsonSchema).toEqual({
        name: "Ada Lovelace",
        responseFormat: {
          type: "jsonSchema",
          name: "Person",
          strict: true,
          schema: {
            type: "object",
            properties: {
              name: { type: "string" },
              born: { type: "integer", description: "Year of birth" },
              languages: { type: "array", items: { type: "string" } }
            },
            required: ["name", "born", "languages"],
            additionalProperties: false
          }
        },
        tools: [],
        toolChoice: undefined,
        firstMessage: "HumanMessage"
      })
      expect(functionCalling).toEqual({
        name: "Ada Lovelace",
        responseFormat: undefined,
        tools: ["person"],
        toolChoice: "person",
        firstMessage: "HumanMessage"
      })
      expect(jsonMode).toEqual({
        name: "Ada Lovelace",
        responseFormat: { type: "json" },
        tools: [],
        toolChoice: undefined,
        firstMessage: "SystemMessage"
      })
    })
  )

  it.effect("the default method follows the profile", () =>
    Effect.gen(function* () {
      expect(yield* Structured.defaultMethod({ structuredOutput: true, toolCalling: true })).toBe(
        "jsonSchema"
      )
      expect(yield* Structured.defaultMethod({ toolCalling: true })).toBe("functionCalling")
      expect(yield* Structured.defaultMethod({ jsonMode: true })).toBe("jsonMode")
      expect(yield* Structured.defaultMethod(undefined)).toBe("jsonMode")
    })
  )

  it.effect("typed failures: raw text, decode issue, refusal", () =>
    Effect.gen(function* () {
      const [notJson, mismatch, refused] = yield* Structured.failures
      expect(notJson).toMatch(
        /^could not read "It was Ada Lovelace\." \(retryable: true\): the model's answer is not valid JSON/
      )
      expect(mismatch).toContain("(retryable: true): the model's answer does not match the schema")
      expect(mismatch).toContain('/born: Expected number, actual "1815"')
      expect(mismatch).toContain("/languages: is missing")
      expect(refused).toBe("refused: I can't help with that. (retryable: false)")
    })
  )

  it.effect("withRetry asks again when the answer does not parse", () =>
    Effect.gen(function* () {
      expect(yield* withClock(Structured.retried)).toEqual({ name: "Ada Lovelace", attempts: 2 })
    })
  )

  it.effect("includeRaw: the message, the parsed value or the parsing error", () =>
    Effect.gen(function* () {
      const result = yield* Structured.includeRaw
      expect(result.parsed).toEqual(Option.some("Ada Lovelace"))
      expect(result.totalTokens).toBeGreaterThan(0)
      expect(result.failedRaw).toEqual(Option.some("Sorry, no JSON today."))
    })
  )

  it.effect("streaming: growing partial objects, then the decoded value", () =>
    Effect.gen(function* () {
      const { partials, person } = yield* withClock(Structured.streaming)
      expect(partials.length).toBeGreaterThan(5)
      expect(partials).toContainEqual({ name: "Ada" })
      expect(partials).toContainEqual({ name: "Ada Lovelace", born: 1815 })
      expect(partials.at(-1)).toEqual({ name: "Ada Lovelace", born: 1815, languages: ["English", "French"] })
      expect(Option.map(person, (value) => value instanceof Structured.Person)).toEqual(Option.some(true))
      expect(person).toEqual(
        Option.some(
          new Structured.Person({ name: "Ada Lovelace", born: 1815, languages: ["English", "French"] })
        )
      )
    })
  )

  it.effect("batch: decoded answers in input order", () =>
    Effect.gen(function* () {
      expect(yield* Structured.batch).toEqual([
        "Ada Lovelace (1815)",
        "Grace Hopper (1906)",
        "Alan Turing (1912)"
      ])
    })
  )
})
