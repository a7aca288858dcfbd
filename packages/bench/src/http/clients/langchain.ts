/**
 * LangChain.js (`@langchain/openai` `ChatOpenAI`, Chat Completions): `for await` over
 * `model.stream("hi")`.
 */
import { ChatOpenAI } from "@langchain/openai"
import { API_KEY, Counter, MODEL, PROMPT, type StreamClient } from "../client.js"

/** `ChatOpenAI` over the Chat Completions stream. */
export const clients: ReadonlyArray<StreamClient> = [
  {
    library: "LangChain.js (`@langchain/openai`)",
    variant: "`ChatOpenAI`, `for await` over `model.stream`",
    format: "chat",
    connect: async (baseUrl) => {
      const model = new ChatOpenAI({
        model: MODEL,
        apiKey: API_KEY,
        configuration: { baseURL: baseUrl },
        maxRetries: 0,
        streamUsage: true
      })
      return {
        one: async (onFirst) => {
          const counter = new Counter(onFirst)
          for await (const chunk of await model.stream(PROMPT)) counter.add(chunk.text)
          return counter.counts()
        }
      }
    }
  }
]
