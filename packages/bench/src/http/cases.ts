/**
 * The HTTP section: each client streams from the loopback SSE server (a separate
 * process, see `server-main.ts`). Two cases per client:
 *
 * - per delta: one 50,000-delta stream at a time (µs per delta), checked first to
 *   deliver every delta and every character;
 * - concurrency: 1,000 streams of 200 deltas at once, in a fresh process of its own:
 *   wall time, peak RSS, and the heap the open streams hold (after a forced GC at the
 *   moment all 1,000 are open: the server holds the second half of every stream
 *   until the client has seen the first delta of all of them).
 */
import { performance } from "node:perf_hooks"
import type { Case } from "../measure.js"
import { type Consumer, type Counts, consumeMany, type StreamClient } from "./client.js"
import { baseUrlOf, releaseGate } from "./server.js"
import { expectedOf } from "./wire.js"

/** Deltas per stream in the per-delta case. */
export const HTTP_DELTAS = 50_000
/** Streams open at once in the concurrency case. */
export const CONCURRENT_STREAMS = 1_000
/** Deltas per stream in the concurrency case. */
export const CONCURRENT_DELTAS = 200
/** Streams of the concurrency case's checked warm-up run. */
export const WARMUP_STREAMS = 20

/** One module per library; a worker imports only the one it measures. */
export const httpGroups = {
  raw: (): Promise<{ readonly clients: ReadonlyArray<StreamClient> }> => import("./clients/raw.js"),
  "effect-http": (): Promise<{ readonly clients: ReadonlyArray<StreamClient> }> =>
    import("./clients/effect-http.js"),
  openai: (): Promise<{ readonly clients: ReadonlyArray<StreamClient> }> => import("./clients/openai.js"),
  langchain: (): Promise<{ readonly clients: ReadonlyArray<StreamClient> }> =>
    import("./clients/langchain.js"),
  vercel: (): Promise<{ readonly clients: ReadonlyArray<StreamClient> }> => import("./clients/vercel.js"),
  "effect-ai": (): Promise<{ readonly clients: ReadonlyArray<StreamClient> }> =>
    import("./clients/effect-ai.js"),
  ours: (): Promise<{ readonly clients: ReadonlyArray<StreamClient> }> => import("./clients/ours.js")
} as const

/** The name of an HTTP client module. */
export type HttpGroup = keyof typeof httpGroups

/** Type guard for an HTTP group name read from the command line. */
export const isHttpGroup = (name: string): name is HttpGroup => Object.hasOwn(httpGroups, name)

/** The HTTP group names, in table order. */
export const httpGroupNames: ReadonlyArray<HttpGroup> = Object.keys(httpGroups).filter(isHttpGroup)

/** The clients of one HTTP group. */
export const clientsOf = async (group: HttpGroup): Promise<ReadonlyArray<StreamClient>> =>
  (await httpGroups[group]()).clients

/** What `verify` of an HTTP case returns. */
export const describeCounts = (counts: Counts): string =>
  `${counts.deltas} text deltas, ${counts.chars} chars`

/** The per-delta case of a client against the server at `origin`. */
export const httpCase = (client: StreamClient, origin: string, standardDeltas = HTTP_DELTAS): Case => {
  const deltas = Math.min(client.deltas ?? standardDeltas, standardDeltas)
  let consumer: Consumer | undefined
  const connected = async (): Promise<Consumer> => {
    consumer ??= await client.connect(baseUrlOf(origin, deltas))
    return consumer
  }
  return {
    section: "http",
    group: client.format,
    library: client.library,
    variant: client.variant,
    ...(client.baseline === true ? { baseline: true } : {}),
    opsPerIteration: deltas,
    run: async (iterations) => {
      const c = await connected()
      for (let i = 0; i < iterations; i++) await c.one()
    },
    verify: async () => describeCounts(await (await connected()).one()),
    expected: describeCounts(expectedOf(deltas))
  }
}

/** What the concurrency case measured. */
export interface ConcurrencyMeasurement {
  readonly streams: number
  readonly deltasPerStream: number
  /** From the first request to the last delta of the last stream. */
  readonly wallMs: number
  /** The process's peak resident set (`process.resourceUsage().maxRSS`), MB. */
  readonly peakRssMb: number
  /** Resident set before the timed run (after imports, the checked warm-up run and a GC), MB. */
  readonly rssBeforeMb: number
  /** `heapUsed` after a GC before the timed run, MB. */
  readonly heapBeforeMb: number
  /** `heapUsed` after a GC while all streams were open, MB. */
  readonly heapOpenMb: number
}

const MB = 1024 * 1024

const exposedGc = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error("run with --expose-gc")
  gc()
}

/** Options of `measureConcurrency` (tests run it small, without `--expose-gc`). */
export interface ConcurrencyOptions {
  readonly streams?: number
  readonly deltasPerStream?: number
  readonly warmupStreams?: number
  /** Forces a full GC (default: the `gc` of `--expose-gc`). */
  readonly gc?: () => void
}

/**
 * The concurrency case of a client: a checked warm-up run of `WARMUP_STREAMS`
 * streams, then `streams` streams at once behind a gate (see the module's doc), with
 * the heap measured after a GC once every stream has delivered its first delta.
 * Needs `--expose-gc`. Fails if any stream misses a delta or a character.
 */
export const measureConcurrency = async (
  client: StreamClient,
  origin: string,
  options: ConcurrencyOptions = {}
): Promise<ConcurrencyMeasurement> => {
  const streams = options.streams ?? CONCURRENT_STREAMS
  const deltasPerStream = Math.min(
    client.concurrentDeltas ?? CONCURRENT_DELTAS,
    options.deltasPerStream ?? CONCURRENT_DELTAS
  )
  const warmupStreams = options.warmupStreams ?? WARMUP_STREAMS
  const forceGc = options.gc ?? exposedGc
  const one = expectedOf(deltasPerStream)
  const check = (counts: Counts, n: number): void => {
    const want = { deltas: one.deltas * n, chars: one.chars * n }
    if (counts.deltas !== want.deltas || counts.chars !== want.chars) {
      throw new Error(`wrong output: ${describeCounts(counts)} (expected ${describeCounts(want)})`)
    }
  }
  const warm = await client.connect(baseUrlOf(origin, deltasPerStream))
  check(await consumeMany(warm, warmupStreams, () => {}), warmupStreams)

  const gate = `g${process.pid}-${Date.now()}`
  const consumer = await client.connect(baseUrlOf(origin, deltasPerStream, gate))
  forceGc()
  const before = process.memoryUsage()
  let started = 0
  let heapOpen: number | undefined
  let released: Promise<number> | undefined
  const onFirst = (): void => {
    started++
    if (started === streams) {
      forceGc()
      heapOpen = process.memoryUsage().heapUsed
      released = releaseGate(origin, gate)
    }
  }
  const start = performance.now()
  const counts = await consumeMany(consumer, streams, onFirst)
  const wallMs = performance.now() - start
  check(counts, streams)
  if (heapOpen === undefined || released === undefined) throw new Error("the gate was never released")
  const heldByServer = await released
  if (heldByServer !== streams) throw new Error(`the server held ${heldByServer} streams, not ${streams}`)
  return {
    streams,
    deltasPerStream,
    wallMs,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    rssBeforeMb: before.rss / MB,
    heapBeforeMb: before.heapUsed / MB,
    heapOpenMb: heapOpen / MB
  }
}
