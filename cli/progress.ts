/**
 * Progress lines on standard error, for a person watching a terminal while a slow step runs (the first
 * preview on a fresh clone spends seconds loading the SDKs). Silent when standard error is not a terminal,
 * so CI logs, pipes and tests stay as they were. bin/msp.js prints the first line, before the SDKs load.
 */
export type Progress = (step: string) => void;

export function progress(stream: { isTTY?: boolean; write(s: string): unknown } = process.stderr): Progress {
  if (!stream.isTTY) return () => {};
  // performance.now() counts from the start of the process: the time a person has been waiting.
  return (step) => stream.write(`msp: ${step} (${(performance.now() / 1000).toFixed(1)} s)\n`);
}
