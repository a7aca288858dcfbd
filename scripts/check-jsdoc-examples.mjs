/**
 * Type-checks every `@example` of the library packages' JSDoc: each ```ts block under an
 * `@example` tag in packages/{core,testing,openai}/src is written to its own module in
 * packages/examples/build/jsdoc-examples (where `@effect-chat/*`, `effect` and
 * `@effect/platform` resolve), and `tsc` checks them all against the packages' built
 * declarations (`npm run check` builds them first). Unused names are allowed (an
 * example often only shows how a value is made); everything else is the project's
 * strict settings. Also checks that every export of the public modules (`src/*.ts`)
 * has an example. Exits non-zero, printing what is wrong (for tsc's errors, with the
 * source of each example), when an export has no example, when one does not compile,
 * or when a package has no example at all.
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

/** The JSDoc comment right before `index` in `text`, or "". */
const docBefore = (text, index) => {
  const before = text.slice(0, index)
  const start = before.lastIndexOf("/**")
  const end = before.lastIndexOf("*/")
  return start !== -1 && end > start && before.slice(end + 2).trim() === "" ? before.slice(start, end) : ""
}

/** Where the declaration of `name` is in `text` (`export const|function|class|interface|type name`). */
const declarationOf = (text, name) =>
  new RegExp(`^export (?:declare )?(?:const|function|class|interface|type) ${name}\\b`, "m").exec(text)?.index

/**
 * The exports of the packages' public modules (`src/*.ts` but `index.ts`, each exported
 * as a namespace) whose JSDoc has no `@example`: declarations in the module, and names
 * it re-exports from an internal module (checked where they are declared).
 */
const withoutExample = () => {
  const missing = []
  for (const pkg of packages) {
    const src = join(root, "packages", pkg, "src")
    for (const name of readdirSync(src)) {
      if (!name.endsWith(".ts") || name === "index.ts") continue
      const file = join(src, name)
      const text = readFileSync(file, "utf8")
      for (const match of text.matchAll(
        /^export (?:declare )?(?:const|function|class|interface|type) (\w+)/gm
      )) {
        if (!docBefore(text, match.index).includes("@example"))
          missing.push(`${relative(root, file)}: ${match[1]}`)
      }
      for (const match of text.matchAll(/export (?:type )?\{([^}]*)\} from "(\.[^"]+)\.js"/g)) {
        const target = join(dirname(file), `${match[2]}.ts`)
        const targetText = readFileSync(target, "utf8")
        const names = match[1]
          .replace(/\/\*[\s\S]*?\*\//g, "")
          .split(",")
          .map((entry) => entry.trim().split(/\s+as\s+/)[0])
          .filter((entry) => entry !== "")
        for (const exported of names) {
          const at = declarationOf(targetText, exported)
          if (at === undefined || !docBefore(targetText, at).includes("@example")) {
            missing.push(`${relative(root, file)}: ${exported} (declared in ${relative(root, target)})`)
          }
        }
      }
    }
  }
  return missing
}

const missing = withoutExample()
if (missing.length > 0) {
  console.error(
    `check-jsdoc-examples: public exports without an @example in their JSDoc:\n  ${missing.join("\n  ")}`
  )
  process.exit(1)
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
