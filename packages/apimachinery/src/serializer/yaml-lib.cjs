"use strict";
// The `yaml` package, through the "#yaml" package import (package.json "imports"), loaded on the first
// document the fast path (yaml-fast.ts) does not take: importing it costs tens of milliseconds of a
// process start, and most kubeconfigs never need it. Bundlers get dist/vendor/yaml.js instead
// (scripts/vendor-esm.mjs), which exports the same function.
let lib;
exports.loadYAML = function loadYAML() {
  return (lib ??= require("yaml"));
};
