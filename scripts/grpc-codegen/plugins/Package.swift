// swift-tools-version:6.0
// Builds the two protoc plugins scripts/generate-grpc.sh runs (about 10 minutes cold on 2 cores).
// Not part of the main package: generated code is committed, never produced during a build.
import PackageDescription

let package = Package(
    name: "grpc-codegen-plugins",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
    ],
    targets: [
        // Built with `swift build -c release --product protoc-gen-swift` (and protoc-gen-grpc-swift-2).
        .target(name: "Placeholder"),
    ]
)
