"""Builds the FileDescriptorSet the Swift gRPC code is generated from.

Inputs (all pinned by scripts/generate-grpc.sh):
  - the official Python client wheel (armada-client on PyPI): its *_pb2.py modules carry every
    descriptor of Armada's API, Kubernetes' included, as serialized FileDescriptorProtos;
  - Proto/armada_testsuite/extras.proto, compiled by grpc_tools' protoc: what the wheel lacks
    (PR #4804's retry-rule matchers, the api.Node service);
  - the well-known types from the protobuf runtime (google/protobuf/*.proto).

The one change to a published file: api.RetryRule gets back the fields its merged form reserves
(2 on_conditions, 3 on_exit_codes, 4 on_termination_message_pattern), typed from extras.proto, and
submit.proto imports extras.proto for them.

Usage: python descriptors.py <unpacked wheel dir> <extras descriptor set> <output set>
"""
import glob
import importlib
import os
import sys

from google.protobuf import descriptor_pb2

EXTRAS = "armada_testsuite/extras.proto"


def wheel_files(root):
    sys.path.insert(0, root)
    files = {}
    for path in sorted(glob.glob(os.path.join(root, "armada_client", "**", "*_pb2.py"), recursive=True)):
        module = importlib.import_module(os.path.relpath(path, root)[:-3].replace(os.sep, "."))
        fd = module.DESCRIPTOR
        todo = [fd]
        while todo:  # the file and everything it imports (well-known types included)
            f = todo.pop()
            if f.name in files:
                continue
            proto = descriptor_pb2.FileDescriptorProto()
            proto.ParseFromString(f.serialized_pb)
            files[f.name] = proto
            todo.extend(f.dependencies)
    return files


def restore_retry_rule(submit):
    rule = next(m for m in submit.message_type if m.name == "RetryRule")
    del rule.reserved_range[:]
    del rule.reserved_name[:]
    F = descriptor_pb2.FieldDescriptorProto
    for name, number, label, kind, type_name, json in [
        ("on_conditions", 2, F.LABEL_REPEATED, F.TYPE_STRING, None, "onConditions"),
        ("on_exit_codes", 3, F.LABEL_OPTIONAL, F.TYPE_MESSAGE, ".api.RetryExitCodeMatcher", "onExitCodes"),
        ("on_termination_message_pattern", 4, F.LABEL_OPTIONAL, F.TYPE_STRING, None, "onTerminationMessagePattern"),
    ]:
        if any(f.number == number for f in rule.field):
            raise SystemExit(f"api.RetryRule already has field {number}: the wheel changed, review the patch")
        field = rule.field.add(name=name, number=number, label=label, type=kind, json_name=json)
        if type_name:
            field.type_name = type_name
    rule.field.sort(key=lambda f: f.number)
    submit.dependency.append(EXTRAS)


def main(root, extras_set, out):
    files = wheel_files(root)
    restore_retry_rule(files["armada/submit.proto"])
    extras = descriptor_pb2.FileDescriptorSet()
    with open(extras_set, "rb") as f:
        extras.ParseFromString(f.read())
    for proto in extras.file:
        files.setdefault(proto.name, proto)
    # Dependencies before dependants, as protoc expects in --descriptor_set_in.
    ordered, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for dep in files[name].dependency:
            visit(dep)
        ordered.append(files[name])

    for name in sorted(files):
        visit(name)
    result = descriptor_pb2.FileDescriptorSet(file=ordered)
    with open(out, "wb") as f:
        f.write(result.SerializeToString())
    print("\n".join(p.name for p in ordered))


if __name__ == "__main__":
    main(*sys.argv[1:4])
