// Incremental splitting of a JSON array into the text of its elements: feed chunks as they arrive, get
// each complete top-level element out (to JSON.parse one at a time), so a large `[{…}, {…}, …]` file
// never has to sit in memory whole. Structural problems name the line; an element that is not valid
// JSON comes out as text for the caller to report.

export interface JsonArrayElement {
  /** 1-based line where the element starts. */
  line: number;
  text: string;
}

export class JsonArrayError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = "JsonArrayError";
  }
}

/** start: before "["; first: after "["; value: after a comma; element: inside one; done: after "]". */
type State = "start" | "first" | "value" | "element" | "done";

const isSpace = (ch: string) => ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\uFEFF";

export class JsonArrayScanner {
  private state: State = "start";
  private line = 1;
  /** Text of the current element carried over from earlier chunks. */
  private partial = "";
  private elementLine = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Scans `chunk` and returns the elements it completed. */
  push(chunk: string): JsonArrayElement[] {
    const out: JsonArrayElement[] = [];
    let start = this.state === "element" ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (ch === "\n") this.line++;
      if (this.state === "element") {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (ch === "\\") this.escaped = true;
          else if (ch === '"') this.inString = false;
        } else if (ch === '"') this.inString = true;
        else if (ch === "{" || ch === "[") this.depth++;
        else if ((ch === "}" || ch === "]") && this.depth > 0) this.depth--;
        else if ((ch === "," || ch === "]") && this.depth === 0) {
          out.push(this.finish(chunk.slice(start, i)));
          this.state = ch === "," ? "value" : "done";
        }
        continue;
      }
      if (isSpace(ch)) continue;
      if (this.state === "start") {
        if (ch !== "[") throw new JsonArrayError(this.line, "expected a JSON array of objects");
        this.state = "first";
      } else if (this.state === "first" && ch === "]") {
        this.state = "done";
      } else if (this.state === "first" || this.state === "value") {
        if (ch === "]" || ch === ",") throw new JsonArrayError(this.line, `expected a value, found "${ch}"`);
        this.state = "element";
        this.elementLine = this.line;
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        start = i;
        i--; // scan this character again, as the element's first
      } else {
        throw new JsonArrayError(this.line, "unexpected text after the end of the array");
      }
    }
    if (this.state === "element") this.partial += chunk.slice(start);
    return out;
  }

  /** Checks that the array was closed. */
  end(): void {
    if (this.state === "start") throw new JsonArrayError(this.line, "the file is empty");
    if (this.state !== "done") throw new JsonArrayError(this.line, "the array is not closed (missing ])");
  }

  private finish(tail: string): JsonArrayElement {
    const text = (this.partial + tail).trim();
    this.partial = "";
    return { line: this.elementLine, text };
  }
}
