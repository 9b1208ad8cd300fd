// The JSON request bodies of the curl examples in README.md and docs/api-*.md, with the operation each
// one calls. Shell code blocks are read the way a shell would read them, as far as the examples need:
// quotes (single-quoted bodies span lines), `\` line continuations, comments, `VAR=value` assignments
// (`export` too, several on a line) expanded in later URLs of the same file.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface ApiDocExample {
  /** "README.md:677": where the curl command starts. */
  source: string;
  method: string;
  /** The URL's path as written, e.g. "/api/v1/projects/default/runs". */
  urlPath: string;
  body: unknown;
}

const SHELL_BLOCK = /^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm;

interface Word {
  text: string;
  line: number;
}

/**
 * Splits shell text into commands (lists of words). Assignments (`A=1 B=2`, `export A=1`) are not
 * returned but kept in `vars`, from which later `$A`/`${A}` expand outside single quotes; an unknown
 * variable stays `$NAME` (a path segment such as `$RUN` then stands for any id).
 */
function shellCommands(text: string, firstLine: number, vars: Map<string, string>): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let word: string | null = null;
  let wordLine = firstLine;
  let line = firstLine;
  const endWord = () => {
    if (word !== null) words.push({ text: word, line: wordLine });
    word = null;
  };
  const endCommand = () => {
    endWord();
    const args = words[0]?.text === "export" ? words.slice(1) : words;
    if (args.length && args.every((w) => /^\w+=/.test(w.text))) {
      for (const { text } of args)
        vars.set(text.slice(0, text.indexOf("=")), text.slice(text.indexOf("=") + 1));
    } else if (words.length) commands.push(words);
    words = [];
  };
  const append = (s: string) => {
    if (word === null) [word, wordLine] = ["", line];
    word += s;
  };
  const expand = (from: number): [string, number] => {
    const match = /^\$(?:\{(\w+)(?:\[@\])?\}|(\w+))/.exec(text.slice(from));
    if (!match) return ["$", from + 1];
    const name = match[1] ?? match[2]!;
    return [vars.get(name) ?? `$${name}`, from + match[0].length];
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      endCommand();
      i++;
    } else if (c === "\\" && text[i + 1] === "\n") {
      line++;
      i += 2;
    } else if (c === " " || c === "\t") {
      endWord();
      i++;
    } else if (c === "#" && word === null) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "|" || c === ";" || c === "&") {
      endCommand();
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const quoted = text.slice(i + 1, end);
      append(quoted);
      line += quoted.split("\n").length - 1;
      i = end + 1;
    } else if (c === '"') {
      append("");
      for (i++; i < text.length && text[i] !== '"'; ) {
        if (text[i] === "$") {
          const [value, next] = expand(i);
          append(value);
          i = next;
        } else {
          if (text[i] === "\n") line++;
          append(text[i] === "\\" && /["\\$]/.test(text[i + 1] ?? "") ? text[++i]! : text[i]!);
          i++;
        }
      }
      i++;
    } else if (c === "$") {
      const [value, next] = expand(i);
      append(value);
      i = next;
    } else {
      append(c);
      i++;
    }
  }
  endCommand();
  return commands;
}

const DATA_FLAGS = new Set(["-d", "--data", "--data-raw"]);

/** The examples of one markdown text (`file` names it in `source`). */
export function examplesInMarkdown(markdown: string, file: string): ApiDocExample[] {
  const vars = new Map<string, string>();
  const examples: ApiDocExample[] = [];
  for (const block of markdown.matchAll(SHELL_BLOCK)) {
    const firstLine = markdown.slice(0, block.index).split("\n").length + 1;
    for (const args of shellCommands(block[1]!, firstLine, vars)) {
      if (args[0]!.text !== "curl") continue;
      let method: string | null = null;
      let body: string | null = null;
      let url: string | null = null;
      for (let i = 1; i < args.length; i++) {
        const arg = args[i]!.text;
        if (arg === "-X" || arg === "--request") method = args[++i]!.text;
        else if (DATA_FLAGS.has(arg)) body = args[++i]!.text;
        else if (/^https?:\/\//.test(arg)) url = arg;
      }
      if (body === null || url === null) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch (error) {
        throw new Error(`${file}:${args[0]!.line}: the body of this curl example is not JSON (${error})`);
      }
      examples.push({
        source: `${file}:${args[0]!.line}`,
        method: (method ?? "POST").toUpperCase(),
        urlPath: new URL(url).pathname,
        body: parsed,
      });
    }
  }
  return examples;
}

/** The files whose examples are checked: the README and every API guide (docs/api-*.md). */
export function apiDocFiles(root: string): string[] {
  const guides = readdirSync(path.join(root, "docs")).filter((name) => /^api-.*\.md$/.test(name));
  return ["README.md", ...guides.sort().map((name) => `docs/${name}`)];
}

export function apiDocExamples(root: string): ApiDocExample[] {
  return apiDocFiles(root).flatMap((file) =>
    examplesInMarkdown(readFileSync(path.join(root, file), "utf8"), file),
  );
}
