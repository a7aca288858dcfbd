/**
 * The request validator against OpenAI's published schema: valid bodies pass, wrong ones
 * fail with readable "path: message" lines, and the OpenAPI 3.0 remnants (`nullable`,
 * boolean exclusive bounds) are turned into JSON Schema 2020-12.
 */
import { beforeAll, describe, expect, it } from "@effect/vitest"
import { convert, validateRequest } from "./openapi.js"

const chat = { model: "gpt-4.1-mini", messages: [{ role: "user", content: "Hello" }] }

describe("validateRequest", () => {
  // Parsing the YAML (first run) and compiling the schema take a few seconds, once.
  beforeAll(() => {
    validateRequest("CreateChatCompletionRequest", chat)
  }, 60_000)

  describe("CreateChatCompletionRequest", () => {
    it("accepts a minimal request", () => {
      expect(validateRequest("CreateChatCompletionRequest", chat)).toEqual([])
    })

    it("accepts a full request: every role, content parts, tools, structured output, streaming", () => {
      const body = {
        ...chat,
        messages: [
          { role: "developer", content: "Be brief." },
          { role: "system", content: "You are helpful." },
          {
            role: "user",
            name: "ada",
            content: [
              { type: "text", text: "What is in this picture?" },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" } },
              { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
              { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
              { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } }
            ]
          },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }
            ]
          },
          { role: "tool", tool_call_id: "call_1", content: "sunny" }
        ],
        tools: [
          {
            type: "function",
            function: {
              name: "weather",
              description: "The weather in a city",
              parameters: {
                type: "object",
                properties: { city: { type: "string" } },
                required: ["city"],
                additionalProperties: false
              },
              strict: true
            }
          }
        ],
        tool_choice: { type: "function", function: { name: "weather" } },
        parallel_tool_calls: false,
        response_format: {
          type: "json_schema",
          json_schema: { name: "answer", schema: { type: "object" }, strict: true }
        },
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.2,
        top_p: 1,
        max_completion_tokens: 256,
        seed: 7,
        stop: ["\n\n"],
        n: 2,
        logprobs: true,
        top_logprobs: 3,
        reasoning_effort: "low",
        service_tier: "auto"
      }
      expect(validateRequest("CreateChatCompletionRequest", body)).toEqual([])
      expect(
        validateRequest("CreateChatCompletionRequest", {
          ...body,
          tool_choice: "required",
          response_format: { type: "json_object" }
        })
      ).toEqual([])
    })

    it("reports a missing `messages`", () => {
      expect(validateRequest("CreateChatCompletionRequest", { model: "gpt-4.1-mini" })).toEqual([
        "/: must have required property 'messages'"
      ])
    })

    it("reports an unknown role with the allowed ones, and only that", () => {
      const errors = validateRequest("CreateChatCompletionRequest", {
        ...chat,
        messages: [{ role: "robot", content: "beep" }]
      })
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatch(/^\/messages\/0\/role: must be equal to one of the allowed values/)
      expect(errors[0]).toContain('"assistant"')
    })

    it("reports a wrongly typed field and a message's own missing field", () => {
      const errors = validateRequest("CreateChatCompletionRequest", {
        ...chat,
        messages: [{ role: "tool", content: "sunny" }],
        temperature: "hot"
      })
      expect(errors).toEqual(
        expect.arrayContaining([
          "/temperature: must be number",
          "/messages/0: must have required property 'tool_call_id'"
        ])
      )
      expect(errors).toHaveLength(2)
    })

    it("accepts null where the spec says `nullable: true`", () => {
      expect(
        validateRequest("CreateChatCompletionRequest", {
          ...chat,
          temperature: null,
          max_completion_tokens: null,
          frequency_penalty: null,
          stop: null
        })
      ).toEqual([])
      // but not where it does not
      expect(validateRequest("CreateChatCompletionRequest", { ...chat, messages: null })).not.toEqual([])
    })

    it("keeps the numeric bounds", () => {
      expect(validateRequest("CreateChatCompletionRequest", { ...chat, frequency_penalty: 3 })).toEqual([
        "/frequency_penalty: must be <= 2"
      ])
    })
  })

  describe("CreateResponse", () => {
    it("accepts a minimal request", () => {
      expect(validateRequest("CreateResponse", { model: "gpt-4.1-mini", input: "Hello" })).toEqual([])
    })

    it("accepts input items: messages, reasoning, function calls and their outputs", () => {
      expect(
        validateRequest("CreateResponse", {
          model: "o4-mini",
          instructions: "Be brief.",
          input: [
            {
              role: "user",
              content: [
                { type: "input_text", text: "hi" },
                { type: "input_image", image_url: "https://example.com/cat.png", detail: "auto" }
              ]
            },
            { role: "assistant", content: "Hello!" },
            {
              type: "reasoning",
              id: "rs_1",
              summary: [{ type: "summary_text", text: "…" }],
              encrypted_content: "gAAA"
            },
            { type: "function_call", call_id: "call_1", name: "weather", arguments: "{}" },
            { type: "function_call_output", call_id: "call_1", output: "sunny" }
          ],
          tools: [
            {
              type: "function",
              name: "weather",
              description: "w",
              parameters: { type: "object" },
              strict: false
            }
          ],
          tool_choice: "auto",
          text: { format: { type: "json_schema", name: "answer", schema: { type: "object" }, strict: true } },
          reasoning: { effort: "low", summary: "auto" },
          include: ["reasoning.encrypted_content"],
          store: false,
          stream: true,
          max_output_tokens: 64,
          top_p: null
        })
      ).toEqual([])
    })

    it("rejects a wrong body", () => {
      const errors = validateRequest("CreateResponse", {
        model: "gpt-4.1-mini",
        input: 5,
        temperature: "hot"
      })
      expect(errors).toEqual(
        expect.arrayContaining([
          "/temperature: must be number",
          "/input: must be string",
          "/input: must be array"
        ])
      )
    })

    it("reports a function call item's own missing field, not one line per kind of item", () => {
      const errors = validateRequest("CreateResponse", {
        model: "gpt-4.1-mini",
        input: [{ type: "function_call", call_id: "call_1", name: "weather" }]
      })
      expect(errors).toContain("/input/0: must have required property 'arguments'")
      expect(errors.length).toBeLessThanOrEqual(2)
    })
  })
})

describe("convert", () => {
  const converted = (schema: unknown) => {
    const document = convert({
      components: {
        schemas: { CreateChatCompletionRequest: schema, CreateResponse: {}, Other: { type: "string" } }
      }
    })
    return (document.$defs as Record<string, unknown>).CreateChatCompletionRequest
  }

  it("turns `nullable: true` into a null alternative", () => {
    expect(converted({ type: "integer", nullable: true })).toEqual({ type: ["integer", "null"] })
    expect(converted({ type: "string", enum: ["a", "b"], nullable: true })).toEqual({
      type: ["string", "null"],
      enum: ["a", "b", null]
    })
    expect(converted({ $ref: "#/components/schemas/Other", nullable: true })).toEqual({
      anyOf: [{ $ref: "#/$defs/Other" }, { type: "null" }]
    })
    expect(converted({ type: "object", nullable: false })).toEqual({ type: "object" })
  })

  it("converts boolean exclusive bounds and drops OpenAPI-only keywords, never property names", () => {
    expect(
      converted({
        type: "object",
        discriminator: { propertyName: "type" },
        example: { a: 1 },
        "x-oaiMeta": {},
        properties: {
          example: {
            type: "number",
            minimum: 0,
            exclusiveMinimum: true,
            maximum: 1,
            exclusiveMaximum: false
          },
          nullable: { type: "boolean" },
          id: { type: "string", readOnly: true }
        },
        required: ["example", "id"]
      })
    ).toEqual({
      type: "object",
      properties: {
        example: { type: "number", exclusiveMinimum: 0, maximum: 1 },
        nullable: { type: "boolean" }
      },
      required: ["example"]
    })
  })

  it("keeps only the schemas the request schemas reach", () => {
    const document = convert({
      components: {
        schemas: {
          CreateChatCompletionRequest: { $ref: "#/components/schemas/Reached" },
          CreateResponse: {},
          Reached: { type: "string" },
          Unreached: { type: "number" }
        }
      }
    })
    expect(Object.keys(document.$defs as object).sort()).toEqual([
      "CreateChatCompletionRequest",
      "CreateResponse",
      "Reached"
    ])
  })
})
