#!/usr/bin/env bash
# The release build of classroomd as it ships (docs/agent.md, "Memory"): static Swift runtime, linked
# with lld so that
#   - relative relocations are packed (-z pack-relative-relocs, DT_RELR; glibc ≥ 2.36) instead of a
#     1.2 MB .rela.dyn the loader reads and writes through at every start;
#   - only the symbols the C libraries need are exported (the static-stdlib link otherwise exports
#     all 13,000 symbols of our modules, and every symbol lookup of libcurl's 30 libraries walks them);
#   - the functions the running daemon executes are laid out together (Deploy/classroomd.order, made by
#     scripts/bench/classroomd-order.sh), so they share pages instead of faulting in most of .text; every
#     Swift function gets its own section (-function-sections) so that lld can move it.
# Its own scratch path: the flags differ from a plain release build (which would rebuild everything).
# Prints the path of the binary.
#   bash scripts/build-agent-release.sh [--scratch-path DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-agent-release
[ "${1:-}" = --scratch-path ] && scratch=$2
flags=(
  -c release --product classroomd --scratch-path "$scratch" --static-swift-stdlib
  -Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections
  -Xlinker -z -Xlinker pack-relative-relocs
  -Xlinker --no-export-dynamic
  -Xlinker "--symbol-ordering-file=$PWD/Deploy/classroomd.order" -Xlinker --no-warn-symbol-ordering
)
swift build "${flags[@]}" >&2
echo "$(swift build -c release --scratch-path "$scratch" --show-bin-path)/classroomd"
