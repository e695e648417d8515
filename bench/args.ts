/** The benchmarks' command line: the value after flag `name` (`--out file`), or `fallback`. */
export function arg(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}
