import { describe, expect, it } from "@effect/vitest"
import { Message, PromptValue } from "@effect-chat/core"
import { Either, FastCheck as fc, Schema } from "effect"

const chunk = Message.chunk
const empty = chunk({ content: "" })

describe("Message constructors", () => {
  it("human, system and ai accept content or fields", () => {
    expect(Message.human("hi").content).toBe("hi")
    expect(Message.human({ content: "hi", name: "ada" }).name).toBe("ada")
    expect(Message.system("be brief")._tag).toBe("SystemMessage")
    const answer = Message.ai({ content: "", toolCalls: [{ id: "c1", name: "add", args: { a: 1 } }] })
    expect(answer.toolCalls).toEqual([{ id: "c1", name: "add", args: { a: 1 } }])
    expect(answer.invalidToolCalls).toEqual([])
    expect(answer.responseMetadata).toEqual({})
  })

  it("tool messages default to status success", () => {
    expect(Message.tool({ toolCallId: "c1", content: "4" }).status).toBe("success")
    expect(Message.tool({ toolCallId: "c1", content: "boom", status: "error" }).status).toBe("error")
  })

  it("fast constructors build the same instances as the Schema classes", () => {
    expect(Message.human({ content: "hi", id: "1" })).toEqual(
      new Message.HumanMessage({ content: "hi", id: "1" })
    )
    expect(Message.ai("x")).toEqual(new Message.AIMessage({ content: "x" }))
    expect(Message.tool({ toolCallId: "c", content: "r" })).toEqual(
      new Message.ToolMessage({ toolCallId: "c", content: "r" })
    )
    expect(chunk({ content: "x", last: true })).toEqual(
      new Message.AIMessageChunk({ content: "x", last: true })
    )
    expect(Message.ai("x")).toBeInstanceOf(Message.AIMessage)
  })

  it("a string tool-call index becomes a number on entry", () => {
    const piece = chunk({ content: "", toolCallChunks: [{ index: "2", args: "{" }] })
    expect(piece.toolCallChunks).toEqual([{ index: 2, args: "{" }])
  })
})

describe("Message.text", () => {
  it("returns string content as is", () => {
    expect(Message.text(Message.ai("hello"))).toBe("hello")
  })

  it("joins the text blocks only", () => {
    const message = Message.human([
      { type: "text", text: "look " },
      { type: "image", url: "https://example.com/a.png" },
      { type: "text", text: "here" }
    ])
    expect(Message.text(message)).toBe("look here")
  })
})

describe("Message JSON round trip", () => {
  const roundTrip = (message: Message.Message) =>
    Schema.decodeUnknownSync(Message.Message)(
      JSON.parse(JSON.stringify(Schema.encodeSync(Message.Message)(message)))
    )

  it.each([
    [
      "HumanMessage",
      Message.human({
        content: [
          { type: "text", text: "hi" },
          { type: "image", data: "AAAA", mimeType: "image/png" }
        ],
        name: "ada"
      })
    ],
    ["SystemMessage", Message.system({ content: "be brief", additionalKwargs: { role: "developer" } })],
    [
      "AIMessage",
      Message.ai({
        content: [
          { type: "reasoning", reasoning: "think", signature: "sig" },
          { type: "text", text: "4" }
        ],
        id: "m1",
        toolCalls: [{ id: "c1", name: "add", args: { a: 2, b: 2 } }],
        invalidToolCalls: [{ id: "c2", name: "x", args: "{", error: "bad json" }],
        usageMetadata: {
          inputTokens: 3,
          outputTokens: 2,
          totalTokens: 5,
          inputTokenDetails: { cacheRead: 1 }
        },
        responseMetadata: {
          modelName: "m",
          finishReason: "toolCalls",
          rawFinishReason: "tool_calls",
          extra: [1]
        }
      })
    ],
    ["ToolMessage", Message.tool({ toolCallId: "c1", content: "4", status: "error", artifact: { raw: 4 } })],
    [
      "AIMessageChunk",
      chunk({
        content: "par",
        toolCallChunks: [{ index: 0, id: "c1", name: "add", args: '{"a"' }],
        last: true
      })
    ],
    [
      "audio and file blocks",
      Message.human([
        { type: "audio", data: "AAAA", mimeType: "audio/wav" },
        { type: "file", url: "https://x/y.pdf", mimeType: "application/pdf", filename: "y.pdf" }
      ])
    ]
  ] as const)("%s encodes to JSON and decodes back", (_, message) => {
    const decoded = roundTrip(message)
    expect(decoded).toEqual(message)
    expect(decoded).toBeInstanceOf(message.constructor)
  })

  it("decoding rejects an image block with neither url nor data", () => {
    const result = Schema.decodeUnknownEither(Message.Message)({
      _tag: "HumanMessage",
      content: [{ type: "image" }]
    })
    expect(Either.isLeft(result)).toBe(true)
  })
})

describe("Message.concat", () => {
  it("appends string content", () => {
    expect(Message.concat(chunk({ content: "Hel" }), chunk({ content: "lo" })).content).toBe("Hello")
  })

  it("turns a string meeting a block list into a text block", () => {
    const merged = Message.concat(chunk({ content: "a" }), chunk({ content: [{ type: "image", url: "u" }] }))
    expect(merged.content).toEqual([
      { type: "text", text: "a" },
      { type: "image", url: "u" }
    ])
  })

  it("merges blocks with the same index", () => {
    const merged = Message.concat(
      chunk({ content: [{ type: "reasoning", reasoning: "th", index: 0 }] }),
      chunk({
        content: [
          { type: "reasoning", reasoning: "ink", signature: "s", index: 0 },
          { type: "text", text: "4", index: 1 }
        ]
      })
    )
    expect(merged.content).toEqual([
      { type: "reasoning", reasoning: "think", signature: "s", index: 0 },
      { type: "text", text: "4", index: 1 }
    ])
  })

  it("merges tool-call chunks by index, appending args", () => {
    const merged = [
      chunk({ content: "", toolCallChunks: [{ index: 0, id: "a", name: "add", args: "" }] }),
      chunk({ content: "", toolCallChunks: [{ index: 1, id: "b", name: "mul", args: '{"x":' }] }),
      chunk({ content: "", toolCallChunks: [{ index: 0, args: '{"a":1}' }] }),
      chunk({ content: "", toolCallChunks: [{ index: 1, args: "2}" }] })
    ].reduce(Message.concat)
    expect(merged.toolCallChunks).toEqual([
      { index: 0, id: "a", name: "add", args: '{"a":1}' },
      { index: 1, id: "b", name: "mul", args: '{"x":2}' }
    ])
  })

  it("merges tool calls whose first index is not 0", () => {
    const merged = Message.concat(
      chunk({ content: "", toolCallChunks: [{ index: 3, id: "a", name: "add", args: '{"a"' }] }),
      chunk({ content: "", toolCallChunks: [{ index: 3, args: ":1}" }] })
    )
    expect(Message.toMessage(merged).toolCalls).toEqual([{ id: "a", name: "add", args: { a: 1 } }])
  })

  it("merges string indexes from the wire like numbers", () => {
    const merged = Message.concat(
      chunk({ content: "", toolCallChunks: [{ index: "0", id: "a", name: "add", args: '{"a"' }] }),
      chunk({ content: "", toolCallChunks: [{ index: 0, args: ":1}" }] })
    )
    expect(merged.toolCallChunks).toEqual([{ index: 0, id: "a", name: "add", args: '{"a":1}' }])
  })

  it("joins a piece without index to the call with the same id", () => {
    const merged = [
      chunk({ content: "", toolCallChunks: [{ id: "a", name: "add", args: '{"a"' }] }),
      chunk({ content: "", toolCallChunks: [{ id: "b", name: "mul", args: "{}" }] }),
      chunk({ content: "", toolCallChunks: [{ id: "a", args: ":1}" }] })
    ].reduce(Message.concat)
    expect(merged.toolCallChunks).toEqual([
      { id: "a", name: "add", args: '{"a":1}' },
      { id: "b", name: "mul", args: "{}" }
    ])
  })

  it("joins a piece with neither index nor id to the last open call", () => {
    const merged = [
      chunk({ content: "", toolCallChunks: [{ id: "a", name: "add", args: '{"a"' }] }),
      chunk({ content: "", toolCallChunks: [{ args: ":1}" }] })
    ].reduce(Message.concat)
    expect(merged.toolCallChunks).toEqual([{ id: "a", name: "add", args: '{"a":1}' }])
  })

  it("starts a new call when the same index arrives with a different id", () => {
    const merged = Message.concat(
      chunk({ content: "", toolCallChunks: [{ index: 0, id: "a", name: "add", args: "{}" }] }),
      chunk({ content: "", toolCallChunks: [{ index: 0, id: "b", name: "mul", args: "{}" }] })
    )
    expect(merged.toolCallChunks).toHaveLength(2)
  })

  it("adds usage and keeps the first id", () => {
    const merged = Message.concat(
      chunk({
        content: "a",
        id: "first",
        usageMetadata: { inputTokens: 5, outputTokens: 1, totalTokens: 6 }
      }),
      chunk({
        content: "b",
        id: "second",
        usageMetadata: {
          inputTokens: 0,
          outputTokens: 2,
          totalTokens: 2,
          outputTokenDetails: { reasoning: 1 }
        }
      })
    )
    expect(merged.id).toBe("first")
    expect(merged.usageMetadata).toEqual({
      inputTokens: 5,
      outputTokens: 3,
      totalTokens: 8,
      outputTokenDetails: { reasoning: 1 }
    })
  })

  it("leaves usage absent when no chunk reports it", () => {
    expect(Message.concat(chunk({ content: "a" }), chunk({ content: "b" })).usageMetadata).toBeUndefined()
  })

  it("merges response metadata with the later value winning and arrays appended", () => {
    const merged = Message.concat(
      chunk({ content: "", responseMetadata: { modelName: "m", logprobs: { content: [1] } } }),
      chunk({
        content: "",
        responseMetadata: { modelName: "m", finishReason: "stop", logprobs: { content: [2] } }
      })
    )
    expect(merged.responseMetadata).toEqual({
      modelName: "m",
      finishReason: "stop",
      logprobs: { content: [1, 2] }
    })
  })
})

describe("Message.toMessage", () => {
  it("parses tool-call args as JSON and treats empty args as {}", () => {
    const message = Message.toMessage(
      chunk({
        content: "",
        toolCallChunks: [
          { index: 0, id: "a", name: "add", args: '{"a":1}' },
          { index: 1, id: "b", name: "now", args: "" },
          { index: 2, id: "c", name: "ping" }
        ]
      })
    )
    expect(message.toolCalls).toEqual([
      { id: "a", name: "add", args: { a: 1 } },
      { id: "b", name: "now", args: {} },
      { id: "c", name: "ping", args: {} }
    ])
    expect(message.responseMetadata.finishReason).toBe("toolCalls")
  })

  it("moves unparsable args to invalidToolCalls with the parse error", () => {
    const message = Message.toMessage(
      chunk({ content: "", toolCallChunks: [{ index: 0, id: "a", name: "add", args: '{"a":' }] })
    )
    expect(message.toolCalls).toEqual([])
    expect(message.invalidToolCalls).toHaveLength(1)
    expect(message.invalidToolCalls[0]).toMatchObject({ id: "a", name: "add", args: '{"a":' })
    expect(message.invalidToolCalls[0]!.error).toMatch(/not valid JSON/)
  })

  it("rejects args that are JSON but not an object", () => {
    const message = Message.toMessage(
      chunk({ content: "", toolCallChunks: [{ index: 0, id: "a", name: "add", args: "[1]" }] })
    )
    expect(message.invalidToolCalls[0]!.error).toMatch(/not a JSON object/)
  })

  it("keeps Unicode in args raw", () => {
    const message = Message.toMessage(
      chunk({ content: "", toolCallChunks: [{ index: 0, id: "a", name: "say", args: '{"t":"héllo 🌍"}' }] })
    )
    expect(message.toolCalls[0]!.args).toEqual({ t: "héllo 🌍" })
  })

  it("round-trips a message through toChunk", () => {
    const message = Message.ai({
      content: "x",
      id: "m",
      toolCalls: [{ id: "c", name: "f", args: { a: [1, 2] } }],
      usageMetadata: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      responseMetadata: { finishReason: "toolCalls" }
    })
    expect(Message.toMessage(Message.toChunk(message))).toEqual(message)
  })
})

describe("Message.fromInput", () => {
  const messagesOf = (input: Message.ChatInput) => Either.getOrThrow(Message.fromInput(input))
  const errorOf = (input: unknown) => {
    const result = Message.fromInput(input as Message.ChatInput)
    if (Either.isRight(result)) throw new Error("expected an InvalidInputError")
    return result.left
  }

  it("turns a string into one human message", () => {
    expect(messagesOf("hi")).toEqual([Message.human("hi")])
  })

  it("accepts pairs, OpenAI-style objects, strings and messages", () => {
    const messages = messagesOf([
      ["system", "be brief"],
      ["developer", "use French"],
      { role: "user", content: "add 1 and 2", name: "ada" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "add", arguments: '{"a":1,"b":2}' } }]
      },
      { role: "tool", content: "3", tool_call_id: "c1" },
      ["ai", "3"],
      "thanks",
      Message.ai("you're welcome")
    ])
    expect(messages.map((message) => message._tag)).toEqual([
      "SystemMessage",
      "SystemMessage",
      "HumanMessage",
      "AIMessage",
      "ToolMessage",
      "AIMessage",
      "HumanMessage",
      "AIMessage"
    ])
    expect(messages[1]!.additionalKwargs).toEqual({ role: "developer" })
    expect(messages[2]!.name).toBe("ada")
    expect((messages[3] as Message.AIMessage).toolCalls).toEqual([
      { id: "c1", name: "add", args: { a: 1, b: 2 } }
    ])
    expect((messages[4] as Message.ToolMessage).toolCallId).toBe("c1")
  })

  it("accepts a PromptValue", () => {
    expect(messagesOf(PromptValue.fromString("hi"))).toEqual([Message.human("hi")])
  })

  it("decodes messages in their encoded JSON form", () => {
    expect(messagesOf([{ _tag: "HumanMessage", content: "hi" } as unknown as Message.MessageLike])).toEqual([
      Message.human("hi")
    ])
  })

  it("returns the same array when every item is already a message", () => {
    const input = [Message.human("a"), Message.ai("b")]
    expect(messagesOf(input)).toBe(input)
  })

  it("gives InvalidInputError for an unknown role", () => {
    const error = errorOf([["robot", "beep"]])
    expect(error._tag).toBe("InvalidInputError")
    expect(error.message).toMatch(/unknown role "robot"/)
  })

  it("gives InvalidInputError for a number as a message", () => {
    expect(errorOf([42]).message).toMatch(/message 0: expected a message/)
  })

  it("gives InvalidInputError for an empty list", () => {
    expect(errorOf([]).message).toMatch(/empty/)
  })

  it("gives InvalidInputError for a non-list input", () => {
    expect(errorOf(42)._tag).toBe("InvalidInputError")
    expect(errorOf(null)._tag).toBe("InvalidInputError")
  })

  it("gives InvalidInputError for a tool message without tool_call_id", () => {
    expect(errorOf([{ role: "tool", content: "3" }]).message).toMatch(/tool_call_id/)
  })

  it("gives InvalidInputError for invalid content blocks", () => {
    expect(errorOf([{ role: "user", content: [{ type: "video" }] }]).message).toMatch(/invalid content/)
  })
})

// ---------------------------------------------------------------------------
// properties
// ---------------------------------------------------------------------------

const textArb = fc.string({ maxLength: 6 })
const blockArb: fc.Arbitrary<Message.ContentBlock> = fc.oneof(
  fc.record({ type: fc.constant("text" as const), text: textArb }),
  fc.record({ type: fc.constant("text" as const), text: textArb, index: fc.integer({ min: 0, max: 2 }) }),
  fc.record({
    type: fc.constant("reasoning" as const),
    reasoning: textArb,
    index: fc.integer({ min: 0, max: 2 })
  }),
  fc.record({ type: fc.constant("image" as const), url: fc.constant("https://example.com/a.png") })
)
const contentArb: fc.Arbitrary<Message.Content> = fc.oneof(textArb, fc.array(blockArb, { maxLength: 3 }))
const toolPieceArb: fc.Arbitrary<Message.ToolCallChunk> = fc.record(
  {
    index: fc.integer({ min: 0, max: 2 }),
    id: fc.constantFrom("a", "b"),
    name: fc.constantFrom("add", "mul"),
    args: textArb
  },
  { requiredKeys: ["index"] }
)
const usageArb = fc
  .record({ inputTokens: fc.nat(50), outputTokens: fc.nat(50) })
  .map((usage) => ({ ...usage, totalTokens: usage.inputTokens + usage.outputTokens }))
const chunkArb: fc.Arbitrary<Message.AIMessageChunk> = fc
  .record(
    {
      content: contentArb,
      id: fc.constantFrom("x", "y"),
      toolCallChunks: fc.array(toolPieceArb, { maxLength: 2 }),
      usageMetadata: usageArb,
      responseMetadata: fc.record(
        {
          modelName: fc.constantFrom("m1", "m2"),
          finishReason: fc.constantFrom("stop" as const, "length" as const)
        },
        { requiredKeys: [] }
      ),
      additionalKwargs: fc.record({ refusal: textArb }, { requiredKeys: [] }),
      last: fc.constant(true)
    },
    { requiredKeys: ["content"] }
  )
  .map((fields) => chunk(fields))

describe("Message.concat properties", () => {
  it.prop(
    "is associative",
    [chunkArb, chunkArb, chunkArb],
    ([a, b, c]) => {
      expect(Message.concat(Message.concat(a, b), c)).toEqual(Message.concat(a, Message.concat(b, c)))
    },
    { fastCheck: { numRuns: 2000 } }
  )

  it.prop("has the empty chunk as identity on both sides", [chunkArb], ([a]) => {
    expect(Message.concat(empty, a)).toEqual(a)
    expect(Message.concat(a, empty)).toEqual(a)
  })

  it.prop(
    "splitting a text at random boundaries and merging the chunks gives it back",
    [fc.string({ maxLength: 40 }), fc.array(fc.nat(40), { maxLength: 8 })],
    ([text, cuts]) => {
      const boundaries = [...new Set(cuts.map((cut) => Math.min(cut, text.length)))].sort((x, y) => x - y)
      const pieces = [0, ...boundaries, text.length]
        .slice(1)
        .map((end, at, ends) => text.slice(at === 0 ? 0 : ends[at - 1], end))
      const merged = pieces.map((piece) => chunk({ content: piece })).reduce(Message.concat, empty)
      expect(merged.content).toBe(text)
    }
  )

  it.prop(
    "splitting a tool call's args at random boundaries and merging gives the call back",
    [
      fc.record({
        a: fc.integer(),
        s: fc.string({ maxLength: 10 }),
        nested: fc.array(fc.boolean(), { maxLength: 3 })
      }),
      fc.array(fc.nat(30), { maxLength: 6 })
    ],
    ([args, cuts]) => {
      const json = JSON.stringify(args)
      const boundaries = [...new Set(cuts.map((cut) => Math.min(cut, json.length)))].sort((x, y) => x - y)
      const pieces = [0, ...boundaries, json.length]
        .slice(1)
        .map((end, at, ends) => json.slice(at === 0 ? 0 : ends[at - 1], end))
      const chunks = pieces.map((piece, at) =>
        chunk({
          content: "",
          toolCallChunks: [
            at === 0 ? { index: 0, id: "c", name: "f", args: piece } : { index: 0, args: piece }
          ]
        })
      )
      const message = Message.toMessage(chunks.reduce(Message.concat, empty))
      expect(message.toolCalls).toEqual([{ id: "c", name: "f", args }])
    }
  )
})

describe("Message.partialToolCalls", () => {
  it("parses the calls seen so far with partial JSON repaired", () => {
    const merged = [
      chunk({ content: "", toolCallChunks: [{ index: 0, id: "a", name: "weather", args: '{"city": "Pa' }] }),
      chunk({ content: "", toolCallChunks: [{ index: 1, id: "b", name: "time", args: "" }] })
    ].reduce(Message.concat)
    expect(Message.partialToolCalls(merged)).toEqual([
      { id: "a", name: "weather", index: 0, args: { city: "Pa" }, complete: false },
      { id: "b", name: "time", index: 1, args: {}, complete: false }
    ])
  })

  it("marks a call complete once its args are a whole JSON object", () => {
    const merged = chunk({
      content: "",
      toolCallChunks: [{ index: 0, id: "a", name: "f", args: '{"x": [1, 2]}' }]
    })
    expect(Message.partialToolCalls(merged)).toEqual([
      { id: "a", name: "f", index: 0, args: { x: [1, 2] }, complete: true }
    ])
  })
})
