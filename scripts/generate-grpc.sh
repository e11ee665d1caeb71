#!/usr/bin/env bash
# Generates the Swift messages and gRPC stubs of Armada's API into Sources/ArmadaGRPC/Generated.
# Run it after changing Proto/ or the pinned versions below; commit the output. Builds never run
# it (the plugins take about 10 minutes to build on 2 cores).
#
# Inputs:
#   - armada-client $ARMADA_CLIENT_VERSION from PyPI: the published API's descriptors (its *_pb2.py);
#   - Proto/armada_testsuite/extras.proto: what the wheel lacks (see the file);
#   - grpcio-tools $GRPCIO_TOOLS_VERSION from PyPI: protoc and the well-known types;
#   - protoc-gen-swift (swift-protobuf 1.39.0) and protoc-gen-grpc-swift-2 (grpc-swift-protobuf
#     2.4.1), built from scripts/grpc-codegen/plugins.
# Work files go to .build-codegen/ (kept between runs, so a second run skips the plugin build).
set -euo pipefail
cd "$(dirname "$0")/.."
ARMADA_CLIENT_VERSION=0.5.1
GRPCIO_TOOLS_VERSION=1.85.1
work=.build-codegen
out=Sources/ArmadaGRPC/Generated
mkdir -p "$work"

if [ ! -x "$work/venv/bin/python" ]; then python3 -m venv "$work/venv"; fi
"$work/venv/bin/pip" install -q "grpcio-tools==$GRPCIO_TOOLS_VERSION"
rm -rf "$work/wheel" && mkdir -p "$work/wheel"
"$work/venv/bin/pip" download -q --no-deps -d "$work/wheel" "armada-client==$ARMADA_CLIENT_VERSION"
"$work/venv/bin/python" -c "import glob, zipfile; zipfile.ZipFile(glob.glob('$work/wheel/*.whl')[0]).extractall('$work/wheel/unpacked')"

echo "building the protoc plugins (cold: about 10 minutes)"
(cd scripts/grpc-codegen/plugins && swift build -c release --scratch-path "../../../$work/plugins" --product protoc-gen-swift \
    && swift build -c release --scratch-path "../../../$work/plugins" --product protoc-gen-grpc-swift-2) > "$work/plugins.log" 2>&1 \
    || { tail -30 "$work/plugins.log"; exit 1; }
bin=$work/plugins/release

protoc=("$work/venv/bin/python" -m grpc_tools.protoc)
include=$("$work/venv/bin/python" -c "import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), '_proto'))")
"${protoc[@]}" -I Proto -I "$include" --include_imports --descriptor_set_out="$work/extras.pb" armada_testsuite/extras.proto
"$work/venv/bin/python" scripts/grpc-codegen/descriptors.py "$work/wheel/unpacked" "$work/extras.pb" "$work/api.pb" > "$work/files.txt"

# Swift for Armada's files, Kubernetes' and the extras; not for the well-known types (SwiftProtobuf
# has them) nor for the option-only files (google/api, gogoproto), which no message uses.
files=$(grep -E '^(armada/(submit|event|health|job)\.proto|k8s\.io/.*|armada_testsuite/.*)$' "$work/files.txt")
rm -rf "$out" && mkdir -p "$out"
"${protoc[@]}" --descriptor_set_in="$work/api.pb" \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" --swift_out="Visibility=Public,FileNaming=PathToUnderscores:$out" \
    --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
    --grpc-swift-2_out="Visibility=Public,FileNaming=PathToUnderscores,Client=true,Server=true:$out" \
    $files
"$work/venv/bin/python" scripts/grpc-codegen/shapes.py "$work/api.pb" Sources/ArmadaGRPCWire/K8sShapes.swift
# The gRPC plugin writes a file for every input; drop those of files without services.
grep -l "This file contained no services" "$out"/*.grpc.swift | xargs -r rm
echo "generated into $out:"
ls "$out" | sed 's/^/    /'
