/**
 * Partial JSON: the value a truncated JSON text denotes so far, for streamed tool-call
 * arguments (`Message.partialToolCalls`) and streamed structured output.
 *
 * One resumable state machine does both jobs. It keeps a stack of the open containers
 * (arrays and objects, mutated in place as their members complete) and the state of the
 * token being read (a string with a pending escape, a number, a literal). `push` examines
 * every character once: the only character examined twice is the one that ends a number,
 * so the work never depends on how the text was split into deltas.
 *
 * Repair rules, applied when a value is read from a prefix of a JSON document:
 * - an unterminated string is closed; a trailing lone backslash, a partial `\uXXXX`
 *   escape and a trailing high surrogate (whose low half has not arrived) are left out;
 * - unclosed arrays and objects are closed, a trailing comma is ignored;
 * - an object member whose key is unfinished, or that has no value yet, or whose value is
 *   a partial literal, is left out: `{"a": 1, "b"` and `{"a": 1, "b":` give `{ a: 1 }`;
 * - a partial literal (`tru`, `nul`, `fals`) is left out;
 * - a number is kept as long as it is valid so far (`12` gives 12, it may still grow); an
 *   unfinished fraction or exponent is left out (`1.` and `1e-` give 1); a lone `-` is
 *   left out.
 *
 * Text that is not a prefix of any JSON document (a syntax error, or anything but
 * whitespace after a complete value) has no value: `undefined`, like an empty text.
 * Complete JSON gives exactly what `JSON.parse` gives (an own `__proto__` key included).
 *
 * @internal
 */

/** Why a text is not a prefix of any JSON document. */
const unexpected = (char: string, offset: number): string =>
  `Unexpected ${JSON.stringify(char)} at position ${offset} of the JSON text`

enum State {
  /** A value is expected (start, after `,` in an array, after `:`). */
  Value,
  /** After `[`: a value or `]`. */
  ArrayFirst,
  /** After `{`: a key or `}`. */
  ObjectFirst,
  /** After `,` in an object: a key. */
  Key,
  /** After a key: `:`. */
  Colon,
  /** After a value: `,` or the closing bracket, or only whitespace at the top. */
  AfterValue,
  /** Inside a string (a key or a value). */
  String,
  /** Inside a number; `numberState` says where. */
  Number,
  /** Inside `true`, `false` or `null`. */
  Literal,
  /** The text is not JSON. */
  Failed
}

enum Num {
  /** After `-`. */
  Sign,
  /** After a leading `0`. */
  Zero,
  /** In the integer digits. */
  Int,
  /** After `.`. */
  Dot,
  /** In the fraction digits. */
  Fraction,
  /** After `e` or `E`. */
  Exp,
  /** After the exponent's sign. */
  ExpSign,
  /** In the exponent digits. */
  ExpDigits
}

interface ArrayFrame {
  readonly items: Array<unknown>
  readonly object: undefined
}

interface ObjectFrame {
  readonly items: undefined
  readonly object: Record<string, unknown>
  /** The key whose value is being read, once the key is complete. */
  key: string | undefined
  /** Members set so far (the cost of copying this object into a snapshot). */
  members: number
}

type Frame = ArrayFrame | ObjectFrame

const LITERALS: ReadonlyArray<readonly [string, boolean | null]> = [
  ["true", true],
  ["false", false],
  ["null", null]
]

const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t"
}

const isWhitespace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9
const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff

const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1

/** Sets a member the way `JSON.parse` does: `__proto__` becomes an own property. */
const setMember = (object: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__") {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true })
  } else {
    object[key] = value
  }
}

/**
 * A streaming JSON parser: feed it deltas with `push`, read the value so far with `value`.
 *
 * @internal
 */
export interface IncrementalParser {
  /** Consumes the next piece of the text. Work is proportional to `delta.length`. */
  push(delta: string): void
  /**
   * The value the text denotes so far, repaired as the module describes, or `undefined`
   * when nothing usable has arrived yet or the text is not JSON.
   *
   * Snapshots are never mutated by later pushes, so a caller may keep them (and must not
   * mutate them itself). Finished arrays and objects are shared between snapshots; only
   * the open containers, from the root down to the innermost one, are copied, so reading
   * costs the total number of members of the open containers (for typical structured
   * output, a few dozen), not the size of the text. Repeated reads without a push in
   * between return the same snapshot.
   */
  readonly value: unknown
  /** The whole text pushed so far. */
  readonly text: string
  /**
   * What reading `value` now would cost (members of the open containers to copy; 0 when
   * the cached snapshot is still current), so a caller can read it only when the text
   * that arrived since pays for it, and stay linear overall.
   */
  readonly snapshotCost: number
  /** True when the text so far is a complete JSON document (`JSON.parse` would accept it). */
  readonly complete: boolean
  /** Why the text is not JSON, or `undefined` while it is a valid prefix. */
  readonly error: string | undefined
  /**
   * Characters examined so far (for tests): the text's length plus one for each number
   * ended by the character after it; the same however the text was split.
   */
  readonly scanned: number
}

class Parser implements IncrementalParser {
  text = ""
  error: string | undefined = undefined
  scanned = 0

  private state: State = State.Value
  private readonly stack: Array<Frame> = []
  /** The top-level value, once complete. */
  private root: unknown = undefined
  /** Where the current delta starts in the text (for error messages). */
  private offset = 0

  // the string being read
  private isKey = false
  private chars = ""
  /** A high surrogate held back until the next character arrives. */
  private high = ""
  /** 0: no escape, 1: after a backslash, 2 + k: after `\u` and k hex digits. */
  private escape = 0
  private code = 0

  // the number being read
  private numberText = ""
  private numberState: Num = Num.Sign

  // the literal being read
  private literal = 0
  private literalIndex = 0

  private cache: unknown = undefined
  private dirty = false

  get complete(): boolean {
    if (this.stack.length > 0) return false
    if (this.state === State.AfterValue) return true
    return this.state === State.Number && this.numberEnds()
  }

  get snapshotCost(): number {
    if (!this.dirty) return 0
    let cost = 1
    for (const frame of this.stack) cost += frame.items === undefined ? frame.members : frame.items.length
    return cost
  }

  get value(): unknown {
    if (this.dirty) {
      this.cache = this.snapshot()
      this.dirty = false
    }
    return this.cache
  }

  push(delta: string): void {
    if (delta.length === 0) return
    this.text += delta
    this.dirty = true
    if (this.state !== State.Failed) this.feed(delta)
    this.offset += delta.length
  }

  private fail(delta: string, at: number): void {
    this.error = unexpected(delta.charAt(at), this.offset + at)
    this.state = State.Failed
  }

  private numberEnds(): boolean {
    const s = this.numberState
    return s === Num.Zero || s === Num.Int || s === Num.Fraction || s === Num.ExpDigits
  }

  /** Stores a finished value in the open container, or as the root. */
  private finish(value: unknown): void {
    this.state = State.AfterValue
    const top = this.stack[this.stack.length - 1]
    if (top === undefined) {
      this.root = value
    } else if (top.items !== undefined) {
      top.items.push(value)
    } else {
      setMember(top.object, top.key!, value)
      top.key = undefined
      top.members++
    }
  }

  /** Appends decoded characters to the string, holding back a trailing high surrogate. */
  private append(piece: string): void {
    const held = this.high
    if (isHighSurrogate(piece.charCodeAt(piece.length - 1))) {
      this.chars += held + piece.slice(0, -1)
      this.high = piece.slice(-1)
    } else {
      this.chars += held + piece
      this.high = ""
    }
  }

  /** Starts the value whose first character is at `i`; false when none can start there. */
  private startValue(delta: string, i: number, c: number): boolean {
    if (c === 34) {
      this.state = State.String
      this.isKey = false
      this.chars = ""
    } else if (c === 91) {
      this.stack.push({ items: [], object: undefined })
      this.state = State.ArrayFirst
    } else if (c === 123) {
      this.stack.push({ items: undefined, object: {}, key: undefined, members: 0 })
      this.state = State.ObjectFirst
    } else if (c === 45 || isDigit(c)) {
      this.state = State.Number
      this.numberState = c === 45 ? Num.Sign : c === 48 ? Num.Zero : Num.Int
      this.numberText = delta.charAt(i)
    } else {
      const literal = c === 116 ? 0 : c === 102 ? 1 : c === 110 ? 2 : -1
      if (literal < 0) return false
      this.state = State.Literal
      this.literal = literal
      this.literalIndex = 1
    }
    return true
  }

  /** Closes the top container with the bracket `c`; false when it does not match. */
  private close(c: number): boolean {
    const top = this.stack[this.stack.length - 1]
    if (top === undefined || c !== (top.items !== undefined ? 93 : 125)) return false
    this.stack.pop()
    this.finish(top.items ?? top.object)
    return true
  }

  private feed(delta: string): void {
    const n = delta.length
    let i = 0
    while (i < n) {
      const c = delta.charCodeAt(i)
      this.scanned++
      switch (this.state) {
        case State.Value:
        case State.ArrayFirst: {
          if (isWhitespace(c)) break
          if (!(this.state === State.ArrayFirst && c === 93 ? this.close(c) : this.startValue(delta, i, c))) {
            return void this.fail(delta, i)
          }
          break
        }
        case State.ObjectFirst:
        case State.Key: {
          if (isWhitespace(c)) break
          if (c === 34) {
            this.state = State.String
            this.isKey = true
            this.chars = ""
          } else if (!(this.state === State.ObjectFirst && c === 125 && this.close(c))) {
            return void this.fail(delta, i)
          }
          break
        }
        case State.Colon: {
          if (isWhitespace(c)) break
          if (c !== 58) return void this.fail(delta, i)
          this.state = State.Value
          break
        }
        case State.AfterValue: {
          if (isWhitespace(c)) break
          const top = this.stack[this.stack.length - 1]
          if (top !== undefined && c === 44) {
            this.state = top.items !== undefined ? State.Value : State.Key
          } else if (!this.close(c)) {
            return void this.fail(delta, i)
          }
          break
        }
        case State.String: {
          if (this.escape === 0) {
            // a run of plain characters, appended in one piece
            let j = i
            while (j < n) {
              const d = delta.charCodeAt(j)
              if (d === 34 || d === 92 || d < 32) break
              j++
            }
            if (j > i) {
              this.scanned += j - i - 1
              this.append(delta.slice(i, j))
              i = j
              continue
            }
            if (c === 92) {
              this.escape = 1
            } else if (c === 34) {
              const value = this.chars + this.high
              this.chars = ""
              this.high = ""
              if (this.isKey) {
                ;(this.stack[this.stack.length - 1] as ObjectFrame).key = value
                this.state = State.Colon
              } else {
                this.finish(value)
              }
            } else {
              return void this.fail(delta, i)
            }
          } else if (this.escape === 1) {
            if (c === 117) {
              this.escape = 2
              this.code = 0
            } else {
              const escaped = ESCAPES[delta.charAt(i)]
              if (escaped === undefined) return void this.fail(delta, i)
              this.append(escaped)
              this.escape = 0
            }
          } else {
            const h = hexValue(c)
            if (h < 0) return void this.fail(delta, i)
            this.code = this.code * 16 + h
            if (++this.escape === 6) {
              this.append(String.fromCharCode(this.code))
              this.escape = 0
            }
          }
          break
        }
        case State.Number: {
          let next: Num | undefined
          switch (this.numberState) {
            case Num.Sign:
              next = c === 48 ? Num.Zero : isDigit(c) ? Num.Int : undefined
              break
            case Num.Zero:
            case Num.Int:
              next =
                c === 46
                  ? Num.Dot
                  : c === 101 || c === 69
                    ? Num.Exp
                    : isDigit(c) && this.numberState === Num.Int
                      ? Num.Int
                      : undefined
              break
            case Num.Dot:
            case Num.Fraction:
              next = isDigit(c)
                ? Num.Fraction
                : this.numberState === Num.Fraction && (c === 101 || c === 69)
                  ? Num.Exp
                  : undefined
              break
            case Num.Exp:
              next = c === 43 || c === 45 ? Num.ExpSign : isDigit(c) ? Num.ExpDigits : undefined
              break
            default:
              next = isDigit(c) ? Num.ExpDigits : undefined
          }
          if (next !== undefined) {
            this.numberState = next
            this.numberText += delta.charAt(i)
            break
          }
          // the number ends here; this character is examined again after it
          if (!this.numberEnds()) return void this.fail(delta, i)
          this.finish(Number(this.numberText))
          continue
        }
        case State.Literal: {
          const [word, value] = LITERALS[this.literal]
          if (c !== word.charCodeAt(this.literalIndex)) return void this.fail(delta, i)
          if (++this.literalIndex === word.length) this.finish(value)
          break
        }
      }
      i++
    }
  }

  /** The number read so far, without an unfinished fraction or exponent. */
  private partialNumber(): number | undefined {
    const text = this.numberText
    switch (this.numberState) {
      case Num.Sign:
        return undefined
      case Num.Dot:
      case Num.Exp:
        return Number(text.slice(0, -1))
      case Num.ExpSign:
        return Number(text.slice(0, -2))
      default:
        return Number(text)
    }
  }

  private snapshot(): unknown {
    if (this.state === State.Failed) return undefined
    let child: unknown =
      this.state === State.String && !this.isKey
        ? this.chars
        : this.state === State.Number
          ? this.partialNumber()
          : undefined
    if (this.stack.length === 0) return this.state === State.AfterValue ? this.root : child
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const frame = this.stack[k]
      if (frame.items !== undefined) {
        const copy = frame.items.slice()
        if (child !== undefined) copy.push(child)
        child = copy
      } else {
        const copy = { ...frame.object }
        if (child !== undefined && frame.key !== undefined) setMember(copy, frame.key, child)
        child = copy
      }
    }
    return child
  }
}

/**
 * A streaming JSON parser that consumes each character of the text once, whatever the
 * deltas: the state machine resumes inside strings, escapes, `\uXXXX` sequences,
 * numbers, literals and keys.
 *
 * @internal
 */
export const makeIncremental = (): IncrementalParser => new Parser()

/**
 * The value a possibly truncated JSON text denotes so far (see the module's repair
 * rules), or `undefined` when nothing usable has arrived yet or the text is not JSON.
 * Never throws; complete JSON gives exactly `JSON.parse`'s result.
 *
 * @internal
 */
export const parsePartial = (text: string): { readonly value: unknown } | undefined => {
  const parser = new Parser()
  parser.push(text)
  const value = parser.value
  return value === undefined ? undefined : { value }
}
