// swift-tools-version:6.1
// ClassroomFleet: classroomd (agent), classroom-collector (bureau server), classroomctl (CLI).
// The module split follows ../shared/ARCHITECTURE.md §3: a pure core, adapters at the edge, thin executables.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "ClassroomFleet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "classroomd", targets: ["classroomd"]),
        .executable(name: "classroom-collector", targets: ["classroom-collector"]),
        .executable(name: "classroomctl", targets: ["classroomctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
    ],
    targets: [
        // MARK: C libraries (one system library, one target)
        .systemLibrary(name: "CUdev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // The build's version, stamped into the binary by Deploy/debian/build-packages.
        .target(name: "CBuildStamp"),

        // MARK: Pure domain
        .target(
            name: "ClassroomCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "ClassroomWire", dependencies: ["ClassroomCore"], swiftSettings: swiftSettings),
        // The synthetic county, simulated evidence and draw simulation: demos, benchmarks and tests only.
        // Never a dependency of the agent (Tests/ClassroomSamplesTests/AgentFootprintTests.swift checks).
        .target(name: "ClassroomSamples", dependencies: ["ClassroomCore"], swiftSettings: swiftSettings),
        // Charts, labels and CSV shared by classroomctl's reports and the collector's console (not the agent).
        .target(name: "ClassroomReports", dependencies: ["ClassroomCore"], swiftSettings: swiftSettings),

        // The operator API's contract: openapi.yaml (the one copy; Deploy/openapi/collector-v1.yaml links to it),
        // its generated types and client (docs/openapi.md), and the document as a resource the collector serves.
        .target(
            name: "CollectorAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),

        // MARK: Adapters
        // sd_notify(3) for both daemons; the C library only (no Foundation, libcurl, udev or ALSA).
        .target(name: "SystemdNotify", swiftSettings: swiftSettings),
        .target(
            name: "LinuxHardware",
            dependencies: ["CUdev", "CALSA", "ClassroomCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ClassroomAgent",
            dependencies: [
                "ClassroomCore", "ClassroomWire", "LinuxHardware", "CSQLite", "CCurl", "CBuildStamp", "SystemdNotify",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ClassroomCollector",
            dependencies: [
                "ClassroomCore", "ClassroomWire", "ClassroomReports", "SystemdNotify", "CollectorAPI", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            // The console's templates and stylesheet, found at run time by ConsoleResources (see Console/README.md).
            exclude: ["Console/README.md"],
            resources: [.copy("Console/Resources")],
            swiftSettings: swiftSettings
        ),

        // MARK: Thin executables
        .executableTarget(
            name: "classroomd",
            dependencies: [
                "ClassroomAgent", "LinuxHardware", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "classroom-collector",
            dependencies: [
                "ClassroomCollector", "ClassroomSamples", "CBuildStamp", "SystemdNotify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ClassroomControl",
            dependencies: [
                "ClassroomCore", "ClassroomWire", "ClassroomReports", "ClassroomSamples", "CBuildStamp", "CollectorAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "classroomctl", dependencies: ["ClassroomControl"], swiftSettings: swiftSettings),

        // MARK: Fuzz targets (libFuzzer through scripts/fuzz.sh; the normal build replays inputs)
        .target(name: "FuzzDriver", path: "Tests/Fuzz/FuzzDriver", swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzRegistryCSV", dependencies: ["ClassroomCore", "FuzzDriver"], path: "Tests/Fuzz/FuzzRegistryCSV",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzTOML", dependencies: ["ClassroomCore", "FuzzDriver"], path: "Tests/Fuzz/FuzzTOML",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzWire", dependencies: ["ClassroomCore", "ClassroomWire", "FuzzDriver"], path: "Tests/Fuzz/FuzzWire",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzStatusRequest", dependencies: ["ClassroomCore", "FuzzDriver"], path: "Tests/Fuzz/FuzzStatusRequest",
            swiftSettings: swiftSettings),

        // MARK: Tests
        .testTarget(
            name: "ClassroomCoreTests", dependencies: ["ClassroomCore", "ClassroomSamples"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ClassroomSamplesTests", dependencies: ["ClassroomSamples", "ClassroomCore"], swiftSettings: swiftSettings),
        .testTarget(name: "ClassroomWireTests", dependencies: ["ClassroomWire"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SystemdNotifyTests", dependencies: ["SystemdNotify", "ClassroomTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ClassroomReportsTests", dependencies: ["ClassroomReports"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ClassroomAgentTests",
            dependencies: [
                "ClassroomAgent", "ClassroomTestSupport", "CSQLite", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "ClassroomTestSupport", path: "Tests/ClassroomTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "LinuxHardwareTests", dependencies: ["LinuxHardware", "ClassroomCore", "ClassroomTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ClassroomCollectorTests",
            dependencies: [
                "ClassroomCollector", "ClassroomReports", "ClassroomSamples", "ClassroomTestSupport", "CollectorAPI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ClassroomControlTests", dependencies: ["ClassroomControl", "ClassroomReports", "ClassroomTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
