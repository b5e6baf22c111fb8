#!/usr/bin/env bash
# Builds the libFuzzer targets of Tests/Fuzz (registry CSV, TOML subset, wire decoder, status-page
# request parser) with `-sanitize=fuzzer` into .build-fuzz, and runs each for
# CLASSROOMFLEET_FUZZ_SECONDS (default 30) from its committed corpus (Tests/Fuzz/corpus/TARGET).
# A crash, a timeout or running out of memory fails the run and prints the input's path; reproduce it
# with `swift build --product TARGET && .build/debug/TARGET PATH` (the normal build replays inputs).
# Only ClassroomCore, ClassroomWire and swift-crypto are built again, through a package of their own
# (.build-fuzz/package: a manifest written here, its sources linked to the repository's): the root
# package would also plan its build plugin (the OpenAPI generator) and build that tool with the fuzzer
# flags, minutes of work that the linker then refuses.
#   bash scripts/fuzz.sh [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${CLASSROOMFLEET_FUZZ_SECONDS:-30}
work=${CLASSROOMFLEET_FUZZ_WORK:-/tmp/classroomfleet-fuzz}
targets=("$@")
all=(FuzzRegistryCSV FuzzTOML FuzzWire FuzzStatusRequest)
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for target in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $target "* ]] || { echo "fuzz: unknown target '$target' (targets: ${all[*]})" >&2; exit 2; }
done
package=.build-fuzz/package
mkdir -p "$package/Sources"
ln -sfn "$PWD/Sources/ClassroomCore" "$package/Sources/ClassroomCore"
ln -sfn "$PWD/Sources/ClassroomWire" "$package/Sources/ClassroomWire"
ln -sfn "$PWD/Tests/Fuzz" "$package/Fuzz"
cat >"$package/Package.swift" <<'SWIFT'
// swift-tools-version:6.1
// Written by scripts/fuzz.sh: the fuzz targets and what they test, without the rest of ClassroomFleet.
import PackageDescription

let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]
let core: [Target.Dependency] = ["ClassroomCore", "FuzzDriver"]
let package = Package(
    name: "ClassroomFleetFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: "https://github.com/apple/swift-crypto", from: "4.5.2")],
    targets: [
        .target(
            name: "ClassroomCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/ClassroomCore", swiftSettings: settings),
        .target(name: "ClassroomWire", dependencies: ["ClassroomCore"], path: "Sources/ClassroomWire", swiftSettings: settings),
        .target(name: "FuzzDriver", path: "Fuzz/FuzzDriver", swiftSettings: settings),
        .executableTarget(name: "FuzzRegistryCSV", dependencies: core, path: "Fuzz/FuzzRegistryCSV", swiftSettings: settings),
        .executableTarget(name: "FuzzTOML", dependencies: core, path: "Fuzz/FuzzTOML", swiftSettings: settings),
        .executableTarget(
            name: "FuzzWire", dependencies: core + ["ClassroomWire"], path: "Fuzz/FuzzWire", swiftSettings: settings),
        .executableTarget(
            name: "FuzzStatusRequest", dependencies: core, path: "Fuzz/FuzzStatusRequest", swiftSettings: settings),
    ]
)
SWIFT
flags=(--package-path "$package" --scratch-path .build-fuzz/build -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING)
for target in "${targets[@]}"; do
  swift build "${flags[@]}" --product "$target" 2>&1 | grep -E "error|warning: unre|Compiling|Build" | grep -v '^\[' || true
done
bin=$(swift build "${flags[@]}" --show-bin-path)
failed=0
for target in "${targets[@]}"; do
  [ -x "$bin/$target" ] || { echo "fuzz: $target was not built" >&2; failed=1; continue; }
  rm -rf "${work:?}/$target"
  mkdir -p "$work/$target/corpus"
  # New inputs go to the scratch corpus (first folder); the committed one is only read.
  # SWIFT_BACKTRACE=enable=no: libFuzzer, not the Swift backtracer, must see the trap to save the input.
  if SWIFT_BACKTRACE=enable=no "$bin/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/$target/" \
      "$work/$target/corpus" "Tests/Fuzz/corpus/$target" >"$work/$target.log" 2>&1; then
    echo "fuzz: $target: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$work/$target.log" | grep -o '[0-9]*$') inputs in ${seconds} s, no crash"
  else
    failed=1
    tail -40 "$work/$target.log" >&2
    for artifact in "$work/$target"/crash-* "$work/$target"/timeout-* "$work/$target"/oom-* "$work/$target"/leak-*; do
      [ -e "$artifact" ] && echo "FUZZ FAILURE: $target: crashing input $artifact (log $work/$target.log)" >&2
    done
  fi
done
exit "$failed"
