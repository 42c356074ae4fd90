import Foundation

/// Why a payment reminder that waited in the outbox (quiet hours, a retry, a mail server down) is
/// no longer sent: the dealer must not be chased for a debt it paid, or after its manager took a
/// promise, between the day's dunning run and the letter leaving.
public enum ReminderWithdrawal: Sendable, Equatable {
    /// None of the documents the letter lists is open any more.
    case paid
    /// A promise to pay, made after the reminder, runs until this date.
    case promised(until: CivilDate)

    /// What the delivery log says, in Russian, for the people who read it.
    public var russianReason: String {
        switch self {
        case .paid: "отозвано: документы из напоминания оплачены до его отправки"
        case .promised(let until): "отозвано: дилер обещал оплатить до \(until.russian), напоминания ждут этой даты"
        }
    }
}

extension Dunning {
    /// Whether `reminder` should still go out, judged on the dealer's position now: it is withdrawn
    /// once every document it lists is paid (a document whose due date moved counts as another
    /// one), or while a promise to pay runs (`pausedUntil` on or after the position's date). A
    /// partly paid letter still goes: its documents are still owed.
    public static func withdrawal(
        of reminder: PaymentReminder, position: ReceivablesPosition, pausedUntil: CivilDate?
    ) -> ReminderWithdrawal? {
        let open = Set(position.openDocuments.filter { $0.open > 0 }.map { key($0.externalID, $0.dueDate) })
        if !reminder.documents.contains(where: { open.contains(key($0.externalID, $0.dueDate)) }) { return .paid }
        if let pausedUntil, pausedUntil >= position.asOf { return .promised(until: pausedUntil) }
        return nil
    }
}
