/**
 * The Vercel AI SDK (`ai` 6 with `@ai-sdk/openai` 3): `streamText` over
 * `createOpenAI({ baseURL }).chat(model)` (the Chat Completions model), `for await`
 * over `textStream`.
 */
import { createOpenAI } from "@ai-sdk/openai"
import { streamText } from "ai"
import { API_KEY, Counter, MODEL, PROMPT, type StreamClient } from "../client.js"

/** `streamText` over the Chat Completions stream. */
export const clients: ReadonlyArray<StreamClient> = [
  {
    library: "Vercel AI SDK (`@ai-sdk/openai`)",
    variant: "`streamText` over `openai.chat(model)`, `for await` over `textStream`",
    format: "chat",
    connect: async (baseUrl) => {
      const model = createOpenAI({ baseURL: baseUrl, apiKey: API_KEY }).chat(MODEL)
      return {
        one: async (onFirst) => {
          let failure: unknown
          const result = streamText({
            model,
            prompt: PROMPT,
            maxRetries: 0,
            onError: ({ error }) => {
              failure = error
            }
          })
          const counter = new Counter(onFirst)
          for await (const text of result.textStream) counter.add(text)
          if (failure !== undefined) throw failure
          return counter.counts()
        }
      }
    }
  }
]
