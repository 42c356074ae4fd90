import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Receivables ledger and credit in the store")
struct LedgerStoreTests {
    let defaults = CreditDefaults()
    let today = CivilDate(year: 2026, month: 11, day: 25)!

    func draft(
        _ id: String, _ kind: String = "shipment", _ amountText: String = "1000.00", amount: String? = nil, date: String = "2026-10-01",
        due: String? = nil
    ) -> LedgerEntryDraft {
        LedgerEntryDraft(
            externalID: id, kind: kind, documentNumber: "№ \(id)", documentDate: date, amount: amount ?? amountText, currency: "RUB", dueDate: due)
    }

    func record(
        _ store: Store, _ dealer: UUID, _ drafts: [LedgerEntryDraft], correcting: Bool = false
    ) async throws -> [LedgerWriteResult] {
        try await store.recordLedgerEntries(
            drafts.map { (DealerReference.id(dealer), $0) }, correcting: correcting, defaults: defaults, today: today,
            prefix: { drafts.count == 1 ? "" : "entries[\($0)]." }, by: testActor)
    }

    @Test(arguments: Backend.available)
    func resendingIsIdempotentAndACorrectionKeepsTheHistory(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(), by: testActor)
            let first = try await record(store, dealer.id, [draft("1C-0001", amount: "125 000,50", date: "01.10.2026")])
            #expect(first.map(\.outcome) == [.created])
            #expect(first[0].entry.dueDate?.iso == "2026-10-31", "document date + the default 30-day term")
            #expect(try await record(store, dealer.id, [draft("1C-0001", amount: "125000.50")]).map(\.outcome) == [.unchanged])
            await #expect(throws: DomainError.self) { _ = try await record(store, dealer.id, [draft("1C-0001", amount: "99.00")]) }
            let corrected = try await record(store, dealer.id, [draft("1C-0001", amount: "99.00")], correcting: true)
            #expect(corrected.map(\.outcome) == [.corrected])
            #expect(corrected[0].entry.version == 2)
            let versions = try await store.ledgerEntryVersions(dealerID: dealer.id, externalID: "1C-0001", page: PageRequest(limit: 500)).items
            #expect(versions.count == 2)
            let receivables = try await store.receivables(dealerID: dealer.id, defaults: defaults, today: today)
            #expect(receivables.position.balance == 9_900)
            #expect(receivables.position.overdue == 9_900, "due 31 October, unpaid on 25 November")
            #expect(receivables.position.maxDaysOverdue == 25)
        }
    }

    @Test(arguments: Backend.available)
    func aBatchIsAllOrNothingAndNamesEveryBadEntry(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(code: "B-1"), by: testActor)
            let items: [(dealer: DealerReference, draft: LedgerEntryDraft)] = [
                (.code("B-1"), draft("A1")),
                (.code("B-1"), draft("A2", "payment", "-5")),
                (.code("NOPE"), draft("A3")),
                (
                    .code("B-1"),
                    LedgerEntryDraft(
                        externalID: "A4", kind: "adjustment", documentNumber: "4", documentDate: "2026-10-01", amount: "10", currency: "USD")
                ),
                (.code("B-1"), draft("A1")),
            ]
            do {
                _ = try await store.recordLedgerEntries(
                    items, correcting: false, defaults: defaults, today: today, prefix: { "entries[\($0)]." }, by: testActor)
                Issue.record("an invalid batch was stored")
            } catch let error as ValidationError {
                let fields = Set(error.issues.map(\.field))
                #expect(
                    fields == [
                        "entries[1].amount", "entries[2].dealer_code", "entries[3].currency", "entries[3].reason", "entries[4].external_id",
                    ])
            }
            #expect(try await store.ledgerEntries(dealerID: dealer.id, page: PageRequest()).items.isEmpty, "nothing of the batch was stored")
            let good = try await store.recordLedgerEntries(
                [(.code("B-1"), draft("A1")), (.id(dealer.id), draft("A2", "payment", "400"))], correcting: false, defaults: defaults,
                today: today, prefix: { "entries[\($0)]." }, by: testActor)
            #expect(good.map(\.outcome) == [.created, .created])
            #expect(try await store.receivables(dealerID: dealer.id, defaults: defaults, today: today).position.balance == 60_000)
        }
    }

    @Test(arguments: Backend.available)
    func theProjectionEqualsTheSumOfEntriesOnRandomLedgers(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(), by: testActor)
            var generator = SystemRandomNumberGenerator()
            for batch in 0..<4 {
                let drafts = (0..<25).map { index in
                    let kind = ["shipment", "invoice", "payment", "return"].randomElement(using: &generator)!
                    let amount =
                        "\(Int.random(in: 1...900_000, using: &generator)).\(String(format: "%02d", Int.random(in: 0...99, using: &generator)))"
                    let day = String(format: "%02d", Int.random(in: 1...28, using: &generator))
                    return draft(
                        "R-\(batch)-\(index)", kind, amount, date: "2026-\(String(format: "%02d", Int.random(in: 1...11, using: &generator)))-\(day)")
                }
                _ = try await record(store, dealer.id, drafts)
                // Re-sending a batch changes nothing.
                #expect(try await record(store, dealer.id, drafts).allSatisfy { $0.outcome == .unchanged })
            }
            let sum = try await store.database.read { sql in
                try await sql.raw("SELECT CAST(SUM(effect_minor) AS BIGINT) AS total FROM ledger_entries WHERE dealer_id = \(bind: dealer.id)")
                    .first()!.decode(column: "total", as: Int64.self)
            }
            let projected = try await store.database.read { sql in
                try await sql.raw("SELECT balance_minor FROM dealer_balances WHERE dealer_id = \(bind: dealer.id)")
                    .first()!.decode(column: "balance_minor", as: Int64.self)
            }
            #expect(projected == sum)
            let view = try await store.receivables(dealerID: dealer.id, defaults: defaults, today: today)
            #expect(view.position.balance == sum)
            #expect(view.position.ageing.overdue == view.position.overdue)
        }
    }

    @Test(arguments: Backend.available)
    func policiesKeepTheirHistoryAndTheCreditCheckBlocksOverTheLimit(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createAccreditedDealer(.sample())
            await #expect(throws: ValidationError.self, "a reason is required") {
                _ = try await store.setCreditPolicy(
                    dealerID: dealer.id, CreditPolicyDraft(limit: "1000000"), defaults: defaults, today: today, by: testActor)
            }
            _ = try await store.setCreditPolicy(
                dealerID: dealer.id, CreditPolicyDraft(limit: "1000000", reason: "договор 12/2026"), defaults: defaults, today: today, by: testActor)
            let raised = try await store.setCreditPolicy(
                dealerID: dealer.id, CreditPolicyDraft(limit: "1500000", graceDays: 5, reason: "рост продаж"), defaults: defaults, today: today,
                by: testActor)
            #expect(raised.limit.decimalString == "1500000.00" && raised.graceDays == 5 && raised.paymentTermDays == 30)
            let history = try await store.creditPolicyHistory(dealerID: dealer.id, page: PageRequest(limit: 500)).items
            #expect(history.map(\.reason) == ["рост продаж", "договор 12/2026"])

            _ = try await record(store, dealer.id, [draft("S-1", amount: "1400000", date: "2026-11-20")])
            let fine = try await store.creditCheck(
                dealerID: dealer.id, amount: "10000", openOrders: nil, defaults: defaults, today: today, by: testActor)
            #expect(fine.decision == .warn && fine.reasons.map(\.code) == ["limit_warning"])
            let blocked = try await store.creditCheck(
                dealerID: dealer.id, amount: "200000", openOrders: "50000", defaults: defaults, today: today, by: testActor)
            #expect(blocked.decision == .block)
            #expect(blocked.exposure.decimalString == "1650000.00" && blocked.availableAfter?.decimalString == "-150000.00")
            let events = try await store.events(after: 0, types: [.creditShipmentBlocked], dealerID: dealer.id, limit: 10).items
            #expect(events.count == 1, "a block is an event; a warning is not")
            await #expect(throws: ValidationError.self) {
                _ = try await store.creditCheck(
                    dealerID: dealer.id, amount: "1.001", openOrders: nil, defaults: defaults, today: today, by: testActor)
            }
            await #expect(throws: ValidationError.self, "the ledger is in RUB") {
                _ = try await store.setCreditPolicy(
                    dealerID: dealer.id, CreditPolicyDraft(currency: "USD", reason: "валюта"), defaults: defaults, today: today, by: testActor)
            }
        }
    }
}

extension LedgerStoreTests {
    @Test(arguments: Backend.available)
    func alertsFireOncePerTransitionAndNeverWithoutAChange(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(), by: testActor)
            _ = try await store.setCreditPolicy(
                dealerID: dealer.id, CreditPolicyDraft(limit: "100000", graceDays: 3, minimumOverdue: "100", reason: "договор"),
                defaults: defaults, today: today, by: testActor)
            func alerts() async throws -> [String] {
                let types: Set<EventType> = [
                    .creditLimitWarning, .creditLimitBreached, .creditLimitRestored, .creditOverdue, .creditOverdueCleared,
                ]
                return try await store.events(after: 0, types: types, dealerID: dealer.id, limit: 100).items.map {
                    guard case .object(let data) = $0.event.data, case .string(let to) = data["to"] else { return $0.event.type.rawValue }
                    return "\($0.event.type.rawValue)→\(to)"
                }
            }
            let recent = today.adding(days: -1).iso
            _ = try await record(store, dealer.id, [draft("S1", "shipment", "50000", date: recent)])
            #expect(try await alerts().isEmpty, "50 % of the limit: no alert")
            _ = try await record(store, dealer.id, [draft("S2", "shipment", "35000", date: recent)])
            #expect(try await alerts() == ["credit.limit_warning→warning"])
            _ = try await record(store, dealer.id, [draft("S3", "shipment", "1000", date: recent)])
            #expect(try await alerts().count == 1, "still a warning: no second alert")
            _ = try await record(store, dealer.id, [draft("S4", "shipment", "20000", date: recent)])
            #expect(try await alerts().last == "credit.limit_breached→breached")
            _ = try await record(store, dealer.id, [draft("P1", "payment", "90000", date: recent)])
            #expect(try await alerts().last == "credit.limit_restored→ok")
            #expect(try await alerts().count == 3)

            // An old invoice falls first in line (FIFO by due date): 10,000 of it stays unpaid 10 days
            // past due, beyond the 3 grace days; the balance is over the limit again.
            _ = try await record(
                store, dealer.id, [draft("I1", "invoice", "100000", date: today.adding(days: -40).iso, due: today.adding(days: -10).iso)])
            #expect(try await alerts().suffix(2) == ["credit.limit_breached→breached", "credit.overdue→overdue"])
            _ = try await record(store, dealer.id, [draft("P2", "payment", "20000", date: recent)])
            #expect(try await alerts().suffix(2) == ["credit.limit_warning→warning", "credit.overdue_cleared→clear"])
            #expect(try await alerts().count == 7)
            // Re-sending a document changes nothing and alerts nothing.
            _ = try await record(store, dealer.id, [draft("P2", "payment", "20000", date: recent)])
            #expect(try await alerts().count == 7)
        }
    }
}

extension LedgerStoreTests {
    @Test(arguments: Backend.available)
    func theScanNoticesDebtFallingOverdueOnceAndAgreesWithFIFO(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(), by: testActor)
            _ = try await store.setCreditPolicy(
                dealerID: dealer.id, CreditPolicyDraft(limit: "100000", graceDays: 3, minimumOverdue: "100", reason: "договор"),
                defaults: defaults, today: today, by: testActor)
            _ = try await record(
                store, dealer.id, [draft("I1", "invoice", "500", date: today.adding(days: -5).iso, due: today.adding(days: 5).iso)])
            func overdueAlerts() async throws -> [EventType] {
                try await store.events(after: 0, types: [.creditOverdue, .creditOverdueCleared], dealerID: dealer.id, limit: 10).items
                    .map(\.event.type)
            }
            #expect(try await store.scanOverdue(today: today.adding(days: 5)).transitions == 0, "due today is not overdue")
            #expect(try await store.scanOverdue(today: today.adding(days: 8)).transitions == 0, "3 days late: within grace")
            #expect(try await overdueAlerts().isEmpty)
            let scanned = try await store.scanOverdue(today: today.adding(days: 9))
            #expect(scanned.dealers == 1 && scanned.transitions == 1)
            #expect(try await overdueAlerts() == [.creditOverdue])
            #expect(try await store.scanOverdue(today: today.adding(days: 9)).transitions == 0, "a second run changes nothing")
            _ = try await store.recordLedgerEntries(
                [(.id(dealer.id), draft("P1", "payment", "500", date: today.adding(days: 9).iso))], correcting: false, defaults: defaults,
                today: today.adding(days: 9), prefix: { _ in "" }, by: testActor)
            #expect(try await overdueAlerts() == [.creditOverdue, .creditOverdueCleared])
            #expect(try await store.scanOverdue(today: today.adding(days: 60)).transitions == 0)
        }
    }

    @Test(arguments: Backend.available)
    func theSetBasedScanMatchesTheReferenceAllocationOnRandomLedgers(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            var generator = SystemRandomNumberGenerator()
            var dealers: [UUID] = []
            for index in 0..<4 {
                let dealer = try await store.createDealer(.sample(code: "F-\(index)", taxID: KnownINN.organisations[index]), by: testActor)
                dealers.append(dealer.id)
                let drafts = (0..<30).map { number in
                    let kind = ["shipment", "invoice", "payment", "return"].randomElement(using: &generator)!
                    let date = today.adding(days: -Int.random(in: 0...120, using: &generator))
                    let due = kind == "payment" || kind == "return" ? nil : date.adding(days: Int.random(in: 0...45, using: &generator)).iso
                    return draft("F-\(index)-\(number)", kind, "\(Int.random(in: 1...90_000, using: &generator))", date: date.iso, due: due)
                }
                _ = try await record(store, dealer.id, drafts)
            }
            let later = today.adding(days: 20)
            _ = try await store.scanOverdue(today: later)
            for dealer in dealers {
                let reference = try await store.receivables(dealerID: dealer, defaults: defaults, today: later).position
                let scanned = try await store.database.read { sql in
                    try await sql.raw("SELECT overdue_minor, max_days_overdue FROM dealer_balances WHERE dealer_id = \(bind: dealer)").first()!
                }
                #expect(try scanned.decode(column: "overdue_minor", as: Int64.self) == reference.overdue)
                #expect(try scanned.decode(column: "max_days_overdue", as: Int.self) == reference.maxDaysOverdue)
            }
        }
    }
}

extension LedgerStoreTests {
    @Test(arguments: Backend.available)
    func aLastingBreachIsRemindedAtTheConfiguredInterval(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(), by: testActor)
            _ = try await store.setCreditPolicy(
                dealerID: dealer.id, CreditPolicyDraft(limit: "1000", reason: "договор"), defaults: defaults, today: today, by: testActor)
            _ = try await record(store, dealer.id, [draft("S1", "shipment", "5000", date: today.iso)])
            func breaches() async throws -> [JSONValue] {
                try await store.events(after: 0, types: [.creditLimitBreached], dealerID: dealer.id, limit: 10).items.map(\.event.data)
            }
            #expect(try await breaches().count == 1)
            clock.advance(by: 3000)
            #expect(try await store.scanOverdue(today: today, breachReminder: 3600).transitions == 0, "not yet an hour")
            #expect(try await store.scanOverdue(today: today).transitions == 0, "reminders off")
            clock.advance(by: 700)
            #expect(try await store.scanOverdue(today: today, breachReminder: 3600).transitions == 1)
            #expect(try await store.scanOverdue(today: today, breachReminder: 3600).transitions == 0, "the next one an hour later")
            let all = try await breaches()
            #expect(all.count == 2)
            guard case .object(let reminder) = all.last else { throw TestSetupError(description: "no data") }
            #expect(reminder["reminder"] == .bool(true) && reminder["balance"] == .string("5000.00"))
        }
    }
}

extension LedgerStoreTests {
    @Test(arguments: Backend.available)
    func theCreditCheckSeesOverdueDebtFromTheProjectionAndAfterDaysPass(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createAccreditedDealer(.sample())
            _ = try await store.setCreditPolicy(
                dealerID: dealer.id, CreditPolicyDraft(limit: "1000000", graceDays: 5, allowedOverdueDays: 10, reason: "договор"),
                defaults: defaults, today: today, by: testActor)
            // Due 16 days ago: 11 days beyond the grace period, 1 more than allowed.
            _ = try await record(
                store, dealer.id, [draft("I1", "invoice", "5000", date: today.adding(days: -30).iso, due: today.adding(days: -16).iso)])
            let check = try await store.creditCheck(
                dealerID: dealer.id, amount: "1", openOrders: nil, defaults: defaults, today: today, by: testActor)
            #expect(check.reasons.map(\.code) == ["overdue"])
            #expect(check.reasons.first?.message == "5000.00 RUB overdue, 11 days beyond the grace period (allowed 10)")
            // A day before, from the entries (the projection is of a later day): allowed.
            let earlier = try await store.creditCheck(
                dealerID: dealer.id, amount: "1", openOrders: nil, defaults: defaults, today: today.adding(days: -1), by: testActor)
            #expect(earlier.decision == .allow)
            // Days later, once the scan has moved the projection on, the same answer comes from it.
            _ = try await store.scanOverdue(today: today.adding(days: 3))
            let later = try await store.creditCheck(
                dealerID: dealer.id, amount: "1", openOrders: nil, defaults: defaults, today: today.adding(days: 3), by: testActor)
            #expect(later.reasons.first?.message == "5000.00 RUB overdue, 14 days beyond the grace period (allowed 10)")
        }
    }
}

extension LedgerStoreTests {
    /// After every write — appends, backdated documents, corrections — the projection a write leaves
    /// equals the reference FIFO over all of the dealer's entries: on PostgreSQL it is computed from
    /// the stored balance and only the newest debts, falling back to the whole ledger when those do
    /// not cover the balance (the dealer with forty small unpaid debts).
    @Test(arguments: Backend.available)
    func theProjectionAfterEachWriteMatchesTheReferenceAllocation(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            var generator = SystemRandomNumberGenerator()
            var dealers: [UUID] = []
            for index in 0..<3 {
                let dealer = try await store.createDealer(.sample(code: "P-\(index)", taxID: KnownINN.organisations[index]), by: testActor)
                dealers.append(dealer.id)
                _ = try await store.setCreditPolicy(
                    dealerID: dealer.id, CreditPolicyDraft(limit: "2000000", graceDays: 3, reason: "договор"), defaults: defaults,
                    today: today, by: testActor)
            }
            func check(_ step: String) async throws {
                for dealer in dealers {
                    let reference = try await store.receivables(dealerID: dealer, defaults: defaults, today: today).position
                    let figures = reference.figures(graceDays: 3)
                    let stored = try await store.database.read { sql in
                        try await sql.raw(
                            """
                            SELECT balance_minor, overdue_minor, max_days_overdue, oldest_overdue_due_date, overdue_beyond_grace_minor,
                                   days_beyond_grace, last_movement
                            FROM dealer_balances WHERE dealer_id = \(bind: dealer)
                            """
                        ).first()!
                    }
                    #expect(try stored.decode(column: "balance_minor", as: Int64.self) == reference.balance, "\(step)")
                    #expect(try stored.decode(column: "overdue_minor", as: Int64.self) == reference.overdue, "\(step)")
                    #expect(try stored.decode(column: "max_days_overdue", as: Int.self) == reference.maxDaysOverdue, "\(step)")
                    #expect(try stored.decode(column: "oldest_overdue_due_date", as: String?.self) == reference.oldestOverdueDueDate?.iso, "\(step)")
                    #expect(try stored.decode(column: "overdue_beyond_grace_minor", as: Int64.self) == figures.overdueBeyondGrace, "\(step)")
                    #expect(try stored.decode(column: "days_beyond_grace", as: Int.self) == figures.daysBeyondGrace, "\(step)")
                    #expect(try stored.decode(column: "last_movement", as: String?.self) == reference.lastMovement?.iso, "\(step)")
                }
            }
            // Forty small debts, never paid: more open debts than the newest read first.
            _ = try await record(
                store, dealers[0], (0..<40).map { draft("SMALL-\($0)", "shipment", "100", date: today.adding(days: -90 + $0).iso) })
            try await check("many open debts")
            for round in 0..<6 {
                for (index, dealer) in dealers.enumerated() {
                    let drafts = (0..<12).map { number in
                        let kind = ["shipment", "invoice", "payment", "return", "shipment"].randomElement(using: &generator)!
                        // Mostly recent, sometimes backdated far behind the newest debts.
                        let back =
                            Int.random(in: 0...10, using: &generator) == 0
                            ? Int.random(in: 100...300, using: &generator) : Int.random(in: 0...40, using: &generator)
                        let date = today.adding(days: -back)
                        return draft("P-\(index)-\(round)-\(number)", kind, "\(Int.random(in: 1...90_000, using: &generator))", date: date.iso)
                    }
                    _ = try await record(store, dealer, drafts)
                }
                try await check("round \(round)")
                // Correct one document of each dealer now and then.
                if round % 2 == 1 {
                    for (index, dealer) in dealers.enumerated() {
                        _ = try await record(
                            store, dealer,
                            [
                                draft(
                                    "P-\(index)-\(round)-0", "shipment", "\(Int.random(in: 1...90_000, using: &generator))",
                                    date: today.adding(days: -5).iso)
                            ],
                            correcting: true)
                    }
                    try await check("corrections in round \(round)")
                }
            }
        }
    }
}
