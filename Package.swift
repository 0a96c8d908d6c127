// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "flow-explorer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flow-explorer", targets: ["flow-explorer"]),
        .library(name: "FlowCore", targets: ["FlowCore"]),
        .library(name: "TerminalCanvas", targets: ["TerminalCanvas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CKernels"),
        .target(name: "FlowCore", dependencies: ["CKernels"]),
        .target(name: "TerminalCanvas"),
        // The headers come from the system include path (libncurses-dev on Debian/Ubuntu, the SDK on
        // macOS) and the defines pkg-config would give are in the shim (SwiftPM refuses -D flags from
        // pkg-config with a warning). The wide-character library is ncursesw on Linux and the SDK's
        // ncurses on macOS, which has no ncursesw and is built with wide characters.
        .systemLibrary(name: "CNcurses"),
        .target(
            name: "NcursesTerminal", dependencies: ["CNcurses", "TerminalCanvas"],
            linkerSettings: [
                .linkedLibrary("ncursesw", .when(platforms: [.linux])),
                .linkedLibrary("ncurses", .when(platforms: [.macOS])),
            ]),
        .target(name: "ExplorerApp", dependencies: ["FlowCore", "TerminalCanvas"]),
        .executableTarget(
            name: "flow-explorer",
            dependencies: [
                "FlowCore",
                "TerminalCanvas",
                "ExplorerApp",
                "NcursesTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "train-and-compare", dependencies: ["FlowCore"],
            path: "examples/train-and-compare"),
        .executableTarget(
            name: "library-in-20-lines", dependencies: ["FlowCore"],
            path: "examples/library-in-20-lines"),
        .executableTarget(
            name: "slide-figure", dependencies: ["FlowCore", "ExplorerApp", "TerminalCanvas"],
            path: "examples/slide-figure"),
        .testTarget(name: "FlowCoreTests", dependencies: ["FlowCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TerminalCanvasTests", dependencies: ["TerminalCanvas"]),
        .testTarget(
            name: "CommandLineTests",
            dependencies: ["flow-explorer", "train-and-compare", "library-in-20-lines", "slide-figure", "FlowCore", "ExplorerApp"], exclude: ["Fixtures", "Snapshots", "BadFiles"]),
        .testTarget(name: "ExplorerAppTests", dependencies: ["ExplorerApp", "FlowCore", "TerminalCanvas"]),
    ]
)
