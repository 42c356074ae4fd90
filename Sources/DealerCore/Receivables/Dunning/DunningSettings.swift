import Foundation

/// When the dealer's accounting hears about its debts (`receivables.dunning.*` in config).
public struct DunningSettings: Sendable, Equatable {
    /// Reminder levels in days from a document's due date: negative before it (-3: three days
    /// before), 0 on the day, positive overdue. Each level is sent once per document and due date.
    public var levels: [Int]
    /// The latest date a promise to pay may name, in days from the day it is made.
    public var maxPromiseDays: Int

    public init(levels: [Int] = [-3, 0, 3, 10, 30], maxPromiseDays: Int = 90) {
        self.levels = levels.sorted()
        self.maxPromiseDays = maxPromiseDays
    }

    /// The levels config may name: a quarter before the due date to a year after it.
    public static let levelRange = -90...365
}
