/** Exit codes and the error type for command-line usage mistakes. */
export const EXIT_OK = 0;
/** Invalid spec, failed program, mandatory policy violation, data loss. */
export const EXIT_FAILURE = 1;
/** Wrong arguments: unknown command, option, stack or service. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  override name = "UsageError";
}
