import Foundation

/// `armada-bench`: the performance benchmarks behind `make bench` (docs/performance.md).
///
///     armada-bench [--quick]            run every benchmark and print the table
///     armada-bench decode               the runner's per-event CPU cost, no network (for profiling)
///     armada-bench serve-stream [--quick]  build the stream job set, print how to watch it, serve until killed
///     armada-bench simulator [--quick]  only the simulator benchmark (for profiling)
///     armada-bench html [--quick]       only the HTML report in chromium
///     armada-bench process [--quick] [--rows]  only the process runtime's pod rate (root or user
///                                       namespaces); --rows: as lines for `make bench`, which runs it
///                                       in a process of its own
///     armada-bench watch URL QUEUE SET  (internal) the runner's watch loop in its own process
@main
enum BenchMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            if arguments.first == "decode" {
                try DecodeBench.run()
            } else if arguments.first == "serve-stream" {
                try await Benchmarks(scale: arguments.contains("--quick") ? 0.1 : 1).serveStream()
            } else if arguments.first == "simulator" {
                print(try await Benchmarks(scale: arguments.contains("--quick") ? 0.1 : 1).simulatorOnly().render())
            } else if arguments.first == "html" {
                print(try await Benchmarks(scale: arguments.contains("--quick") ? 0.1 : 1).htmlOnly().render())
            } else if arguments.first == "process" {
                var table = BenchTable()
                try await Benchmarks(scale: arguments.contains("--quick") ? 0.1 : 1).processRuntime(&table)
                print(arguments.contains("--rows") ? table.lines : table.render(), terminator: arguments.contains("--rows") ? "" : "\n")
            } else if arguments.first == "watch" {
                try await WatchChild.run(Array(arguments.dropFirst()))
            } else {
                let quick = arguments.contains("--quick")
                let table = try await Benchmarks(scale: quick ? 0.1 : 1).run()
                print(table.render())
                exit(table.allTargetsMet ? 0 : 1)
            }
        } catch {
            FileHandle.standardError.write(Data("armada-bench: \(error)\n".utf8))
            exit(2)
        }
    }
}

/// Peak and current resident set size of this process, from /proc/self/status.
enum Memory {
    static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.split(separator: " ").dropFirst().first { Int($0) != nil }
            return (digits.flatMap { Int($0) } ?? 0) * 1024
        }
        return 0
    }

    static var peak: Int { field("VmHWM") }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
