// Incremental RFC 4180 CSV parsing: feed chunks as they arrive, get complete records out, so a
// large file never has to sit in memory whole.

export interface CsvRecord {
  /** 1-based line number where the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

export class CsvParser {
  private field = "";
  private fields: string[] = [];
  private inQuotes = false;
  private quoteJustClosed = false;
  /** The current record has a quoted field: `""` alone is a record of one empty field, not a blank line. */
  private quotedInRecord = false;
  private line = 1;
  private recordLine = 1;
  private pendingCR = false;

  /** Parses `chunk` and returns the records it completed. Runs of plain text are copied as slices. */
  push(chunk: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const ch = chunk[i]!;
      if (this.pendingCR) {
        this.pendingCR = false;
        if (ch === "\n") {
          i++;
          continue;
        }
      }
      if (this.inQuotes) {
        const quote = chunk.indexOf('"', i);
        const stop = quote === -1 ? n : quote;
        const piece = chunk.slice(i, stop);
        for (let at = piece.indexOf("\n"); at !== -1; at = piece.indexOf("\n", at + 1)) this.line++;
        this.field += piece;
        if (quote === -1) break;
        this.inQuotes = false;
        this.quoteJustClosed = true;
        i = quote + 1;
        continue;
      }
      if (ch === '"') {
        // A quote right after a closing quote is an escaped quote ("").
        if (this.quoteJustClosed) this.field += '"';
        else if (this.field.length > 0)
          throw new CsvError(this.line, "unexpected quote inside an unquoted field");
        this.inQuotes = true;
        this.quotedInRecord = true;
        this.quoteJustClosed = false;
        i++;
        continue;
      }
      this.quoteJustClosed = false;
      if (ch === ",") {
        this.fields.push(this.field);
        this.field = "";
        i++;
      } else if (ch === "\n" || ch === "\r") {
        if (ch === "\r") this.pendingCR = true;
        const blank = this.atRecordStart();
        const record = this.finishRecord();
        if (!blank) records.push(record);
        this.line++;
        this.recordLine = this.line;
        i++;
      } else {
        let stop = i + 1;
        while (stop < n) {
          const code = chunk.charCodeAt(stop);
          if (code === 44 || code === 10 || code === 13 || code === 34) break; // , \n \r "
          stop++;
        }
        this.field += chunk.slice(i, stop);
        i = stop;
      }
    }
    return records;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): CsvRecord[] {
    if (this.inQuotes) throw new CsvError(this.recordLine, "unterminated quoted field");
    if (this.atRecordStart()) return [];
    return [this.finishRecord()];
  }

  /** Nothing read since the last record ended: a line break here ends a blank line. */
  private atRecordStart(): boolean {
    return this.field === "" && this.fields.length === 0 && !this.quotedInRecord;
  }

  private finishRecord(): CsvRecord {
    this.fields.push(this.field);
    const record = { line: this.recordLine, fields: this.fields };
    this.fields = [];
    this.field = "";
    this.quoteJustClosed = false;
    this.quotedInRecord = false;
    return record;
  }
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = "CsvError";
  }
}

// A spreadsheet reads a cell that starts with one of these as a formula (OWASP, "CSV Injection").
const FORMULA_START = /^[=+\-@\t\r]/;
// …but a plain number such as -1.5 or +3 is data, and a spreadsheet reads it as that number.
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A cell that is safe to open in a spreadsheet: one that would start a formula (=, +, -, @, tab or
 * carriage return first) gets a leading single quote, which spreadsheets take as "this is text" (OWASP's
 * rule for CSV injection). Plain numbers (-1.5, +3, 2e-4) are left as they are.
 */
export function spreadsheetSafeCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/**
 * One CSV record (RFC 4180, CRLF-free: "\n" ends it): fields with commas, quotes or line breaks are
 * quoted, and every field is made spreadsheet-safe (`spreadsheetSafeCell`). The one writer of every CSV
 * the app and the CLI produce (dataset downloads, run results, batch results, `strop batch --out`), so
 * a CSV is exact for everything but formula-leading text: JSONL is the exact round-trip format.
 */
export function csvLine(fields: readonly string[]): string {
  const cells = fields.map(spreadsheetSafeCell);
  return `${cells.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(",")}\n`;
}
