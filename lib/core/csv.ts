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
  private line = 1;
  private recordLine = 1;
  private pendingCR = false;

  /** Parses `chunk` and returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    for (const ch of chunk) {
      if (this.pendingCR) {
        this.pendingCR = false;
        if (ch === "\n") continue;
      }
      if (this.inQuotes) {
        if (ch === '"') {
          this.inQuotes = false;
          this.quoteJustClosed = true;
        } else {
          if (ch === "\n") this.line++;
          this.field += ch;
        }
        continue;
      }
      if (ch === '"') {
        // A quote right after a closing quote is an escaped quote ("").
        if (this.quoteJustClosed) this.field += '"';
        else if (this.field.length > 0)
          throw new CsvError(this.line, "unexpected quote inside an unquoted field");
        this.inQuotes = true;
        this.quoteJustClosed = false;
        continue;
      }
      this.quoteJustClosed = false;
      if (ch === ",") {
        this.fields.push(this.field);
        this.field = "";
      } else if (ch === "\n" || ch === "\r") {
        if (ch === "\r") this.pendingCR = true;
        records.push(this.finishRecord());
        this.line++;
        this.recordLine = this.line;
      } else {
        this.field += ch;
      }
    }
    return records.filter((r) => !(r.fields.length === 1 && r.fields[0] === ""));
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): CsvRecord[] {
    if (this.inQuotes) throw new CsvError(this.recordLine, "unterminated quoted field");
    if (this.field === "" && this.fields.length === 0) return [];
    return [this.finishRecord()];
  }

  private finishRecord(): CsvRecord {
    this.fields.push(this.field);
    const record = { line: this.recordLine, fields: this.fields };
    this.fields = [];
    this.field = "";
    this.quoteJustClosed = false;
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
