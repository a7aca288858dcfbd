/**
 * Ours is measured as compiled JavaScript, the way a user runs a published package
 * and the way the peers (compiled JavaScript in node_modules) are measured. Our
 * packages export TypeScript source by default (for `tsc -b`, vitest, tsx) and their
 * `tsc` output in `build/js` under the `effect-chat-compiled` export condition:
 * `buildOurs` compiles core, openai and testing there (each package's
 * `tsconfig.js.json`: ES2022, NodeNext ESM, one `.js` file per source file, no
 * bundling, no declarations, no source maps), and the workers run
 * `node --conditions=effect-chat-compiled --import tsx`, so tsx compiles only the
 * bench's own files while every `@effect-chat/*` import loads that JavaScript.
 */
import { execFile } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

/** The export condition under which `@effect-chat/*` resolve to `build/js` (compiled JavaScript). */
export const COMPILED_CONDITION = "effect-chat-compiled"

/** The node flag that selects our compiled JavaScript. */
export const compiledFlag = `--conditions=${COMPILED_CONDITION}`

/** How the tables name our rows. */
export const OURS = "effect-chat (ours, compiled JS)"

const packagesDir = fileURLToPath(new URL("../../", import.meta.url))

/** Our library packages, compiled before a run. */
const compiledPackages = ["core", "openai", "testing"] as const

/**
 * Compiles our packages to `build/js` with the project's `tsc` (`tsc -b`: incremental,
 * so an unchanged tree costs a fraction of a second). Rejects with tsc's output when
 * it reports errors.
 */
export const buildOurs = async (): Promise<void> => {
  const require = createRequire(import.meta.url)
  const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc")
  await promisify(execFile)(
    process.execPath,
    [tsc, "-b", ...compiledPackages.map((name) => join(packagesDir, name, "tsconfig.js.json"))],
    { cwd: packagesDir }
  ).catch((error: unknown) => {
    const output = (error as { stdout?: string }).stdout?.trim()
    throw new Error(output === undefined || output === "" ? String(error) : output)
  })
}

/**
 * Why our packages would not load as compiled JavaScript in this process (run without
 * the condition, or not built), or undefined when they do.
 */
export const notCompiled = (): string | undefined => {
  for (const specifier of ["@effect-chat/core", "@effect-chat/openai"]) {
    const url = import.meta.resolve(specifier)
    if (!url.endsWith("/build/js/index.js")) {
      return `${specifier} resolves to ${url}, not compiled JavaScript: run the worker with \`node ${compiledFlag}\``
    }
    if (!existsSync(fileURLToPath(url))) return `${url} does not exist: run \`npm run build:js\` first`
  }
  return undefined
}
