import { describe, expect, it } from "vitest";
import { CsvParser } from "./csv";
import { diffLines } from "./diff";

function parseAll(text: string, chunkSize = 3) {
  const parser = new CsvParser();
  const records = [];
  for (let i = 0; i < text.length; i += chunkSize) records.push(...parser.push(text.slice(i, i + chunkSize)));
  records.push(...parser.end());
  return records;
}

describe("CsvParser", () => {
  it("parses quotes, escaped quotes, commas and newlines inside fields, CRLF, across chunk borders", () => {
    const text = 'id,text\r\n1,"Hello, ""world"""\r\n2,"two\nlines"\n3,plain';
    for (const size of [1, 2, 3, 7, 100]) {
      expect(parseAll(text, size)).toEqual([
        { line: 1, fields: ["id", "text"] },
        { line: 2, fields: ["1", 'Hello, "world"'] },
        { line: 3, fields: ["2", "two\nlines"] },
        { line: 5, fields: ["3", "plain"] },
      ]);
    }
  });

  it("skips blank lines and names the line of a broken quote", () => {
    expect(parseAll("a,b\n\n1,2\n").map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(() => parseAll('a,b\n1,"open')).toThrow("line 2: unterminated quoted field");
    expect(() => parseAll('a,b\n1,x"y\n')).toThrow("line 2: unexpected quote");
  });
});

describe("diffLines", () => {
  it("marks added and removed lines", () => {
    expect(diffLines("a\nb\nc", "a\nc\nd")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "same", text: "c" },
      { kind: "added", text: "d" },
    ]);
  });
});
