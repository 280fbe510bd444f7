/** The one error an exporter throws: a model it cannot take elsewhere, said in words the user can act on. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}
