import type { Composer, Parser, isAlias, isMap, isScalar, isSeq, visit } from "yaml";

/** The parts of the `yaml` package the full YAML path uses, loaded on first call. */
export declare function loadYAML(): {
  Composer: typeof Composer;
  Parser: typeof Parser;
  isAlias: typeof isAlias;
  isMap: typeof isMap;
  isScalar: typeof isScalar;
  isSeq: typeof isSeq;
  visit: typeof visit;
};
