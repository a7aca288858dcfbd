/**
 * Type-checks every `@example` of the library packages' JSDoc: each ```ts block under an
 * `@example` tag in packages/{core,testing,openai}/src is written to its own module in
 * packages/examples/build/jsdoc-examples (where `@effect-chat/*`, `effect` and
 * `@effect/platform` resolve), and `tsc` checks them all against the packages' built
 * declarations (`npm run check` builds them first). Unused names are allowed (an
 * example often only shows how a value is made); everything else is the project's
 * strict settings. Exits non-zero, printing tsc's errors with the source of each
 * example, when one does not compile, or when a package has no example at all.
 *
 * Run by `npm run check` (and so by `npm test`).
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const packages = ["core", "testing", "openai"]
const outDir = join(root, "packages", "examples", "build", "jsdoc-examples")

/** The `.ts` files under a directory, recursively. */
const sourcesOf = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourcesOf(path)
    return name.endsWith(".ts") ? [path] : []
  })

/** The code of every ```ts block under an `@example` tag of a file's JSDoc comments. */
const examplesOf = (text) => {
  const examples = []
  for (const comment of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const lines = comment[1].split("\n").map((line) => line.replace(/^\s*\* ?/, ""))
    let inExample = false
    let code
    for (const line of lines) {
      if (line.startsWith("@")) inExample = line.startsWith("@example")
      if (!inExample) continue
      if (code === undefined && line.trim() === "```ts") code = []
      else if (code !== undefined && line.trim() === "```") {
        examples.push(code.join("\n"))
        code = undefined
      } else if (code !== undefined) code.push(line)
    }
  }
  return examples
}

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })
const origins = new Map()
for (const pkg of packages) {
  let count = 0
  for (const file of sourcesOf(join(root, "packages", pkg, "src"))) {
    const source = relative(root, file)
    examplesOf(readFileSync(file, "utf8")).forEach((code, index) => {
      const name = `${source.replaceAll("/", "_").replace(/\.ts$/, "")}_${index + 1}.ts`
      origins.set(name, source)
      writeFileSync(join(outDir, name), `// an example of ${source}\n${code}\nexport {}\n`)
      count++
    })
  }
  if (count === 0) {
    console.error(`check-jsdoc-examples: no @example found in packages/${pkg}/src`)
    process.exit(1)
  }
}

writeFileSync(
  join(outDir, "tsconfig.json"),
  `${JSON.stringify(
    {
      extends: "../../../../tsconfig.base.json",
      compilerOptions: {
        composite: false,
        declaration: false,
        emitDeclarationOnly: false,
        noEmit: true,
        noUnusedLocals: false,
        noUnusedParameters: false,
        rootDir: "."
      },
      references: packages.map((pkg) => ({ path: `../../../${pkg}/tsconfig.src.json` })),
      include: ["*.ts"]
    },
    null,
    2
  )}\n`
)

const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc")
try {
  execFileSync(process.execPath, [tsc, "-p", join(outDir, "tsconfig.json")], { cwd: root, stdio: "pipe" })
} catch (error) {
  const output = `${error.stdout ?? ""}${error.stderr ?? ""}`
  console.error("check-jsdoc-examples: these JSDoc examples do not compile:\n")
  for (const line of output.split("\n")) {
    const file = /jsdoc-examples\/([^(]+)\(/.exec(line)?.[1]
    console.error(file === undefined ? line : `${line}\n    (an example in ${origins.get(file)})`)
  }
  process.exit(1)
}
console.log(`check-jsdoc-examples: ${origins.size} examples compile`)
