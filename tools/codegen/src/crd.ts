export function runCrdCommand(args: string[]): void {
  throw new Error(`not yet: ${args.join(" ")}`);
}
