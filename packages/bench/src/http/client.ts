/**
 * What every HTTP benchmark client implements: consume one stream from the loopback
 * server (counting the text deltas it sees and their length), or many at once.
 */
import type { Format } from "./wire.js"

/** What a client saw of one or more streams: text deltas and their total length. */
export interface Counts {
  readonly deltas: number
  readonly chars: number
}

/** Adds two counts. */
export const addCounts = (a: Counts, b: Counts): Counts => ({
  deltas: a.deltas + b.deltas,
  chars: a.chars + b.chars
})

/** A counter of text deltas, calling `onFirst` at the first non-empty one. */
export class Counter {
  deltas = 0
  chars = 0
  constructor(private readonly onFirst: (() => void) | undefined) {}

  /** Records one piece of text (empty ones are not deltas). */
  add(text: string | undefined): void {
    if (text === undefined || text.length === 0) return
    if (this.deltas === 0) this.onFirst?.()
    this.deltas++
    this.chars += text.length
  }

  /** The counts so far. */
  counts(): Counts {
    return { deltas: this.deltas, chars: this.chars }
  }
}

/** A client connected to one base URL. */
export interface Consumer {
  /** Consumes one whole stream; `onFirst` runs at its first text delta. */
  readonly one: (onFirst?: () => void) => Promise<Counts>
  /**
   * Consumes `n` streams concurrently, the way the library's users would (an Effect
   * library: one Effect forking them all); default `Promise.all` of `one`.
   */
  readonly many?: (n: number, onFirst: () => void) => Promise<Counts>
}

/** One library's streaming client, as measured over HTTP. */
export interface StreamClient {
  /** The library column. */
  readonly library: string
  /** What exactly is measured. */
  readonly variant: string
  /** The wire format it consumes (and the endpoint it calls). */
  readonly format: Format
  /** True for the raw-fetch row of its format (the limit the others are compared with). */
  readonly baseline?: boolean
  /** Deltas per stream in the per-delta case when fewer than the standard ones (a client too slow for them). */
  readonly deltas?: number
  /** Deltas per stream in the concurrency case when fewer than the standard ones. */
  readonly concurrentDeltas?: number
  /** Builds the client for a base URL (`.../v1`). */
  readonly connect: (baseUrl: string) => Promise<Consumer>
}

/** Runs `many` if the consumer has one, else `n` concurrent `one`s. */
export const consumeMany = async (consumer: Consumer, n: number, onFirst: () => void): Promise<Counts> => {
  if (consumer.many !== undefined) return consumer.many(n, onFirst)
  const all = await Promise.all(Array.from({ length: n }, () => consumer.one(onFirst)))
  return all.reduce(addCounts, { deltas: 0, chars: 0 })
}

/** The model every client asks for (the server ignores it). */
export const MODEL = "gpt-4.1-mini"
/** The API key every client sends (the server ignores it). */
export const API_KEY = "sk-bench"
/** The prompt. */
export const PROMPT = "hi"
