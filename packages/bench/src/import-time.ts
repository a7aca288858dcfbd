/**
 * Cold import time: a fresh `node` process imports one package's main entry and
 * prints `performance.now()` (milliseconds since the process started), so each
 * figure includes Node's own start-up; the rows importing nothing show that floor.
 * Our package is TypeScript source: it is measured through tsx (`node --import tsx`,
 * against the tsx-only floor and `effect` through tsx, since tsx's loader hooks slow
 * every module load, JavaScript ones included), and compiled to JavaScript by `tsc`
 * (one `.js` file per source file, no bundling) under plain `node`, the figure a
 * user of a published package would see. One discarded run first (disk cache, tsx's
 * transform cache), then the median of `runs`.
 */
import { execFile } from "node:child_process"
import { rm } from "node:fs/promises"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { promisify } from "node:util"
import { median } from "./measure.js"

const run = promisify(execFile)

/** The package directory: bare specifiers resolve from here, as they would for the bench itself. */
const cwd = fileURLToPath(new URL("..", import.meta.url))

/** Where `compileOurs` writes `@effect-chat/core` as JavaScript (inside the repo, so `effect` resolves). */
const compiledDir = join(cwd, "build", "core-js")
const compiledEntry = pathToFileURL(join(compiledDir, "index.js")).href

/**
 * Compiles `@effect-chat/core`'s sources to JavaScript with the project's `tsc`
 * (`--ignoreConfig`, the base config's module settings), for the plain-`node` row.
 */
export const compileOurs = async (): Promise<void> => {
  const require = createRequire(import.meta.url)
  const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc")
  const coreSrc = dirname(fileURLToPath(import.meta.resolve("@effect-chat/core")))
  await rm(compiledDir, { recursive: true, force: true })
  await run(
    process.execPath,
    [
      tsc,
      "--ignoreConfig",
      join(coreSrc, "index.ts"),
      "--outDir",
      compiledDir,
      "--rootDir",
      coreSrc,
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--verbatimModuleSyntax",
      "--skipLibCheck",
      "--types",
      "node"
    ],
    { cwd }
  )
}

/** What one import-time row imports, and how. */
export interface ImportTarget {
  readonly library: string
  /** The module specifier imported, or undefined to import nothing. */
  readonly specifier: string | undefined
  /** Load tsx first (`node --import tsx`), for TypeScript sources. */
  readonly tsx: boolean
  /** True for the row the section's ratios are taken against. */
  readonly baseline?: boolean
}

/** The rows of the import section, in table order. */
export const importTargets: ReadonlyArray<ImportTarget> = [
  { library: "baseline: `node`, importing nothing", specifier: undefined, tsx: false, baseline: true },
  { library: "baseline: `node --import tsx`, importing nothing", specifier: undefined, tsx: true },
  {
    library: "LangChain.js: `@langchain/core/language_models/chat_models`",
    specifier: "@langchain/core/language_models/chat_models",
    tsx: false
  },
  { library: "Vercel AI SDK: `ai`", specifier: "ai", tsx: false },
  { library: "@effect/ai: `@effect/ai`", specifier: "@effect/ai", tsx: false },
  { library: "effect: `effect`", specifier: "effect", tsx: false },
  {
    library: "effect: `effect`, via `node --import tsx` (tsx's loader cost)",
    specifier: "effect",
    tsx: true
  },
  {
    library: "effect-chat (ours): `@effect-chat/core` compiled to JavaScript by `tsc`",
    specifier: compiledEntry,
    tsx: false
  },
  {
    library: "effect-chat (ours): `@effect-chat/core`, via `node --import tsx`",
    specifier: "@effect-chat/core",
    tsx: true
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
    ...(target.tsx ? ["--import", "tsx"] : []),
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
