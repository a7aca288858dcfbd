/**
 * LangChain.js (`@langchain/core` 1.4): a minimal `BaseChatModel` subclass, the
 * smallest chat model LangChain accepts (what `FakeListChatModel` is, without its
 * response cycling): `_generate` returns a fixed reply, `_streamResponseChunks`
 * yields `chunks` one-character chunks. Structured output: `JsonOutputParser`.
 */
import { BaseChatModel } from "@langchain/core/language_models/chat_models"
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages"
import { JsonOutputParser } from "@langchain/core/output_parsers"
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs"
import { type Case, describeReply, describeStream, PROMPT, REPLY } from "../measure.js"
import {
  describeStructured,
  EXPECTED_STRUCTURED,
  LARGE,
  payloadOf,
  type Scale,
  SMALL
} from "../structured/data.js"

class BenchChatModel extends BaseChatModel {
  constructor(private readonly chunks: number) {
    super({})
  }

  _llmType(): string {
    return "bench"
  }

  async _generate(_messages: Array<BaseMessage>): Promise<ChatResult> {
    return { generations: [{ text: REPLY, message: new AIMessage(REPLY) }] }
  }

  override async *_streamResponseChunks(_messages: Array<BaseMessage>): AsyncGenerator<ChatGenerationChunk> {
    for (let i = 0; i < this.chunks; i++) {
      yield new ChatGenerationChunk({ text: "x", message: new AIMessageChunk({ content: "x" }) })
    }
  }
}

const textOf = (content: unknown): string => (typeof content === "string" ? content : JSON.stringify(content))

/** `await model.invoke("hi")` per call. */
export const invokeCases = (): ReadonlyArray<Case> => {
  const model = new BenchChatModel(0)
  return [
    {
      section: "invoke",
      library: "LangChain.js",
      variant: "BaseChatModel subclass, `await model.invoke`",
      opsPerIteration: 1,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) await model.invoke(PROMPT)
      },
      verify: async () => describeReply(textOf((await model.invoke(PROMPT)).content)),
      expected: describeReply(REPLY)
    }
  ]
}

/** `for await` over `model.stream("hi")`, the model yielding `chunks` chunks. */
export const streamCases = (chunks: number): ReadonlyArray<Case> => {
  const model = new BenchChatModel(chunks)
  return [
    {
      section: "stream",
      library: "LangChain.js",
      variant: "`_streamResponseChunks` generator, `for await` over `model.stream`",
      opsPerIteration: chunks,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) {
          for await (const _ of await model.stream(PROMPT)) {
            // consume
          }
        }
      },
      verify: async () => {
        let count = 0
        let chars = 0
        for await (const chunk of await model.stream(PROMPT)) {
          const text = textOf(chunk.content)
          if (text.length > 0) count++
          chars += text.length
        }
        return describeStream(count, chars)
      },
      expected: describeStream(chunks, chunks)
    }
  ]
}

/**
 * LangChain's `JsonOutputParser` streaming partial objects (`parser.transform` over
 * the text pieces, as `model.pipe(parser)` feeds it). It re-parses the whole text
 * received so far at every piece (quadratic), so it runs on the small payload only.
 */
export const structuredCases = (_large: Scale = LARGE, small: Scale = SMALL): ReadonlyArray<Case> => {
  const { text, pieces } = payloadOf(small)
  const parser = new JsonOutputParser()
  async function* source(): AsyncGenerator<string> {
    for (const piece of pieces) yield piece
  }
  const consume = async (): Promise<{ partials: number; last: unknown }> => {
    let partials = 0
    let last: unknown
    for await (const value of parser.transform(source(), {})) {
      partials++
      last = value
    }
    return { partials, last }
  }
  return [
    {
      section: "structured",
      group: small.label,
      library: "LangChain.js",
      variant: "`JsonOutputParser` streaming partial objects (`parser.transform` over the pieces)",
      opsPerIteration: 1,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) await consume()
      },
      verify: async () => {
        const { partials, last } = await consume()
        // the parser's last emission is the whole value; the stream of partials ends with it
        return describeStructured(last, text, partials - 1)
      },
      expected: EXPECTED_STRUCTURED
    }
  ]
}
