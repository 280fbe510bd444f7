/** An error the user caused and can fix: printed as the message alone, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * `make()`, with what it throws (the engine's checks of a spec, settings or weights) turned into
 * a CliError: the engine's messages are written for the user.
 */
export function withEngineChecks<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
