/** Exit codes and the error type for command-line usage mistakes. */
export const EXIT_OK = 0;
/** A finding: invalid spec, failed program, mandatory policy violation, data loss. */
export const EXIT_FAILURE = 1;
/**
 * Wrong arguments (unknown command, option, stack or service; a malformed ID or git ref) or input that cannot be
 * read at all (a missing or empty services folder, a FIFO or device instead of a file, a broken export).
 */
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  override name = "UsageError";
}
