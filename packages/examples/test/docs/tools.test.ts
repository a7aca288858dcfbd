// Runs every example of docs/tools.md (packages/examples/src/docs/tools.ts) and checks
// what it produced, so that the page cannot rot.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Tools from "../../src/docs/tools.js"
import { captureLog } from "./support/effects.js"

describe("docs/tools.md", () => {
  it.effect("ten lines: from a Schema to a typed tool call", () =>
    Effect.gen(function* () {
      const [, output] = yield* captureLog(Tools.tenLines)
      expect(output).toBe("get_weather Paris C\n")
    })
  )

  it("defining tools: JSON Schema from the Schema, descriptions from annotations", () => {
    expect(Tools.weather.jsonSchema).toEqual({
      type: "object",
      required: ["city"],
      properties: {
        city: { type: "string", description: "The city, e.g. Paris" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"], description: "Default: celsius" }
      },
      additionalProperties: false
    })
    expect(Tools.weather.definition()).toEqual({
      name: "weather",
      description: "The current weather in a city",
      parameters: Tools.weather.jsonSchema
    })
    expect(Tools.now.jsonSchema).toEqual({
      type: "object",
      properties: {},
      required: [],
      additionalProperties: false
    })
  })

  it.effect("tools known only at runtime: args checked against the JSON Schema", () =>
    Effect.gen(function* () {
      const result = yield* Tools.runtimeTools
      expect(result.valid).toEqual(Either.right({ query: "bindTools", limit: 5 }))
      expect(result.invalid).toEqual(Either.left("/limit: expected at most 20, got 50"))
      expect(result.read).toBe("contents of README.md")
      expect(Tools.readFile.name).toBe("read_file")
      expect(Tools.readFile.jsonSchema).toMatchObject({ required: ["path"] })
    })
  )

  it.effect("bindTools: typed calls narrowed on name, and what the provider received", () =>
    Effect.gen(function* () {
      expect(yield* Tools.typedCalls).toEqual({
        lines: ["weather in Paris in fahrenheit", "the time"],
        cities: ["Paris"],
        sent: ["weather", "now"],
        toolChoice: "any",
        parallelToolCalls: true
      })
    })
  )

  it.effect("invalid calls land in invalidToolCalls with the reason", () =>
    Effect.gen(function* () {
      expect(yield* Tools.invalidCalls).toEqual({
        valid: 0,
        invalid: [
          { name: "weather", error: "/city: Expected string, actual 42" },
          { name: "teleport", error: 'unknown tool "teleport"; available: weather, now' }
        ]
      })
    })
  )

  it.effect("streaming: partial tool calls on demand, the complete ones at the end", () =>
    Effect.gen(function* () {
      const { seen, final } = yield* Tools.streamingCalls
      expect(seen.length).toBeGreaterThan(2)
      expect(seen).toContain('weather {"city":"R"}')
      expect(seen.at(-1)).toBe('weather {"city":"Reykjavík"}')
      expect(final.toolCalls).toEqual([{ id: "call_1", name: "weather", args: { city: "Reykjavík" } }])
    })
  )

  it.effect("Tool.run: one message per call, failures as error messages or a ToolError", () =>
    Effect.gen(function* () {
      const { results, failed } = yield* Tools.runCalls
      expect(results).toEqual([
        { id: "call_1", status: "success", content: '{"city":"Paris","temperature":18,"unit":"celsius"}' },
        { id: "call_2", status: "error", content: 'Error: {"city":"Atlantis","_tag":"CityNotFound"}' },
        { id: "call_3", status: "success", content: "2026-05-01T12:00:00Z" }
      ])
      expect(failed).toBe(
        'HandlerFailed: tool "weather" (call call_2): {"city":"Atlantis","_tag":"CityNotFound"}'
      )
    })
  )

  it.effect("runTools: the loop as a stream of messages", () =>
    Effect.gen(function* () {
      const [lines, output] = yield* captureLog(Tools.agentLoop.pipe(Effect.provide(Tools.AgentModel)))
      expect(lines).toEqual([
        'AIMessage: ["weather(Paris)","weather(Oslo)"]',
        'ToolMessage: {"city":"Paris","temperature":18,"unit":"celsius"}',
        'ToolMessage: {"city":"Oslo","temperature":4,"unit":"celsius"}',
        "AIMessage: Paris (18°C) is warmer than Oslo (4°C)."
      ])
      expect(output).toBe(lines.map((line) => `${line}\n`).join(""))
    })
  )

  it.effect("strict mode: the rewrite sent, the null decoded as absent", () =>
    Effect.gen(function* () {
      const { parameters, args } = yield* Tools.strictMode
      expect(parameters).toEqual({
        type: "object",
        properties: {
          city: { type: "string", description: "The city, e.g. Paris" },
          unit: {
            anyOf: [{ type: "string", enum: ["celsius", "fahrenheit"] }, { type: "null" }],
            description: "Default: celsius"
          }
        },
        required: ["city", "unit"],
        additionalProperties: false
      })
      expect(args).toEqual([{ city: "Oslo" }])
    })
  )

  it.effect("strict mode: records, tuples and dropped constraints, as a codec", () =>
    Effect.gen(function* () {
      const schema = Tools.itineraryCodec.jsonSchema as {
        readonly properties: Record<string, Record<string, unknown>>
        readonly required: ReadonlyArray<string>
      }
      expect(schema.required).toEqual(["traveller", "stops", "nights", "start", "budget", "note"])
      expect(schema.properties.traveller).toEqual({
        type: "string",
        description: "a string at least 2 character(s) long (minLength: 2)"
      })
      expect(schema.properties.nights).toMatchObject({
        type: "array",
        items: { type: "object", required: ["key", "value"], additionalProperties: false }
      })
      expect(schema.properties.start).toMatchObject({ type: "array", items: { type: "number" } })
      expect(schema.properties.budget).toMatchObject({ type: "object", required: ["0", "1"] })
      expect(schema.properties.note).toEqual({ type: ["string", "null"] })

      const { decoded, tooShort } = yield* Tools.strictCodec
      expect(decoded).toEqual(
        Either.right({
          traveller: "Ada",
          stops: ["Paris", "Oslo"],
          nights: { Paris: 2, Oslo: 3 },
          start: [48.85, 2.35],
          budget: [900, "EUR"]
        })
      )
      expect(tooShort).toEqual(
        Either.left('/traveller: Expected a string at least 2 character(s) long, actual "A"')
      )
    })
  )
})
