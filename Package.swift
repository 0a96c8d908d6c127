// swift-tools-version:6.0
import PackageDescription

/// On x86_64 the matrix kernels need FMA to turn `SIMD16.addingProduct` into vfmadd instructions;
/// without it each fused multiply-add is a call to `fmaf` (about 100 times slower). Other
/// architectures (arm64 has FMA in its base set) build without the flag.
#if arch(x86_64)
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
#else
let fastMath: [SwiftSetting] = []
#endif

let package = Package(
    name: "flow-explorer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flow-explorer", targets: ["flow-explorer"]),
        .library(name: "FlowCore", targets: ["FlowCore"]),
        .library(name: "TerminalCanvas", targets: ["TerminalCanvas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        .target(name: "CKernels"),
        .target(name: "FlowCore", dependencies: ["CKernels"], swiftSettings: fastMath),
        .target(name: "TerminalCanvas"),
        .systemLibrary(
            name: "CNcurses", pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]),
        .target(name: "NcursesTerminal", dependencies: ["CNcurses", "TerminalCanvas"]),
        .target(name: "ExplorerApp", dependencies: ["FlowCore", "TerminalCanvas"], swiftSettings: fastMath),
        .executableTarget(
            name: "flow-explorer",
            dependencies: [
                "FlowCore",
                "TerminalCanvas",
                "ExplorerApp",
                "NcursesTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fastMath
        ),
        .executableTarget(
            name: "train-and-compare", dependencies: ["FlowCore"],
            path: "examples/train-and-compare", swiftSettings: fastMath),
        .executableTarget(
            name: "library-in-20-lines", dependencies: ["FlowCore"],
            path: "examples/library-in-20-lines", swiftSettings: fastMath),
        .executableTarget(
            name: "slide-figure", dependencies: ["FlowCore", "ExplorerApp", "TerminalCanvas"],
            path: "examples/slide-figure", swiftSettings: fastMath),
        .testTarget(name: "FlowCoreTests", dependencies: ["FlowCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TerminalCanvasTests", dependencies: ["TerminalCanvas"]),
        .testTarget(name: "CommandLineTests", dependencies: ["flow-explorer", "FlowCore", "ExplorerApp"], exclude: ["Fixtures", "Snapshots", "BadFiles"]),
        .testTarget(name: "ExplorerAppTests", dependencies: ["ExplorerApp", "FlowCore", "TerminalCanvas"]),
    ]
)
