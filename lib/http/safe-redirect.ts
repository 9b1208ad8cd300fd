/** `target` if it is a path on this site ("/projects/x"), else `fallback`: no open redirects. */
export function safeReturnPath(target: string | null | undefined, fallback = "/projects"): string {
  if (!target?.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  return target;
}
