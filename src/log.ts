export type LogLevel = "info" | "warn" | "error";
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** One line per event: easy to read in a terminal and in `journalctl`. */
export const consoleLogger: Logger = (level, message, fields = {}) => {
  const extra = Object.entries(fields)
    .map(([key, value]) => `${key}=${value instanceof Error ? JSON.stringify(value.stack ?? value.message) : JSON.stringify(value)}`)
    .join(" ");
  const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra ? ` ${extra}` : ""}`;
  if (level === "info") console.log(line);
  else console.error(line);
};
