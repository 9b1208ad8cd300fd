import { describe, expect, it } from "vitest";
import { CsvParser, csvLine } from "./csv";
import { JsonArrayError, JsonArrayScanner } from "./json-array";

function scan(text: string, chunkSize: number) {
  const scanner = new JsonArrayScanner();
  const out = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...scanner.push(text.slice(i, i + chunkSize)));
  scanner.end();
  return out;
}

describe("JsonArrayScanner", () => {
  it("splits top-level elements across any chunk borders, with their lines", () => {
    const text = '\uFEFF[\n  {"a": "x, ]} \\" {"},\n  {"b": [1, {"c": 2}]}, 3 ,\n"s"\n]\n';
    for (const size of [1, 2, 3, 5, 8, 1000]) {
      expect(scan(text, size)).toEqual([
        { line: 2, text: '{"a": "x, ]} \\" {"}' },
        { line: 3, text: '{"b": [1, {"c": 2}]}' },
        { line: 3, text: "3" },
        { line: 4, text: '"s"' },
      ]);
    }
    expect(scan("[]", 1)).toEqual([]);
  });

  it("passes malformed elements through as text (the caller reports the row)", () => {
    expect(scan('[{"a": oops}, {"b": 1}]', 4).map((e) => e.text)).toEqual(['{"a": oops}', '{"b": 1}']);
  });

  it("names the line of structural problems", () => {
    const problem = (text: string) => {
      try {
        scan(text, 3);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(JsonArrayError);
        return (error as Error).message;
      }
    };
    expect(problem('{"a": 1}')).toBe("line 1: expected a JSON array of objects");
    expect(problem("[\n{},\n")).toBe("line 3: the array is not closed (missing ])");
    expect(problem("[{},\n]")).toBe('line 2: expected a value, found "]"');
    expect(problem("[{}]\nx")).toBe("line 2: unexpected text after the end of the array");
    expect(problem("  ")).toBe("line 1: the file is empty");
  });
});

describe("csvLine", () => {
  it("quotes what needs quoting and parses back to the same fields", () => {
    const rows = [
      ["id", "text", "label"],
      ["1", 'He said "hi", then left', "a\nb"],
      ["2", " spaced ", "x\r\n"],
    ];
    const text = rows.map(csvLine).join("");
    const parser = new CsvParser();
    expect([...parser.push(text), ...parser.end()].map((r) => r.fields)).toEqual(rows);
  });
});
