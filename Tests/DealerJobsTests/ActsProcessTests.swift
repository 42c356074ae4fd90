import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The monthly run of reconciliation acts in a real dealerd process, killed with SIGKILL part way
/// through and started again: every dealer ends with exactly one act for the month, numbered
/// without a gap, announced once. The run is the real one — the default schedule (the 1st at 06:00)
/// caught up at start, as after a night dealerd was down — so nothing hangs on a tick's timing.
extension ProcessTests {
    @Suite("Reconciliation acts by a real process")
    struct ActsProcessTests {
        static let dealers = 1_200
        static let entriesPerDealer = 4

        @Test(arguments: Backend.available)
        func killedDuringTheMonthlyRunEveryDealerEndsWithExactlyOneAct(_ backend: Backend) async throws {
            let database = try await TestDatabase.create(backend)
            defer { database.remove() }
            let binary = try ReplicaProcess.binary()
            let zone = TimeZone(identifier: "Europe/Moscow")!
            try await database.withStore { (store: Store) async throws in
                // The latest 1st-of-the-month 06:00 tick; last month's run before it is long done.
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                var first = calendar.dateComponents([.year, .month], from: Date())
                first.day = 1
                first.hour = 6
                var tick = calendar.date(from: first)!
                if tick > Date() { tick = calendar.date(byAdding: .month, value: -1, to: tick)! }
                let lastMonth = PlanPeriod.month(of: CivilDate(tick, in: zone)).previous
                try await Self.seed(store, in: lastMonth)
                try await store.recordTicks(job: "reconciliation-acts", run: [], skip: [calendar.date(byAdding: .month, value: -1, to: tick)!])

                let group = ReplicaGroup(
                    binary: binary, url: database.url, heartbeatMs: 500, pollMs: 100, environment: ["DEALERD_JOBS_PROBE_ENABLED": "false"])
                defer { group.stopAll(signal: SIGKILL) }
                try group.launch(0)

                // Kill as soon as the first chunk of acts is committed and before the last one is.
                var madeAtKill = 0
                let killDeadline = Date().addingTimeInterval(60)
                while madeAtKill == 0 && Date() < killDeadline {
                    try await Task.sleep(for: .milliseconds(10))
                    madeAtKill = try await Self.acts(in: lastMonth, store).count
                }
                group.stop(0, signal: SIGKILL)
                try #require(madeAtKill > 0, "the run made no act within a minute")
                madeAtKill = try await Self.acts(in: lastMonth, store).count
                try #require(madeAtKill < Self.dealers, "killed part way through (\(madeAtKill) acts already made)")

                try group.launch(0)
                var finished: JobRun?
                let runDeadline = Date().addingTimeInterval(120)
                while finished == nil && Date() < runDeadline {
                    try await Task.sleep(for: .milliseconds(100))
                    finished = try await store.jobRuns(job: "reconciliation-acts", status: .succeeded, limit: 10, cursor: nil).items.first
                }
                group.stopAll(signal: SIGTERM)
                let run = try #require(finished, "the run was taken over and finished within two minutes")

                #expect(run.attempts >= 2, "the killed attempt was run again")
                #expect(Timestamp.format(run.tick) == Timestamp.format(tick))
                let acts = try await Self.acts(in: lastMonth, store)
                #expect(acts.count == Self.dealers, "one act per dealer")
                #expect(Set(acts.map(\.dealer)).count == Self.dealers, "no dealer twice")
                #expect(acts.allSatisfy { $0.version == 1 && $0.status == "generated" })
                let numbers = acts.map(\.number).sorted()
                let expected = (1...Self.dealers).map { "АС-\(lastMonth.description)-" + String(format: "%06d", $0) }
                #expect(numbers == expected, "numbered without a gap: a killed chunk rolled back its numbers too")
                let announced = try await Self.count("SELECT COUNT(*) AS n FROM events WHERE type = 'reconciliation.act_generated'", store)
                #expect(announced == Self.dealers, "one reconciliation.act_generated per act")
                print(
                    "acts SIGKILL test (\(backend)): killed with \(madeAtKill) of \(Self.dealers) acts made; after the restart \(acts.count), run attempts \(run.attempts)"
                )
            }
        }

        /// Accredited dealers, each with a few shipments and a payment in the month.
        static func seed(_ store: Store, in period: PlanPeriod) async throws {
            var items: [(dealer: DealerReference, draft: LedgerEntryDraft)] = []
            for index in 0..<dealers {
                let code = "KILL-\(index)"
                try await store.createAccreditedDealer(
                    DealerDraft.sample(code: code, name: "Дилер \(index)", taxID: KnownINN.organisations[index % 7]))
                for entry in 0..<entriesPerDealer {
                    let payment = entry == entriesPerDealer - 1
                    items.append(
                        (
                            DealerReference(code),
                            LedgerEntryDraft(
                                externalID: "\(code)-\(entry)", kind: payment ? "payment" : "shipment", documentNumber: "\(entry + 1)",
                                documentDate: period.firstDay.adding(days: entry * 5).iso, amount: payment ? "1000" : "\(1000 + entry).50")
                        ))
                }
            }
            let today = period.lastDay.adding(days: 1)
            for start in stride(from: 0, to: items.count, by: 1_000) {
                _ = try await store.recordLedgerEntries(
                    Array(items[start..<min(start + 1_000, items.count)]), correcting: false, defaults: CreditDefaults(), today: today,
                    prefix: { "entries[\($0)]" }, by: testActor)
            }
        }

        struct ActRow {
            var dealer: UUID
            var number: String
            var version: Int
            var status: String
        }

        static func acts(in period: PlanPeriod, _ store: Store) async throws -> [ActRow] {
            try await store.database.read { sql in
                try await sql.raw(
                    """
                    SELECT dealer_id, number, version, status FROM reconciliation_acts
                    WHERE period_from = \(bind: period.firstDay.iso) AND period_to = \(bind: period.lastDay.iso)
                    """
                ).all().map { row in
                    ActRow(
                        dealer: try row.decode(column: "dealer_id", as: UUID.self), number: try row.decode(column: "number", as: String.self),
                        version: try row.decode(column: "version", as: Int.self), status: try row.decode(column: "status", as: String.self))
                }
            }
        }

        static func count(_ query: String, _ store: Store) async throws -> Int {
            try await store.database.read { sql in
                try await sql.raw(SQLQueryString(query)).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
            }
        }
    }
}
