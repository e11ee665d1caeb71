import TestSpec
import Testing

@Suite struct TestFilterTests {
    let names = ["basic-batch", "basic-cancel", "retries-single-pod", "retries-gang", "gang-basic", "ingress"]

    func kept(_ filter: TestFilter) -> [String] { filter.apply(names) { $0 }.kept }

    @Test func runAndSkipMatchNamesAsGoRegexps() throws {
        #expect(kept(try TestFilter(run: "retries")) == ["retries-single-pod", "retries-gang"])
        #expect(kept(try TestFilter(run: "^basic-|ingress$")) == ["basic-batch", "basic-cancel", "ingress"])
        #expect(kept(try TestFilter(skip: "gang")) == ["basic-batch", "basic-cancel", "retries-single-pod", "ingress"])
        #expect(kept(try TestFilter(run: "retries", skip: "gang")) == ["retries-single-pod"])
        #expect(kept(try TestFilter(run: "(?i)BASIC")) == ["basic-batch", "basic-cancel", "gang-basic"])
        let selection = try TestFilter(run: "retries", skip: "gang").apply(names) { $0 }
        #expect((selection.notRun, selection.skipped, selection.otherShards) == (4, 1, 0))
        #expect(try TestFilter().apply(names) { $0 }.kept == names)
        #expect(!(try TestFilter()).isActive)
    }

    @Test func badValuesAreRefusedWithWhatToWrite() {
        #expect(throws: TestFilterError.self) { try TestFilter(run: "(?=x)") }
        do {
            _ = try TestFilter(skip: "a**")
            Issue.record("a** compiled")
        } catch {
            #expect(error.description.hasPrefix("--skip \"a**\" is not a Go regular expression: invalid nested repetition operator"), "\(error)")
        }
        for (text, words) in [("0/3", "from 1 to 3"), ("4/3", "from 1 to 3"), ("1/0", "from 1 to 10000"), ("1/10001", "from 1 to 10000"),
                              ("a/b", "write INDEX/COUNT"), ("1/3/4", "write INDEX/COUNT"), ("-1/3", "write INDEX/COUNT"), (" 1/3", "write INDEX/COUNT"),
                              ("", "write INDEX/COUNT"), ("99999999999999999999/3", "write INDEX/COUNT"), ("+1/3", "write INDEX/COUNT")] {
            do {
                _ = try TestShard(parsing: text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.description.contains(words), "\(text): \(error)")
            }
        }
        #expect((try? TestShard(parsing: "2/3"))?.description == "2/3")
    }

    /// Every test is in exactly one shard, and adding tests moves none of the others.
    @Test func shardsPartitionTheTestsAndStayPutWhenTestsAreAdded() throws {
        var rng = SystemRandomNumberGenerator()
        let many = (0..<500).map { i in "test-\(i)-\(UInt32.random(in: 0...UInt32.max, using: &rng))" }
        for count in [1, 2, 3, 7] {
            let shards = try (1...count).map { try TestFilter(shard: "\($0)/\(count)") }
            let parts = shards.map { $0.apply(many) { $0 }.kept }
            #expect(parts.flatMap { $0 }.sorted() == many.sorted())
            #expect(Set(parts.flatMap { $0 }).count == many.count)
            if count == 3 { #expect(parts.allSatisfy { $0.count > 100 }, "\(parts.map(\.count))") } // a spread, not one bucket
            let grown = many + (0..<100).map { "added-\($0)" }
            let grownParts = shards.map { $0.apply(grown) { $0 }.kept }
            for (before, after) in zip(parts, grownParts) { #expect(Set(before).isSubset(of: Set(after))) }
        }
        // The split is the name's, not the order's or the process's.
        #expect(TestShard.slot(of: "retries-single-pod", count: 3) == TestShard.slot(of: "retries-single-pod", count: 3))
        #expect(TestShard.slot(of: "", count: 5) == Int(0xcbf2_9ce4_8422_2325 % UInt64(5)))
    }

    @Test func aFilterThatLeavesNothingIsAProblemButAnEmptyShardIsNot() throws {
        let none = try TestFilter(run: "nothing-matches")
        #expect(none.problem(none.apply(names) { $0 }, total: names.count)
            == "--run \"nothing-matches\" leaves none of the 6 test(s) to run (they match test names, as listed by `testsuite list`)")
        let both = try TestFilter(run: "basic", skip: ".")
        #expect(both.problem(both.apply(names) { $0 }, total: names.count)?.hasPrefix("--run \"basic\" and --skip \".\" leave none") == true)
        let shard = try TestFilter(shard: "1/1000")
        let selection = shard.apply(["one"]) { $0 }
        if selection.kept.isEmpty { #expect(shard.problem(selection, total: 1) == nil) }
        let run = try TestFilter(run: "retries", shard: "1/1")
        #expect(run.summary(run.apply(names) { $0 }, total: names.count)
            == "selected 2 of 6 test(s) (--run \"retries\": 4 not matched; shard 1/1: 0 in other shards)")
        #expect(try TestFilter().summary(TestFilter().apply(names) { $0 }, total: 6) == nil)
    }
}
