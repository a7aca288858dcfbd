/**
 * The cassette file: its schema, reading and writing it, and what never reaches it
 * (credential headers, key-like query parameters, and the values of both, scrubbed from
 * the whole text as a last guard).
 *
 * @internal
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { CassetteFile } from "../../Cassette.js"

// ---------------------------------------------------------------------------
// the format
// ---------------------------------------------------------------------------

const Headers = Schema.Record({ key: Schema.String, value: Schema.String })

const CassetteFileSchema: Schema.Schema<CassetteFile> = Schema.Struct({
  version: Schema.Literal(1),
  exchanges: Schema.Array(
    Schema.Struct({
      request: Schema.Struct({
        method: Schema.String,
        url: Schema.String,
        path: Schema.String,
        headers: Headers,
        body: Schema.optionalWith(Schema.Unknown, { exact: true })
      }),
      response: Schema.Struct({
        status: Schema.Number,
        headers: Headers,
        body: Schema.String,
        bodyEncoding: Schema.optionalWith(Schema.Literal("base64"), { exact: true })
      })
    })
  )
})

const decodeFile = Schema.decodeUnknownEither(CassetteFileSchema)

/**
 * The cause of a cassette that cannot be read, parsed or written (re-exported by the
 * `Cassette` module, where it is documented).
 *
 * @since 0.1.0
 */
export class CassetteFileError extends Data.TaggedError("CassetteFileError")<{
  readonly message: string
  readonly path: string
}> {}

// ---------------------------------------------------------------------------
// secrets
// ---------------------------------------------------------------------------

/** Stripped from every stored request and response, whatever the options say. */
export const alwaysRedacted: ReadonlyArray<string> = [
  "authorization",
  "proxy-authorization",
  "api-key",
  "x-api-key",
  "x-goog-api-key",
  "openai-organization",
  "openai-project",
  "cookie",
  "set-cookie"
]

/** Query parameters whose values are replaced by `REDACTED`. */
const redactedQuery: ReadonlySet<string> = new Set([
  "key",
  "api_key",
  "api-key",
  "apikey",
  "access_token",
  "token"
])

/** Response headers that describe the wire encoding, not the body the client sees. */
export const transferHeaders: ReadonlySet<string> = new Set([
  "content-length",
  "content-encoding",
  "transfer-encoding"
])

/** The URL with key-like query parameters set to `REDACTED` and without user or password. */
export const redactUrl = (url: URL): URL => {
  const copy = new URL(url.href)
  for (const name of [...copy.searchParams.keys()]) {
    if (redactedQuery.has(name.toLowerCase())) copy.searchParams.set(name, "REDACTED")
  }
  copy.username = ""
  copy.password = ""
  return copy
}

/** The headers (names lower-cased) that are neither `redacted` nor dropped. */
export const keepHeaders = (
  headers: Readonly<Record<string, string>>,
  redacted: ReadonlySet<string>,
  drop: ReadonlySet<string> = new Set()
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (!redacted.has(lower) && !drop.has(lower)) out[lower] = value
  }
  return out
}

/** The values of the credential headers and query parameters, to scrub from the file. */
export const secretsOf = (
  headers: Readonly<Record<string, string>>,
  url: URL,
  redacted: ReadonlySet<string>
): ReadonlyArray<string> => {
  const secrets: Array<string> = []
  for (const [name, value] of Object.entries(headers)) {
    if (!redacted.has(name.toLowerCase())) continue
    secrets.push(value)
    const token = value.replace(/^(Bearer|Basic|Token)\s+/i, "")
    if (token !== value) secrets.push(token)
  }
  for (const [name, value] of url.searchParams) if (redactedQuery.has(name.toLowerCase())) secrets.push(value)
  if (url.password !== "") secrets.push(url.password)
  return secrets.filter((secret) => secret.length >= 6)
}

const scrub = (text: string, secrets: ReadonlySet<string>): string => {
  let out = text
  for (const secret of secrets) {
    const escaped = JSON.stringify(secret).slice(1, -1)
    out = out.split(escaped).join("REDACTED")
  }
  return out
}

// ---------------------------------------------------------------------------
// the file on disk
// ---------------------------------------------------------------------------

/** A cassette as read for replay: its content, or why it cannot be read. */
export type Loaded = Either.Either<CassetteFile, CassetteFileError>

/** Reads the cassette at `path`; a missing file is an empty cassette. */
export const load = (path: string): Loaded => {
  if (!fs.existsSync(path)) return Either.right({ version: 1, exchanges: [] })
  let json: unknown
  try {
    json = JSON.parse(fs.readFileSync(path, "utf8"))
  } catch (error) {
    return Either.left(
      new CassetteFileError({ message: `cassette ${path} is not valid JSON: ${String(error)}`, path })
    )
  }
  return Either.mapLeft(
    decodeFile(json),
    (error) =>
      new CassetteFileError({
        message: `cassette ${path} is not a cassette: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
        path
      })
  )
}

/** Writes the cassette at `path` (atomically, through a temporary file), `secrets` scrubbed. */
export const save = (
  path: string,
  file: CassetteFile,
  secrets: ReadonlySet<string>
): Either.Either<void, CassetteFileError> => {
  try {
    fs.mkdirSync(nodePath.dirname(path), { recursive: true })
    const temporary = `${path}.${process.pid}.tmp`
    fs.writeFileSync(temporary, `${scrub(JSON.stringify(file, null, 2), secrets)}\n`)
    fs.renameSync(temporary, path)
    return Either.void
  } catch (error) {
    return Either.left(
      new CassetteFileError({ message: `cannot write cassette ${path}: ${String(error)}`, path })
    )
  }
}

/** Reads the cassette at `path`, which must exist (for `Cassette.read`). */
export const loadExisting = (path: string): Loaded =>
  fs.existsSync(path) ? load(path) : Either.left(missingFile(path))

const missingFile = (path: string): CassetteFileError =>
  new CassetteFileError({ message: `cassette ${path} does not exist`, path })
