/**
 * The official `openai` SDK (v6): `client.chat.completions.create({ stream: true })`,
 * `for await` over the chunks.
 */
import OpenAI from "openai"
import { API_KEY, Counter, MODEL, PROMPT, type StreamClient } from "../client.js"

/** The official SDK over the Chat Completions stream. */
export const clients: ReadonlyArray<StreamClient> = [
  {
    library: "openai (official SDK)",
    variant: "`chat.completions.create({ stream: true })`, `for await`",
    format: "chat",
    connect: async (baseUrl) => {
      const client = new OpenAI({ baseURL: baseUrl, apiKey: API_KEY, maxRetries: 0 })
      return {
        one: async (onFirst) => {
          const stream = await client.chat.completions.create({
            model: MODEL,
            messages: [{ role: "user", content: PROMPT }],
            stream: true,
            stream_options: { include_usage: true }
          })
          const counter = new Counter(onFirst)
          for await (const chunk of stream) counter.add(chunk.choices[0]?.delta?.content ?? undefined)
          return counter.counts()
        }
      }
    }
  }
]
