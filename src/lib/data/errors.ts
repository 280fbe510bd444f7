/**
 * The one error type of the data pipeline. It carries where the problem is (line and column of the
 * CSV file) so the UI can point at it; the message already says it in words.
 */
export interface DataErrorLocation {
  /** 1-based line of the file (the header is line 1). */
  line?: number;
  /** 1-based column number. */
  column?: number;
  /** Name of the column, when it has one. */
  columnName?: string;
}

export class DataError extends Error {
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly columnName: string | undefined;

  constructor(message: string, location: DataErrorLocation = {}) {
    super(message);
    this.name = 'DataError';
    this.line = location.line;
    this.column = location.column;
    this.columnName = location.columnName;
  }
}

/**
 * A message about a source: "iris.csv: line 7 has ..." when the source has a name, so messages
 * say which file they are about, else "Line 7 has ...".
 */
export function aboutSource(name: string | undefined, text: string): string {
  return name ? `${name}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
}
