/**
 * LangChain.js (`@langchain/core` 1.4): a minimal `BaseChatModel` subclass, the
 * smallest chat model LangChain accepts (what `FakeListChatModel` is, without its
 * response cycling): `_generate` returns a fixed reply, `_streamResponseChunks`
 * yields `chunks` one-character chunks.
 */
import { BaseChatModel } from "@langchain/core/language_models/chat_models"
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages"
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs"
import { type Case, describeReply, describeStream, PROMPT, REPLY } from "../measure.js"

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
