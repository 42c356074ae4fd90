import DealerCore
import Foundation
import Testing

/// Whether a reminder that waited to go out still stands, as the dealer's accountant would judge
/// the letter on the morning it arrives.
@Suite("Reminders withdrawn before they go")
struct ReminderWithdrawalTests {
    static func reminder(_ ledger: [LedgerEntry], on date: String) throws -> PaymentReminder {
        let notice = try #require(try DunningTests.notice(ledger, on: date))
        return PaymentReminder(
            notice: notice, code: "D-001", asOf: try DunningTests.day(date), balance: Money(minorUnits: notice.listedOpen, currency: .rub),
            overdue: Money(minorUnits: 0, currency: .rub), limit: nil)
    }

    static func withdrawal(
        _ reminder: PaymentReminder, _ ledger: [LedgerEntry], on date: String, paused: String? = nil
    ) throws -> ReminderWithdrawal? {
        Dunning.withdrawal(
            of: reminder, position: ReceivablesPosition.compute(ledger, asOf: try DunningTests.day(date)),
            pausedUntil: try paused.map(DunningTests.day))
    }

    @Test func aLetterGoesWhileAnyDocumentItListsIsOwedEvenInPart() throws {
        let ledger = [
            try DunningTests.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-11-05"),
            try DunningTests.entry("РН-2", .shipment, "2026-10-02", 100_000, due: "2026-11-05"),
        ]
        let reminder = try Self.reminder(ledger, on: "2026-11-02")
        #expect(reminder.documents.map(\.externalID) == ["РН-1", "РН-2"])
        #expect(try Self.withdrawal(reminder, ledger, on: "2026-11-03") == nil)
        // The oldest is paid: РН-2 is still owed, so the letter still goes.
        let partly = ledger + [try DunningTests.entry("ПП-1", .payment, "2026-11-02", 350_000)]
        #expect(try Self.withdrawal(reminder, partly, on: "2026-11-03") == nil)
        let paid = ledger + [try DunningTests.entry("ПП-1", .payment, "2026-11-02", 400_000)]
        #expect(try Self.withdrawal(reminder, paid, on: "2026-11-03") == .paid)
    }

    @Test func documentsOutsideTheLetterDoNotKeepItAlive() throws {
        let listed = [try DunningTests.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-11-05")]
        let reminder = try Self.reminder(listed, on: "2026-11-02")
        let later =
            listed + [
                try DunningTests.entry("РН-2", .shipment, "2026-10-20", 200_000, due: "2026-11-25"),
                try DunningTests.entry("ПП-1", .payment, "2026-11-02", 300_000),
            ]
        #expect(try Self.withdrawal(reminder, later, on: "2026-11-03") == .paid, "FIFO closes РН-1; РН-2 is another letter's business")
    }

    @Test func aDocumentWhoseDueDateMovedIsNotTheOneTheLetterNamed() throws {
        let ledger = [try DunningTests.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-11-05")]
        let reminder = try Self.reminder(ledger, on: "2026-11-02")
        let moved = [try DunningTests.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-12-05")]
        #expect(try Self.withdrawal(reminder, moved, on: "2026-11-03") == .paid)
    }

    @Test func aPromiseRunningOnTheDayHoldsTheLetterAndOneThatEndedDoesNot() throws {
        let ledger = [try DunningTests.entry("РН-1", .shipment, "2026-10-01", 300_000, due: "2026-11-05")]
        let reminder = try Self.reminder(ledger, on: "2026-11-02")
        let held = try Self.withdrawal(reminder, ledger, on: "2026-11-03", paused: "2026-11-10")
        #expect(held == .promised(until: try DunningTests.day("2026-11-10")))
        #expect(held?.russianReason == "отозвано: дилер обещал оплатить до 10.11.2026, напоминания ждут этой даты")
        #expect(try Self.withdrawal(reminder, ledger, on: "2026-11-11", paused: "2026-11-10") == nil)
        #expect(try Self.withdrawal(reminder, ledger, on: "2026-11-10", paused: "2026-11-10") != nil, "the promise's own day still runs")
    }
}
