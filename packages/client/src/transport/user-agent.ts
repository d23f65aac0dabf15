import { readFileSync } from "node:fs";

let version: string | undefined;

/** This package's version, read once (every request's User-Agent needs it). */
function packageVersion(): string {
  return (version ??= readVersion());
}

function readVersion(): string {
  try {
    // src/transport/ and dist/transport/ are both two levels below the package root
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ? `v${pkg.version}` : "unknown";
  } catch {
    return "unknown";
  }
}

const GOARCH: Record<string, string> = { x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm", ppc64: "ppc64le", s390x: "s390x" };

/**
 * The User-Agent client-go would send (rest.DefaultKubernetesUserAgent):
 * `<command>/<version> (<os>/<arch>) kubernetes/<commit>`, here `kubets/<client version> (<os>/<arch>) node/<version>`.
 */
export function defaultUserAgent(): string {
  return `kubets/${packageVersion()} (${process.platform}/${GOARCH[process.arch] ?? process.arch}) node/${process.version}`;
}
