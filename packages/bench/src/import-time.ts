/**
 * Cold import time: a fresh `node` process imports one package's main entry and
 * prints `performance.now()` (milliseconds since the process started), so each
 * figure includes Node's own start-up; the row importing nothing shows that floor.
 * Every row is JavaScript under plain `node`: ours is the `tsc` output `buildOurs`
 * writes (`compiled.ts`), selected by `--conditions=effect-chat-compiled` (one `.js`
 * file per source file, no bundling), the figure a user of a published package would
 * see. One discarded run first (disk cache), then the median of `runs`.
 */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { COMPILED_CONDITION, OURS } from "./compiled.js"
import { median } from "./measure.js"

const run = promisify(execFile)

/** The package directory: bare specifiers resolve from here, as they would for the bench itself. */
const cwd = fileURLToPath(new URL("..", import.meta.url))

/** What one import-time row imports, and how. */
export interface ImportTarget {
  readonly library: string
  /** The module specifier imported, or undefined to import nothing. */
  readonly specifier: string | undefined
  /** Export conditions passed to `node` (`--conditions`). */
  readonly conditions?: ReadonlyArray<string>
  /** True for the row the section's ratios are taken against. */
  readonly baseline?: boolean
}

/** The rows of the import section, in table order. */
export const importTargets: ReadonlyArray<ImportTarget> = [
  { library: "baseline: `node`, importing nothing", specifier: undefined, baseline: true },
  {
    library: "LangChain.js: `@langchain/core/language_models/chat_models`",
    specifier: "@langchain/core/language_models/chat_models"
  },
  { library: "Vercel AI SDK: `ai`", specifier: "ai" },
  { library: "@effect/ai: `@effect/ai`", specifier: "@effect/ai" },
  { library: "effect: `effect`", specifier: "effect" },
  {
    library: `${OURS}: \`@effect-chat/core\``,
    specifier: "@effect-chat/core",
    conditions: [COMPILED_CONDITION]
  }
]

/** The result of one import-time row: the median in µs, or why it could not run. */
export type ImportResult =
  | { readonly _tag: "ok"; readonly medianUs: number; readonly samplesUs: ReadonlyArray<number> }
  | { readonly _tag: "failed"; readonly reason: string }

const script = (specifier: string | undefined): string =>
  specifier === undefined
    ? "console.log(performance.now())"
    : `await import(${JSON.stringify(specifier)}); console.log(performance.now())`

const once = async (target: ImportTarget): Promise<number> => {
  const args = [
    ...(target.conditions ?? []).map((condition) => `--conditions=${condition}`),
    "--input-type=module",
    "--eval",
    script(target.specifier)
  ]
  const { stdout } = await run(process.execPath, args, { cwd, env: { ...process.env, NODE_OPTIONS: "" } })
  const ms = Number.parseFloat(stdout.trim().split("\n").at(-1) ?? "")
  if (!Number.isFinite(ms)) throw new Error(`unexpected output: ${stdout.slice(0, 200)}`)
  return ms * 1000
}

/** Measures one target: one discarded run, then the median of `runs` fresh processes. */
export const measureImport = async (target: ImportTarget, runs: number): Promise<ImportResult> => {
  try {
    await once(target)
    const samplesUs: Array<number> = []
    for (let i = 0; i < runs; i++) samplesUs.push(await once(target))
    return { _tag: "ok", medianUs: median(samplesUs), samplesUs }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return {
      _tag: "failed",
      reason: reason.split("\n").find((line) => line.includes("Error")) ?? reason.slice(0, 200)
    }
  }
}
