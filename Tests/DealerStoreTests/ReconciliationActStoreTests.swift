import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

/// Acts made by the store from random ledgers, checked against the ledger itself by SQL, on both
/// databases: the arithmetic, the carry from month to month, idempotent re-runs and late entries.
@Suite("Reconciliation acts in the store")
struct ReconciliationActStoreTests {
    static let months = ["2026-08", "2026-09", "2026-10"].map { PlanPeriod(parsing: $0)! }
    static let settings = ActSettings(company: ActParty(name: "ООО «Производитель»", inn: "7707083893", kpp: "773601001"))

    @Test(arguments: Backend.available)
    func actsOfRandomLedgersAgreeWithTheLedgerAndCarryFromMonthToMonth(_ backend: Backend) async throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        try await withTestStore(backend) { (store: Store) async throws in
            var random = SeededGenerator(seed: seed)
            // Eight dealers; each gets 0–20 documents of random kinds and amounts across August to
            // October (so some have a balance and no movement in a month, one has nothing at all).
            var items: [(dealer: DealerReference, draft: LedgerEntryDraft)] = []
            for index in 0..<8 {
                try await store.createAccreditedDealer(
                    DealerDraft.sample(code: "R-\(index)", name: "Дилер R-\(index)", taxID: KnownINN.organisations[index % 7]))
                if index == 0 {
                    // R-0 owes from August on, so it has an act every month for the late entry to replace.
                    items.append(
                        (
                            DealerReference("R-0"),
                            LedgerEntryDraft(
                                externalID: "R-0-first", kind: "shipment", documentNumber: "F-1", documentDate: "2026-08-01", amount: "5000000.01")
                        ))
                }
                let count = index == 7 ? 0 : Int.random(in: 0...20, using: &random)
                for entry in 0..<count {
                    let kind = ["shipment", "shipment", "payment", "return", "adjustment"].randomElement(using: &random)!
                    let day = Self.months[0].firstDay.adding(days: Int.random(in: 0...91, using: &random))
                    let amount = "\(Int.random(in: 1...9_999_999, using: &random)).\(Int.random(in: 10...99, using: &random))"
                    items.append(
                        (
                            DealerReference("R-\(index)"),
                            LedgerEntryDraft(
                                externalID: "R-\(index)-\(entry)", kind: kind, documentNumber: "\(entry + 1)", documentDate: day.iso, amount: amount,
                                reason: kind == "adjustment" ? "корректировка по акту" : nil)
                        ))
                }
            }
            if !items.isEmpty { try await Self.record(items, store) }

            var made = 0
            for month in Self.months {
                made += try await store.generateActs(from: month.firstDay, to: month.lastDay, reason: .scheduled, settings: Self.settings).created
            }
            try await Self.checkAgainstTheLedger(store, seed: seed)
            #expect(made == (try await Self.currentActs(store).count))

            // A second run of every month makes nothing.
            for month in Self.months {
                let again = try await store.generateActs(from: month.firstDay, to: month.lastDay, reason: .scheduled, settings: Self.settings)
                #expect(again.created == 0 && again.superseded == 0, "seed \(seed): \(month) made \(again.created) on a re-run")
            }

            // A late entry in September outdates that dealer's September and October acts (its lines, then
            // its opening balance): one new version each, nothing else.
            let before = try await Self.currentActs(store)
            _ = try await Self.record(
                [
                    (
                        DealerReference("R-0"),
                        LedgerEntryDraft(
                            externalID: "LATE", kind: "shipment", documentNumber: "L-1", documentDate: "2026-09-20", amount: "1234.56")
                    )
                ], store)
            var created: [String: Int] = [:]
            for month in Self.months {
                let result = try await store.generateActs(from: month.firstDay, to: month.lastDay, reason: .scheduled, settings: Self.settings)
                #expect(result.created == result.superseded, "seed \(seed): only new versions")
                created[month.description] = result.created
            }
            #expect(created == ["2026-08": 0, "2026-09": 1, "2026-10": 1], "seed \(seed)")
            let after = try await Self.currentActs(store)
            #expect(after.count == before.count, "still one current act per dealer and month")
            let replaced = after.filter { $0.version == 2 }
            #expect(replaced.count == 2 && replaced.allSatisfy { $0.statement.dealer.name == "ООО «Дилер R-0»" && $0.previousID != nil })
            try await Self.checkAgainstTheLedger(store, seed: seed)
        }
    }

    /// Every current act: opening + debits − credits = closing; opening and turnovers equal SQL sums over
    /// the ledger; a month's closing is the next month's opening.
    static func checkAgainstTheLedger(_ store: Store, seed: UInt64) async throws {
        let acts = try await currentActs(store)
        for act in acts {
            let statement = act.statement
            #expect(statement.openingMinor + statement.debitTurnoverMinor - statement.creditTurnoverMinor == statement.closingMinor, "seed \(seed)")
            let sums = try await store.database.read { sql in
                let row = try await sql.raw(
                    """
                    SELECT CAST(COALESCE(SUM(CASE WHEN document_date < \(bind: statement.from.iso) THEN effect_minor ELSE 0 END), 0) AS BIGINT) AS opening,
                           CAST(COALESCE(SUM(CASE WHEN document_date >= \(bind: statement.from.iso) AND effect_minor > 0 THEN effect_minor ELSE 0 END), 0) AS BIGINT) AS debit,
                           CAST(COALESCE(SUM(CASE WHEN document_date >= \(bind: statement.from.iso) AND effect_minor < 0 THEN -effect_minor ELSE 0 END), 0) AS BIGINT) AS credit
                    FROM ledger_entries WHERE dealer_id = \(bind: act.dealerID) AND document_date <= \(bind: statement.to.iso)
                    """
                ).first()!
                return [
                    try row.decode(column: "opening", as: Int64.self), try row.decode(column: "debit", as: Int64.self),
                    try row.decode(column: "credit", as: Int64.self),
                ]
            }
            #expect([statement.openingMinor, statement.debitTurnoverMinor, statement.creditTurnoverMinor] == sums, "seed \(seed): \(act.number)")
        }
        for (_, dealerActs) in Dictionary(grouping: acts, by: \.dealerID) {
            let ordered = dealerActs.sorted { $0.statement.from < $1.statement.from }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) where later.statement.from == earlier.statement.to.adding(days: 1) {
                #expect(earlier.statement.closingMinor == later.statement.openingMinor, "seed \(seed): \(earlier.number) → \(later.number)")
            }
        }
        // A dealer with movement or a balance in a month has its act; the dealer with nothing has none.
        #expect(!acts.contains { $0.statement.dealer.name == "ООО «Дилер R-7»" })
    }

    static func currentActs(_ store: Store) async throws -> [ReconciliationAct] {
        var all: [ReconciliationAct] = []
        var query = ActQuery(limit: 7)
        repeat {
            let page = try await store.acts(query)
            all += page.items
            query.cursor = page.nextCursor
        } while query.cursor != nil
        #expect(Set(all.map(\.id)).count == all.count, "pages neither overlap nor repeat")
        return all.filter { $0.status != .outdated }
    }

    @discardableResult
    static func record(_ items: [(dealer: DealerReference, draft: LedgerEntryDraft)], _ store: Store) async throws -> [LedgerWriteResult] {
        try await store.recordLedgerEntries(
            items, correcting: false, defaults: CreditDefaults(), today: CivilDate(parsing: "2026-11-05")!, prefix: { "entries[\($0)]." },
            by: testActor)
    }
}

/// SplitMix64: a reproducible random sequence, so a failing seed can be run again.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
