/**
 * The registry of timed cases, by group (one group per library), loaded lazily so
 * a worker process imports only the library it measures.
 */
import type { ConcurrencyMeasurement } from "./http/cases.js"
import type { Case, MeasureOptions, Section } from "./measure.js"
import { STREAM_CHUNKS } from "./measure.js"
import type { Scale } from "./structured/data.js"

/** What every group module exports (structured-output cases where the library has a streaming parser). */
export interface CaseModule {
  readonly invokeCases: () => ReadonlyArray<Case>
  readonly streamCases: (chunks: number) => ReadonlyArray<Case>
  readonly structuredCases?: (large?: Scale, small?: Scale) => ReadonlyArray<Case>
}

/** The in-process sections, measured by `casesOf` (the HTTP section has its own registry: `http/cases.ts`). */
export type InProcessSection = Exclude<Section, "http">

/** The groups, in table order within each section: baselines, peers, then ours. */
export const groups = {
  baseline: (): Promise<CaseModule> => import("./baseline.js"),
  langchain: (): Promise<CaseModule> => import("./peers/langchain.js"),
  vercel: (): Promise<CaseModule> => import("./peers/vercel.js"),
  "effect-ai": (): Promise<CaseModule> => import("./peers/effect-ai.js"),
  ours: (): Promise<CaseModule> => import("./ours.js")
} as const

/** The name of a group. */
export type Group = keyof typeof groups

/** Type guard for a group name read from the command line. */
export const isGroup = (name: string): name is Group => Object.hasOwn(groups, name)

/** The group names, in table order. */
export const groupNames: ReadonlyArray<Group> = Object.keys(groups).filter(isGroup)

/** The cases of one group in one in-process section. */
export const casesOf = async (group: Group, section: InProcessSection): Promise<ReadonlyArray<Case>> => {
  const module: CaseModule = await groups[group]()
  switch (section) {
    case "invoke":
      return module.invokeCases()
    case "stream":
      return module.streamCases(STREAM_CHUNKS)
    case "structured":
      return module.structuredCases?.() ?? []
  }
}

/** How each section is sampled. */
export const measureOptions: Record<Section, MeasureOptions> = {
  // Batches of about 25 ms; 600 ms of warm-up; 5 to 7 samples.
  invoke: { targetBatchMs: 25, warmupMs: 600, maxSamples: 7, minSamples: 5, budgetMs: 3_000 },
  // One whole 100,000-chunk stream per batch; the slowest (several seconds a stream)
  // stop at 3 samples, to keep the whole run near 5 minutes on 2 cores.
  stream: { targetBatchMs: 1, warmupMs: 1_000, maxSamples: 7, minSamples: 3, budgetMs: 3_000 },
  // JSON.parse of 1 MB takes a few ms: batches of about 40 ms. The streaming parsers
  // take 0.1-3 s a run: one run a batch, 3 samples at least.
  structured: { targetBatchMs: 40, warmupMs: 500, maxSamples: 7, minSamples: 3, budgetMs: 2_000 },
  // One whole stream per batch (50,000 deltas: 0.2 s raw, 3-4 s for the slowest).
  // Effect-based clients need a few streams to warm up: 2 s of it.
  http: { targetBatchMs: 1, warmupMs: 2_000, maxSamples: 7, minSamples: 3, budgetMs: 3_000 }
}

/** What a worker process reports for one case (one JSON line on stdout). */
export type CaseResult =
  | {
      readonly _tag: "ok"
      readonly medianUs: number
      readonly samplesUs: ReadonlyArray<number>
      readonly iterations: number
    }
  | ({ readonly _tag: "concurrency" } & ConcurrencyMeasurement)
  | { readonly _tag: "failed"; readonly reason: string }

/** The first line of an error's message, short enough for a table cell. */
export const errorText = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split("\n")[0].slice(0, 160)
