// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "armada-testsuite",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "testsuite", targets: ["testsuite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already built for Hummingbird; the client reads event streams on it (see NIOStreamTransport).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        // gRPC (issue #16): Armada's primary API, in the runner and in the simulator.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Already built for gRPC's TLS (swift-certificates): JWT signatures in the simulator (RSA,
        // ECDSA) and PKCE's SHA-256 in the client (issue #17).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Already built for gRPC's TLS: the simulator's small Kubernetes API serves HTTPS with a
        // certificate it makes at start (issue #18).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // Wire types of Armada's REST API and the value types they are built from. No I/O.
        .target(name: "ArmadaAPI"),
        // Armada's gRPC messages and service stubs, generated from the published API definition by
        // scripts/generate-grpc.sh and committed (never generated during a build). A module of its
        // own so its 45 000 lines compile once.
        .target(name: "ArmadaGRPC", dependencies: [
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // Armada's REST wire types ⇄ its gRPC messages (hand-written, plus the generated K8sShapes
        // table), shared by the gRPC client and the simulator's gRPC server. Pure.
        .target(name: "ArmadaGRPCWire", dependencies: [
            "ArmadaAPI", "ArmadaGRPC", "RetryEngine",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // HTTP transport, event stream, watcher, auth and config contexts. Knows no test cases.
        .target(name: "ArmadaClient", dependencies: [
            "ArmadaAPI", "RetryEngine", "ArmadaGRPC", "ArmadaGRPCWire",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // POSIX shims (Linux): posix_spawn with pidfd/epoll reaping for the process runtime, and the
        // signal handler that feeds the interrupt monitor.
        .target(name: "CShims"),
        // The embedded Armada simulator: REST gateway, scheduler/executor model, pod runtimes, event log.
        .target(name: "ArmadaSim", dependencies: [
            "ArmadaAPI", "RetryEngine", "CShims", "ArmadaGRPC", "ArmadaGRPCWire",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ], resources: [.embedInCode("images.yaml")]),
        // Go's regexp (RE2) syntax and semantics: the patterns Armada and upstream test cases use. Pure.
        .target(name: "GoRegex"),
        // Retry-policy model, validation and evaluation. Pure.
        .target(name: "RetryEngine", dependencies: ["ArmadaAPI", "GoRegex"]),
        // Test-case model, YAML loading, validation with source locations, discovery.
        .target(name: "TestSpec", dependencies: [
            "ArmadaAPI", "RetryEngine", "GoRegex",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Orchestration of test cases: expectation matching, actions, cleanup.
        .target(name: "Runner", dependencies: ["ArmadaAPI", "ArmadaClient", "TestSpec", "RetryEngine", "CShims"]),
        // Console rendering of validation results and test listings.
        .target(name: "Reporting", dependencies: ["TestSpec", "RetryEngine", "ArmadaAPI", "Runner"]),
        .executableTarget(name: "testsuite", dependencies: [
            "TestSpec", "Reporting", "ArmadaSim", "Runner", "ArmadaClient",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "armada-bench", dependencies: ["ArmadaSim", "ArmadaClient", "ArmadaAPI", "Runner", "TestSpec", "RetryEngine",
                                                               "TestFixtures"]),
        // The parsers that take outside input, as functions of raw bytes for fuzzing (`make fuzz`).
        .target(name: "FuzzHarness", dependencies: ["ArmadaAPI", "ArmadaClient", "ArmadaSim", "RetryEngine", "TestSpec", "Runner", "Reporting",
                                                    "ArmadaGRPC", "ArmadaGRPCWire", .product(name: "NIOCore", package: "swift-nio"),
                                                    .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // libFuzzer driver (built with -DFUZZING by `make fuzz`) or, otherwise, a replayer of inputs.
        .executableTarget(name: "armada-fuzz", dependencies: ["FuzzHarness"]),
        // Test-case YAML shared by the test targets and the benchmarks.
        .target(name: "TestFixtures", path: "Tests/TestFixtures"),
        .testTarget(name: "ArmadaAPITests", dependencies: ["ArmadaAPI"]),
        .testTarget(name: "RetryEngineTests", dependencies: ["RetryEngine"]),
        .testTarget(name: "GoRegexTests", dependencies: ["GoRegex"]),
        .testTarget(name: "ArmadaGRPCWireTests", dependencies: ["ArmadaGRPCWire", "ArmadaGRPC", "ArmadaAPI", "TestSpec"]),
        .testTarget(name: "CLITests", dependencies: ["testsuite", "TestFixtures", "ArmadaSim", "ArmadaClient", "ArmadaAPI"]),
        .testTarget(name: "RunnerTests", dependencies: ["Runner", "TestFixtures", "TestSpec", "ArmadaAPI", "ArmadaSim", "ArmadaClient"]),
        .testTarget(name: "ArmadaSimTests", dependencies: ["ArmadaSim", "ArmadaClient", "RetryEngine", "FuzzHarness", "TestFixtures", "ArmadaGRPC",
                                                       .product(name: "GRPCCore", package: "grpc-swift-2"),
                                                       .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                                                       .product(name: "Crypto", package: "swift-crypto"),
                                                       .product(name: "_CryptoExtras", package: "swift-crypto")]),
        .testTarget(name: "ArmadaClientTests", dependencies: [
            "ArmadaClient",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Runner", "TestSpec", "ArmadaClient", "ArmadaAPI", "TestFixtures"],
                    exclude: ["Resources"]),
        .testTarget(name: "TestSpecTests", dependencies: ["TestSpec", "TestFixtures", "Reporting", "Runner"],
                    resources: [.copy("Fixtures")]),
    ]
)
