import DealerCore
import Foundation
import Testing

/// The dunning rule and promises to pay, as a credit controller would check them on paper.
@Suite("Dunning levels and promises to pay")
struct DunningTests {
    static let dealer = UUID()
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let levels = [-3, 0, 3, 10, 30]

    static func day(_ text: String) throws -> CivilDate { try #require(CivilDate(parsing: text)) }

    static func entry(_ id: String, _ kind: LedgerEntryKind, _ date: String, _ rubles: Int64, due: String? = nil) throws -> LedgerEntry {
        LedgerEntry(
            id: UUID(), dealerID: dealer, externalID: id, kind: kind, documentNumber: id, documentDate: try day(date),
            amount: Money(minorUnits: rubles * 100, currency: .rub), dueDate: try due.map(day), createdAt: now, updatedAt: now)
    }

    static func notice(
        _ entries: [LedgerEntry], on date: String, sent: [String: Set<Int>] = [:], paused: String? = nil
    ) throws
        -> DunningNotice?
    {
        Dunning.notice(
            dealerID: dealer, position: ReceivablesPosition.compute(entries, asOf: try day(date)), currency: .rub, levels: levels, sent: sent,
            pausedUntil: try paused.map(day))
    }

    @Test func aDocumentFarFromItsDueDateCallsForNothingAndThreeDaysBeforeForTheFirstLevel() throws {
        let ledger = [try Self.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-11-05")]
        #expect(try Self.notice(ledger, on: "2026-11-01") == nil)
        let notice = try #require(try Self.notice(ledger, on: "2026-11-02"))
        #expect(notice.level == -3 && notice.stage == .beforeDue && notice.listedOpen == 30_000_000)
        #expect(notice.documents.map(\.daysPastDue) == [-3])
        #expect(notice.settles.map(\.level) == [-3])
    }

    @Test func aSentLevelIsNotSentAgainAndTheNextOneCountsFromTheDueDate() throws {
        let ledger = [try Self.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-11-05")]
        let key = Dunning.key("РН-1", try Self.day("2026-11-05"))
        #expect(try Self.notice(ledger, on: "2026-11-03", sent: [key: [-3]]) == nil)
        let due = try #require(try Self.notice(ledger, on: "2026-11-05", sent: [key: [-3]]))
        #expect(due.level == 0 && due.stage == .dueToday)
        let late = try #require(try Self.notice(ledger, on: "2026-11-08", sent: [key: [-3, 0]]))
        #expect(late.level == 3 && late.stage == .overdue && late.documents.first?.daysPastDue == 3)
    }

    @Test func aRunMissedForWeeksSendsTheHighestLevelOnceAndSettlesTheOnesPassed() throws {
        let ledger = [try Self.entry("РН-1", .shipment, "2026-09-01", 100_000, due: "2026-10-01")]
        let notice = try #require(try Self.notice(ledger, on: "2026-10-20"))
        #expect(notice.level == 10 && notice.documents.count == 1)
        #expect(notice.settles.map(\.level) == [-3, 0, 3, 10], "all passed levels are recorded, so none is sent late")
    }

    @Test func paymentsCloseTheOldestDocumentsFirstAndAPaidDocumentIsNotRemindedOf() throws {
        var ledger = [
            try Self.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-11-05"),
            try Self.entry("РН-2", .shipment, "2026-10-20", 200_000, due: "2026-11-20"),
            try Self.entry("ПП-1", .payment, "2026-11-16", 100_000),
        ]
        let notice = try #require(try Self.notice(ledger, on: "2026-11-19"))
        #expect(notice.documents.map(\.externalID) == ["РН-1", "РН-2"])
        #expect(notice.documents.map(\.open) == ["200000.00", "200000.00"], "FIFO: the payment closes part of РН-1")
        #expect(notice.level == 10 && notice.stage == .overdue && notice.listedOpen == 40_000_000)
        ledger.append(try Self.entry("ПП-2", .payment, "2026-11-20", 400_000))
        #expect(try Self.notice(ledger, on: "2026-11-23") == nil, "nothing open, nothing to remind of")
    }

    @Test func aRunningPromisePausesUntilTheDayAfterItsDate() throws {
        let ledger = [try Self.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-11-05")]
        #expect(try Self.notice(ledger, on: "2026-11-18", paused: "2026-11-18") == nil)
        #expect(try Self.notice(ledger, on: "2026-11-19", paused: "2026-11-18")?.level == 10)
    }

    @Test func aMovedDueDateIsRemindedOfAfresh() throws {
        let moved = [try Self.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-11-30")]
        let old = Dunning.key("РН-1", try Self.day("2026-11-05"))
        #expect(try Self.notice(moved, on: "2026-11-27", sent: [old: [-3, 0, 3]])?.level == -3)
    }

    @Test func aPromiseIsKeptByPaymentsReachingItBrokenOnceItsDatePassesShortAndOpenMeanwhile() throws {
        let promise = PaymentPromise(
            id: UUID(), dealerID: Self.dealer, amount: Money(minorUnits: 30_000_000, currency: .rub), promisedOn: try Self.day("2026-11-18"),
            madeOn: try Self.day("2026-11-09"), note: nil, madeBy: "anna", createdAt: Self.now)
        #expect(promise.outcome(paid: 10_000_000, balance: 40_000_000, today: try Self.day("2026-11-18")) == .open)
        #expect(promise.outcome(paid: 10_000_000, balance: 40_000_000, today: try Self.day("2026-11-19")) == .broken)
        #expect(promise.outcome(paid: 30_000_000, balance: 20_000_000, today: try Self.day("2026-11-12")) == .kept)
        #expect(promise.outcome(paid: 0, balance: 0, today: try Self.day("2026-11-19")) == .kept, "nothing owed: kept")
        var cancelled = promise
        cancelled.status = .cancelled
        #expect(cancelled.outcome(paid: 0, balance: 1, today: try Self.day("2026-12-01")) == .cancelled)
    }

    @Test func aPromiseDraftIsCheckedFieldByField() throws {
        let today = try Self.day("2026-11-09")
        func issues(_ draft: PaymentPromiseDraft) -> [String] {
            do {
                _ = try draft.validated(id: UUID(), dealerID: Self.dealer, currency: .rub, today: today, maxDays: 90, madeBy: "anna", now: Self.now)
                return []
            } catch {
                return error.issues.map(\.field).sorted()
            }
        }
        #expect(issues(PaymentPromiseDraft(amount: "150000.00", date: "2026-11-18")) == [])
        #expect(issues(PaymentPromiseDraft(amount: "150 000,50", date: "18.11.2026", note: "после оплаты заказчика")) == [])
        #expect(issues(PaymentPromiseDraft()) == ["amount", "date"])
        #expect(issues(PaymentPromiseDraft(amount: "0", date: "2026-11-08")) == ["amount", "date"])
        #expect(issues(PaymentPromiseDraft(amount: "abc", date: "2027-03-01")) == ["amount", "date"], "more than 90 days ahead")
        #expect(issues(PaymentPromiseDraft(amount: "1", date: "2026-11-09", note: String(repeating: "я", count: 2001))) == ["note"])
    }
}
