/** An error the CLI reports as one clear line and exit code 1 (no stack: it is the user's situation, not a bug). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
