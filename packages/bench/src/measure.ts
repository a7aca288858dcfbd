/**
 * Timing helpers for the benchmark: calibrate a batch size, warm up, then take
 * several samples and report the median time per operation.
 *
 * Nothing here asserts on time: the numbers are printed, never tested.
 */
import { performance } from "node:perf_hooks"

/** One benchmark case: a batch runner plus a check that it produces the right output. */
export interface Case {
  /** Which section of the table the case belongs to. */
  readonly section: Section
  /** The library column. */
  readonly library: string
  /** What exactly is measured (shown after the library name). */
  readonly variant: string
  /**
   * Rows compare with the baseline of their section and group (HTTP: the wire format;
   * structured output: the payload's size). Absent: the section's only group.
   */
  readonly group?: string
  /** True for the row its section's (and group's) ratios are taken against. */
  readonly baseline?: boolean
  /**
   * Runs `iterations` iterations. The elapsed time is divided by
   * `iterations * opsPerIteration`.
   */
  readonly run: (iterations: number) => Promise<void>
  /** Operations done by one iteration (for a 100,000-chunk stream: 100,000). */
  readonly opsPerIteration: number
  /**
   * Runs one iteration and returns a description of its output; unless it equals
   * `expected`, the case is reported as broken instead of timed.
   */
  readonly verify: () => Promise<string>
  /** The output `verify` must return. */
  readonly expected: string
}

/**
 * A section of timed cases (import time and the concurrency case are measured apart):
 * `invoke`, `stream` (in process), `structured` (structured output over a fake
 * provider), `http` (streams from the loopback server).
 */
export type Section = "invoke" | "stream" | "structured" | "http"

/** The prompt every fake model is called with. */
export const PROMPT = "hi"
/** The fixed short reply every fake model gives to `invoke`. */
export const REPLY = "hello"
/** Chunks per stream in the streaming section. */
export const STREAM_CHUNKS = 100_000

/** What `verify` of an invoke case returns: the reply text. */
export const describeReply = (text: string): string => `reply ${JSON.stringify(text)}`

/** What `verify` of a stream case returns: chunks carrying text, and the text's length. */
export const describeStream = (textChunks: number, chars: number): string =>
  `${textChunks} text chunks, ${chars} chars`

/** Options of one measurement. */
export interface MeasureOptions {
  /** Aim for batches that take at least this long (ms). */
  readonly targetBatchMs: number
  /** Keep warming up (after calibration) until this much time has passed (ms). */
  readonly warmupMs: number
  /** Samples to take at most. */
  readonly maxSamples: number
  /** Samples to take at least, even past the budget. */
  readonly minSamples: number
  /** Stop sampling once the case has used this much time (ms) and `minSamples` are taken. */
  readonly budgetMs: number
}

/** The result of one measurement. */
export interface Measurement {
  /** Median of the samples, µs per operation. */
  readonly medianUs: number
  /** Every sample, µs per operation. */
  readonly samplesUs: ReadonlyArray<number>
  /** Iterations per sample batch. */
  readonly iterations: number
}

/** Median of a non-empty list of numbers. */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const timeBatch = async (run: (iterations: number) => Promise<void>, iterations: number): Promise<number> => {
  const start = performance.now()
  await run(iterations)
  return performance.now() - start
}

/**
 * Warms up with growing batches until `warmupMs` has passed, then sizes the
 * batch from the fastest warm-up batch so one takes about `targetBatchMs`, then takes
 * between `minSamples` and `maxSamples` samples within `budgetMs`. Sizing after
 * warm-up matters: a cold first call can take longer than a whole batch should.
 *
 * `firstRunMs` is the time one iteration already took (the `verify` run), counted
 * as warm-up, so a case that takes seconds an iteration (a whole 100,000-chunk
 * stream of the slowest peer) is not run more often than needed.
 * (No forced GC between samples: after a full GC V8 shrinks the young
 * generation, which made allocation-heavy cases look up to 2x slower.)
 */
export const measure = async (
  c: Case,
  options: MeasureOptions,
  firstRunMs?: number
): Promise<Measurement> => {
  const caseStart = performance.now() - (firstRunMs ?? 0)
  // The fastest time an iteration took in a batch long enough to trust (1 ms): a
  // hiccup during warm-up (GC, another process) must not shrink the batches, and
  // a batch too short for the clock must not inflate them.
  let bestMsPerIteration = Number.POSITIVE_INFINITY
  const record = (ms: number, iterations: number): void => {
    if (ms >= 1) bestMsPerIteration = Math.min(bestMsPerIteration, ms / iterations)
  }
  let iterations = 1
  const sized = (): number =>
    Number.isFinite(bestMsPerIteration)
      ? Math.max(1, Math.ceil(options.targetBatchMs / bestMsPerIteration))
      : iterations * 8
  if (firstRunMs === undefined) record(await timeBatch(c.run, iterations), iterations)
  else record(firstRunMs, iterations)
  while (performance.now() - caseStart < options.warmupMs || !Number.isFinite(bestMsPerIteration)) {
    // Grow towards the target size, at most 8x a step.
    iterations = Math.min(iterations * 8, sized())
    record(await timeBatch(c.run, iterations), iterations)
  }
  iterations = sized()
  const samplesUs: Array<number> = []
  const sampleStart = performance.now()
  while (samplesUs.length < options.maxSamples) {
    const used = performance.now() - sampleStart
    if (samplesUs.length >= options.minSamples && used > options.budgetMs) break
    const ms = await timeBatch(c.run, iterations)
    samplesUs.push((ms * 1000) / (iterations * c.opsPerIteration))
  }
  return { medianUs: median(samplesUs), samplesUs, iterations }
}
